import { Body, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { AuthService, LOGIN_LIMIT, LOGIN_WINDOW_SECONDS, tokenFromRequest } from '@shipei/auth';
import { Actor, AllowPasswordChangePending, AppConfig, CurrentActor, Public, RateLimit } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HOME_PATH } from '../layout/navigation';
import { field, FormBody, FormErrors, formErrors } from '../shared/forms';
import { safeNext } from '../shared/page-exception.filter';
import { PageRenderer } from '../shared/page-renderer.service';
import { clearSessionCookie, setSessionCookie } from '../shared/session-cookie';
import { WebController } from '../shared/web-controller.decorator';

/** 登录、首次登录修改密码、修改密码、退出登录. */
@WebController()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  loginPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string): Promise<void> {
    return this.showLogin(req, reply, { next: safeNext(next) ?? '', username: '' });
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @RateLimit('login', LOGIN_LIMIT, LOGIN_WINDOW_SECONDS)
  async login(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: FormBody): Promise<void> {
    const username = field(body, 'username');
    const password = typeof body?.password === 'string' ? body.password : '';
    const next = safeNext(field(body, 'next'));
    const missing: Record<string, string> = {};
    if (!username) missing.username = '请输入用户名';
    if (!password) missing.password = '请输入密码';
    if (Object.keys(missing).length) {
      return this.showLogin(
        req,
        reply,
        { next: next ?? '', username },
        { summary: '请输入用户名和密码。', fields: missing },
        400,
      );
    }
    try {
      const session = await this.auth.login(username, password, { ip: req.ip, requestId: req.id });
      setSessionCookie(reply, this.config, session.accessToken);
      if (session.user.mustChangePassword) {
        return this.pages.redirect(
          reply,
          next && next !== HOME_PATH ? `/password?next=${encodeURIComponent(next)}` : '/password',
        );
      }
      return this.pages.redirect(reply, next ?? HOME_PATH);
    } catch (e) {
      const errors = formErrors(e, [], {}, { loginForm: true });
      if (!errors) throw e;
      return this.showLogin(req, reply, { next: next ?? '', username }, errors, 400);
    }
  }

  private showLogin(
    req: FastifyRequest,
    reply: FastifyReply,
    form: { next: string; username: string },
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    // The login page is for signed-out visitors: render it without the frame even if a cookie is present.
    return this.pages.render(req, reply, 'auth/login', { title: '用户登录', layout: 'bare', status }, { form, errors });
  }

  @Post('logout')
  @Public()
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Public, so that an expired cookie still logs out; a current one ends the account's sessions everywhere.
    await this.auth.logoutToken(tokenFromRequest(req), { ip: req.ip, requestId: req.id });
    clearSessionCookie(reply, this.config);
    this.pages.redirect(reply, '/login', { tone: 'info', text: '您已安全退出登录。' });
  }

  @Get('password')
  @AllowPasswordChangePending()
  passwordPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string): Promise<void> {
    return this.showPassword(req, reply, safeNext(next) ?? '');
  }

  @Post('password')
  @HttpCode(200)
  @AllowPasswordChangePending()
  async changePassword(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    const current = typeof body?.currentPassword === 'string' ? body.currentPassword : '';
    const fresh = typeof body?.newPassword === 'string' ? body.newPassword : '';
    const confirm = typeof body?.confirmPassword === 'string' ? body.confirmPassword : '';
    const next = safeNext(field(body, 'next')) ?? '';
    const missing: Record<string, string> = {};
    if (!current) missing.currentPassword = '请输入当前密码';
    if (!fresh) missing.newPassword = '请输入新密码';
    if (fresh && confirm !== fresh) missing.confirmPassword = '两次输入的新密码不一致';
    if (Object.keys(missing).length)
      return this.showPassword(
        req,
        reply,
        next,
        { summary: '提交未成功，请按提示修改标红的项目。', fields: missing },
        400,
      );
    try {
      const session = await this.auth.changePassword(actor, current, fresh);
      setSessionCookie(reply, this.config, session.accessToken);
      return this.pages.redirect(reply, next || HOME_PATH, { tone: 'success', text: '密码已修改。' });
    } catch (e) {
      const errors = formErrors(e, ['currentPassword', 'newPassword']);
      if (!errors) throw e;
      return this.showPassword(req, reply, next, errors, 400);
    }
  }

  private showPassword(
    req: FastifyRequest,
    reply: FastifyReply,
    next: string,
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const forced = !!this.pages.actorOf(req)?.mustChangePassword;
    return this.pages.render(
      req,
      reply,
      'auth/password',
      {
        title: forced ? '首次登录，请修改初始密码' : '修改密码',
        layout: forced ? 'bare' : 'app',
        status,
        crumbs: forced ? [] : [{ label: '首页', href: HOME_PATH }],
      },
      { forced, next, errors },
    );
  }
}
