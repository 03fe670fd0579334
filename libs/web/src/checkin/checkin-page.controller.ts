import { ArgumentsHost, Catch, ExceptionFilter, Get, Injectable, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CheckinResultDto, CheckinService } from '@shipei/attendance';
import { Actor, AppConfig, CurrentActor, mapError, Public, TransactionRunner } from '@shipei/core';
import { SessionsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatTime } from '../shared/format';
import { PageExceptionFilter, safeNext } from '../shared/page-exception.filter';
import { PageRenderer } from '../shared/page-renderer.service';
import { clearSessionCookie, hasSessionCookie } from '../shared/session-cookie';
import { WebController } from '../shared/web-controller.decorator';
import { sessionWhen } from '../trainer/training-view';

/** The address the QR code holds: /checkin?s=<session>&c=<code>. */
const CHECKIN_PATH = /^\/checkin\?/;

/** The short headline of a refusal, by the service's code; the service's own message explains it below. */
const HEADLINES: Record<string, string> = {
  CHECKIN_CODE_INVALID: '二维码已过期，请重新扫描',
  CHECKIN_NOT_OPEN: '签到尚未开始',
  CHECKIN_CLOSED: '签到已结束',
  NOT_IN_COHORT: '您不在本班名单中',
  NOT_CONFIRMED: '尚未报到',
  TEACHER_ONLY: '请使用教师本人账号签到',
  NOT_FOUND: '二维码无效，请重新扫描',
};

/**
 * Someone not signed in opened the QR address: the check-in's own phone login, which comes back to
 * the same address (and so checks in). Everything else goes to the pages' usual filter.
 */
@Injectable()
@Catch()
export class CheckinLoginFilter implements ExceptionFilter {
  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
    private readonly fallback: PageExceptionFilter,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (mapError(exception).status !== 401 || reply.sent) return this.fallback.catch(exception, host);
    if (hasSessionCookie(req)) clearSessionCookie(reply, this.config);
    const back = safeNext(req.url);
    return this.pages.redirect(
      reply,
      back && CHECKIN_PATH.test(back) ? `/checkin/login?next=${encodeURIComponent(back)}` : '/login',
    );
  }
}

/**
 * 扫码签到: the page the trainer's QR code opens on a teacher's phone. Signed in, it checks the
 * teacher in at once (the attendance service's rules, idempotent) and shows one large result:
 * 签到成功 or 迟到 with the time, or the plain reason it could not. Plain HTML, no script, so it
 * works in a chat app's in-app browser.
 */
@WebController('checkin')
export class CheckinPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly sessions: SessionsService,
    private readonly checkin: CheckinService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  @UseFilters(CheckinLoginFilter)
  async checkIn(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query('s') s?: string,
    @Query('c') c?: string,
  ): Promise<void> {
    const sessionId = typeof s === 'string' && /^\d{1,12}$/.test(s) ? Number(s) : null;
    const code = typeof c === 'string' ? c.slice(0, 64) : '';
    if (!sessionId || !code)
      return this.show(req, reply, {
        ok: false,
        head: HEADLINES.NOT_FOUND,
        detail: '扫描的地址不完整，请对准培训教师屏幕上的二维码重新扫描。',
        code: 'BAD_ADDRESS',
      });
    let result: CheckinResultDto;
    try {
      result = await this.checkin.checkIn(actor, sessionId, code);
    } catch (e) {
      const mapped = mapError(e);
      if (mapped.status >= 500 || mapped.status === 401) throw e;
      const head = HEADLINES[mapped.body.code] ?? '签到未成功';
      // A refusal is an answer, shown as a normal page (200): some in-app browsers replace 4xx pages with their own.
      return this.show(req, reply, {
        ok: false,
        head,
        detail: head === mapped.body.message ? '' : mapped.body.message,
        code: mapped.body.code,
      });
    }
    // The session's title and time: the teacher, now on its roster, may read it.
    const session = await this.tx.read((em) => this.sessions.get(em, actor, sessionId)).catch(() => null);
    const late = result.status === 'LATE';
    return this.show(req, reply, {
      ok: true,
      late,
      head: result.alreadyCheckedIn ? '您已签到' : late ? '迟到' : '签到成功',
      detail: result.alreadyCheckedIn
        ? `无需重复扫码（记为${result.statusLabel}）`
        : late
          ? '已签到，超过开课时间记为迟到'
          : '',
      time: result.checkedInAt ? formatTime(result.checkedInAt) : '',
      session: session ? { title: session.title, when: sessionWhen(session.startsAt, session.endsAt) } : null,
    });
  }

  private show(req: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>): Promise<void> {
    return this.pages.render(
      req,
      reply,
      'checkin/result',
      { title: '扫码签到', layout: 'bare', phone: true },
      { result },
    );
  }

  /** The phone login of the check-in: posts to the usual login, which returns to the QR address. */
  @Get('login')
  @Public()
  login(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('next') next?: string): Promise<void> {
    const back = safeNext(next);
    return this.pages.render(
      req,
      reply,
      'checkin/login',
      { title: '扫码签到', layout: 'bare', phone: true },
      { next: back && CHECKIN_PATH.test(back) ? back : '' },
    );
  }
}
