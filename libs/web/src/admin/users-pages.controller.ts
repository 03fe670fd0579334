import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ACCOUNT_STATE_LABELS,
  AccountSlips,
  AccountsService,
  accountState,
  CreateUserDto,
  UpdateUserDto,
  UserDto,
  UserQuery,
  UsersService,
} from '@shipei/auth';
import { Actor, CurrentActor, IdPipe, mapError, ROLES, Roles, TransactionRunner } from '@shipei/core';
import { OrganisationQuery, OrganisationsService } from '@shipei/people';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { backTo, FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { roleLabel } from '../shared/labels';
import { pager, pickFilters } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const FORM_FIELDS = ['username', 'password', 'role', 'organisationId', 'displayName', 'email'];
/** Staff roles created here; teacher accounts are opened from the teacher pages. */
const STAFF_ROLES = ROLES.filter((r) => r !== 'TEACHER').map((r) => ({ value: r, label: roleLabel(r) }));

/** How an account is named in messages: its display name (a teacher's username is their phone number). */
const nameOf = (u: UserDto) => u.displayName || u.username;

/**
 * 账号管理 (spec §12): the accounts in the actor's scope with their state (city: all; county: its
 * teachers' accounts and its own), reset to a one-time password (shown once), unlock, disable and
 * enable; the city also creates staff accounts and changes role or unit.
 */
@WebController('app/users')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly slips: AccountSlips,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const filters = pickFilters(query, ['q', 'role', 'page']);
    let error: string | null = null;
    let page = { items: [] as UserDto[], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.tx.read(async (em) =>
        this.users.list(em, actor, await validateInput(UserQuery, { ...filters, pageSize: 20 }, 'query')),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const names = await this.names.organisations(page.items.map((u) => u.organisationId));
    const rows = page.items.map((u) => {
      const own = u.id === actor.userId;
      return {
        ...u,
        roleLabel: roleLabel(u.role),
        unitName: names.get(u.organisationId ?? 0) ?? '',
        state: accountState(u),
        own,
        editable: city && !own && u.role !== 'TEACHER',
      };
    });
    const { page: _p, ...keep } = filters;
    const pagerView = pager('/app/users', page, keep);
    return this.pages.render(
      req,
      reply,
      'users/list',
      { title: '账号管理', crumbs: [{ label: '首页', href: '/app' }] },
      {
        city,
        filters,
        error,
        roles: (city ? ROLES : (['TEACHER', 'COUNTY_ADMIN'] as const)).map((r) => ({ value: r, label: roleLabel(r) })),
        rows,
        pager: pagerView,
        back: req.url.startsWith('/app/users') ? req.url : '/app/users',
        mustChangeLabel: ACCOUNT_STATE_LABELS.MUST_CHANGE,
      },
    );
  }

  @Get('new')
  @Roles('CITY_ADMIN')
  newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    return this.showForm(req, reply, actor, { role: 'COUNTY_ADMIN' });
  }

  @Post('new')
  @Roles('CITY_ADMIN')
  @HttpCode(200)
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    const form = readForm(body, {
      username: 'text',
      role: 'text',
      organisationId: 'int',
      displayName: 'text',
      email: 'text',
    });
    form.password = typeof body?.password === 'string' ? body.password : '';
    try {
      const user = await this.users.create(actor, await validateInput(CreateUserDto, form));
      return this.pages.redirect(reply, '/app/users', {
        tone: 'success',
        text: `已创建账号「${user.username}」。请将初始密码告知使用人，首次登录须修改密码。`,
      });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS, { USERNAME_TAKEN: 'username' });
      if (!errors) throw e;
      return this.showForm(req, reply, actor, { ...form, password: '' }, errors);
    }
  }

  @Get(':id/edit')
  @Roles('CITY_ADMIN')
  async editForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const user = await this.tx.read((em) => this.users.get(em, actor, id));
    return this.showEdit(req, reply, actor, user, { role: user.role, organisationId: user.organisationId });
  }

  @Post(':id/edit')
  @Roles('CITY_ADMIN')
  @HttpCode(200)
  async update(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const user = await this.tx.read((em) => this.users.get(em, actor, id));
    const form = readForm(body, { role: 'text', organisationId: 'int' }, { emptyAsNull: ['organisationId'] });
    try {
      const saved = await this.accounts.update(actor, id, await validateInput(UpdateUserDto, form));
      return this.pages.redirect(reply, '/app/users', {
        tone: 'success',
        text: `已修改账号「${nameOf(saved)}」：${roleLabel(saved.role)}。该账号已登录的会话已失效，需重新登录。`,
      });
    } catch (e) {
      const errors = formErrors(e, ['role', 'organisationId']);
      if (!errors) throw e;
      return this.showEdit(req, reply, actor, user, form, errors);
    }
  }

  /** A new one-time password, shown on this page once (with the login address and its QR), never again. */
  @Post(':id/reset-password')
  @HttpCode(200)
  async resetPassword(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = backTo(body, '/app/users');
    try {
      const user = await this.tx.read((em) => this.users.get(em, actor, id));
      const { temporaryPassword } = await this.accounts.resetPassword(actor, id);
      return this.pages.render(
        req,
        reply,
        'users/reset',
        {
          title: '密码已重置',
          crumbs: [
            { label: '首页', href: '/app' },
            { label: '账号管理', href: '/app/users' },
          ],
        },
        {
          user: { ...user, roleLabel: roleLabel(user.role), teacher: user.role === 'TEACHER' },
          temporaryPassword,
          loginUrl: this.slips.loginUrl,
          qr: await this.slips.loginQrDataUrl(),
          back,
        },
      );
    } catch (e) {
      return this.failed(reply, back, e);
    }
  }

  @Post(':id/unlock')
  async unlock(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = backTo(body, '/app/users');
    try {
      const user = await this.accounts.unlock(actor, id);
      return this.pages.redirect(reply, back, {
        tone: 'success',
        text: `已解锁账号「${nameOf(user)}」，可立即重新登录。`,
      });
    } catch (e) {
      return this.failed(reply, back, e);
    }
  }

  /** 停用 / 启用 (`active` = false / true); 停用 ends the account's sessions at once. */
  @Post(':id/active')
  async setActive(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = backTo(body, '/app/users');
    try {
      const dto = await validateInput(UpdateUserDto, readForm(body, { active: 'bool' }));
      const user = await this.accounts.update(actor, id, { active: dto.active });
      return this.pages.redirect(reply, back, {
        tone: 'success',
        text: user.active
          ? `已启用账号「${nameOf(user)}」。`
          : `已停用账号「${nameOf(user)}」，该账号已登录的会话已失效，且不能再登录。`,
      });
    } catch (e) {
      return this.failed(reply, back, e);
    }
  }

  /** A refused action: back with the reason as a message; what the actor may not see is the 404 page. */
  private failed(reply: FastifyReply, back: string, e: unknown): void {
    const mapped = mapError(e);
    const errors = mapped.status === 404 ? null : formErrors(e, []);
    if (!errors) throw e;
    return this.pages.redirect(reply, back, { tone: 'error', text: errors.summary });
  }

  private async unitGroups(actor: Actor) {
    const group = async (type: string) => {
      const q = Object.assign(await validateInput(OrganisationQuery, { type }, 'query'), { pageSize: 500 });
      return (await this.tx.read((em) => this.organisations.list(em, actor, q))).items.map((o) => ({
        value: o.id,
        label: o.name,
      }));
    };
    return [
      { label: '市级', options: await group('CITY') },
      { label: '县区', options: await group('COUNTY') },
      { label: '承训机构', options: await group('INSTITUTION') },
      { label: '合作单位', options: await group('PARTNER') },
    ].filter((g) => g.options.length);
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    form: Record<string, unknown>,
    errors?: FormErrors,
  ): Promise<void> {
    return this.pages.render(
      req,
      reply,
      'users/form',
      {
        title: '新建账号',
        status: errors ? 400 : 200,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '账号管理', href: '/app/users' },
        ],
      },
      { roles: STAFF_ROLES, units: await this.unitGroups(actor), form, errors },
    );
  }

  private async showEdit(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    user: UserDto,
    form: Record<string, unknown>,
    errors?: FormErrors,
  ): Promise<void> {
    return this.pages.render(
      req,
      reply,
      'users/edit',
      {
        title: `修改账号：${nameOf(user)}`,
        status: errors ? 400 : 200,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '账号管理', href: '/app/users' },
        ],
      },
      {
        user: { ...user, roleLabel: roleLabel(user.role) },
        teacher: user.role === 'TEACHER',
        own: user.id === actor.userId,
        roles: STAFF_ROLES,
        units: await this.unitGroups(actor),
        form,
        errors,
      },
    );
  }
}
