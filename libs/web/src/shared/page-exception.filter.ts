import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { AppConfig, mapError } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HOME_PATH } from '../layout/navigation';
import { PageRenderer } from './page-renderer.service';
import { clearSessionCookie, hasSessionCookie, setFlash } from './session-cookie';

/**
 * A path of this site to come back to after logging in (never another host), safe to put in a
 * Location header: control characters refuse it, anything beyond ASCII is percent-encoded (a raw
 * `/app/中文` made Node refuse the header, a 500).
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next) || next.length > 500) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (/[\s\x00-\x1f\x7f]/.test(next)) return null;
  let path: string;
  try {
    path = next.replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run));
  } catch {
    return null; // a lone surrogate
  }
  if (/^\/(login|logout)(\/|\?|$)/.test(path)) return null;
  return path;
}

export function loginUrl(next: string | null): string {
  return next && next !== HOME_PATH ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

/**
 * Errors on page routes become pages, never JSON: not signed in → the login page (and back
 * afterwards); one-time password still set → the password page; anything else → an error page
 * with the Chinese message. Used on page controllers only (see {@link WebController}).
 */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    const mapped = mapError(exception);
    const back = req.method === 'GET' ? safeNext(req.url) : null;
    if (mapped.status === 401) {
      if (hasSessionCookie(req)) {
        clearSessionCookie(reply, this.config);
        setFlash(reply, this.config, {
          tone: 'info',
          text: mapped.body.code === 'TOKEN_EXPIRED' ? '登录已过期，请重新登录' : '请重新登录',
        });
      }
      return this.pages.redirect(reply, loginUrl(back));
    }
    if (mapped.status === 403 && mapped.body.code === 'PASSWORD_CHANGE_REQUIRED') {
      return this.pages.redirect(
        reply,
        back && back !== HOME_PATH ? `/password?next=${encodeURIComponent(back)}` : '/password',
      );
    }
    if (mapped.unexpected) {
      const e = exception as Error;
      this.logger.error(
        { reqId: req.id, err: { name: e?.name, message: e?.message, stack: e?.stack } },
        'Unhandled error on a page',
      );
    }
    try {
      const titles: Record<number, string> = { 403: '无权访问', 404: '页面不存在', 429: '操作过于频繁' };
      const title = titles[mapped.status] ?? (mapped.status >= 500 ? '系统繁忙' : '无法完成操作');
      const phone = this.pages.actorOf(req)?.role === 'TEACHER';
      await this.pages.render(
        req,
        reply,
        'errors/error',
        { title, status: mapped.status, phone },
        { message: mapped.body.message, status: mapped.status },
      );
    } catch (e) {
      // The error page itself failed (e.g. the database is down): plain text, still Chinese.
      this.logger.error(
        { reqId: req.id, err: { name: (e as Error)?.name, message: (e as Error)?.message } },
        'Error page failed',
      );
      if (!reply.sent)
        reply.code(mapped.status).header('content-type', 'text/plain; charset=utf-8').send(`${mapped.body.message}`);
    }
  }
}
