import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ForbiddenError } from '@shipei/core';
import type { FastifyRequest } from 'fastify';

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return 'invalid';
  }
}

/**
 * Forms that change something must come from this site's own pages. The session cookie is
 * SameSite=Lax, so other sites' forms already arrive without it; this also refuses a login or
 * logout posted from elsewhere (login CSRF). Browsers send Origin (or at least Referer) on POST;
 * a request with neither is let through, as some in-app browsers strip both.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    const origin = req.headers.origin;
    const source = hostOf(origin && origin !== 'null' ? origin : (req.headers.referer as string | undefined));
    if (origin === 'null') throw new ForbiddenError('CROSS_SITE_FORM', '请求来源无效，请从本系统页面提交');
    if (source === null) return true;
    const forwarded = req.headers['x-forwarded-host'];
    const host = String((Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0]) ?? req.headers.host ?? '')
      .trim()
      .toLowerCase();
    if (source !== host) throw new ForbiddenError('CROSS_SITE_FORM', '请求来源无效，请从本系统页面提交');
    return true;
  }
}
