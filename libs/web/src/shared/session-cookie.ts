import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@shipei/core';

/** The cookie libs/auth's JwtStrategy reads the token from (its TOKEN_COOKIE; not exported by @shipei/auth). */
export const TOKEN_COOKIE = 'shipei_token';
export const FLASH_COOKIE = 'shipei_flash';

type CookieReply = FastifyReply & {
  setCookie(name: string, value: string, opts: Record<string, unknown>): FastifyReply;
  clearCookie(name: string, opts: Record<string, unknown>): FastifyReply;
};
type CookieRequest = FastifyRequest & { cookies?: Record<string, string | undefined> };

/** Seconds of a JWT_EXPIRES_IN value such as 30m, 8h, 1d. */
export function lifetimeSeconds(expiresIn: string): number {
  const m = /^(\d+)([smhd])$/.exec(expiresIn);
  if (!m) return 8 * 3600;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

function base(config: AppConfig) {
  // Secure when the public address is https (behind a TLS-terminating proxy); plain http in development.
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.publicBaseUrl.startsWith('https://') };
}

/** The login token in an HttpOnly, SameSite=Lax cookie, as long-lived as the token itself. */
export function setSessionCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  (reply as CookieReply).setCookie(TOKEN_COOKIE, token, {
    ...base(config),
    maxAge: lifetimeSeconds(config.jwtExpiresIn),
  });
}

export function clearSessionCookie(reply: FastifyReply, config: AppConfig): void {
  (reply as CookieReply).clearCookie(TOKEN_COOKIE, base(config));
}

export function hasSessionCookie(req: FastifyRequest): boolean {
  return !!(req as CookieRequest).cookies?.[TOKEN_COOKIE];
}

export type FlashTone = 'success' | 'error' | 'info';
export interface Flash {
  tone: FlashTone;
  text: string;
}

/** A one-time message for the next page (post-redirect-get). */
export function setFlash(reply: FastifyReply, config: AppConfig, flash: Flash): void {
  const value = Buffer.from(JSON.stringify({ t: flash.tone, m: flash.text.slice(0, 300) })).toString('base64url');
  (reply as CookieReply).setCookie(FLASH_COOKIE, value, { ...base(config), maxAge: 120 });
}

/** Reads and clears the one-time message. Anything malformed is ignored. */
export function takeFlash(req: FastifyRequest, reply: FastifyReply, config: AppConfig): Flash | null {
  const raw = (req as CookieRequest).cookies?.[FLASH_COOKIE];
  if (!raw) return null;
  (reply as CookieReply).clearCookie(FLASH_COOKIE, base(config));
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const tone: FlashTone = v.t === 'error' || v.t === 'info' ? v.t : 'success';
    return typeof v.m === 'string' && v.m ? { tone, text: v.m.slice(0, 300) } : null;
  } catch {
    return null;
  }
}
