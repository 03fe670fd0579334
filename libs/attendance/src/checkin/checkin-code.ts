import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A QR code on the trainer's screen changes every 30 seconds. */
export const CHECKIN_STEP_MS = 30_000;

/** 12 bytes of the HMAC, base64url: 16 URL-safe characters, 96 bits (not guessable in a minute). */
const CODE_BYTES = 12;
const CODE_FORMAT = /^[A-Za-z0-9_-]{16}$/;

/**
 * The check-in key, derived from the app's JWT secret with HKDF under its own label, so every app
 * process of one deployment computes the same codes and a code never doubles as anything else.
 */
export function deriveCheckinKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'shipei', 'attendance checkin-code v1', 32));
}

/** The 30-second step `time` falls in. */
export function checkinStep(time: Date | number): number {
  return Math.floor(Number(time) / CHECKIN_STEP_MS);
}

/** The code of one session in one step: HMAC-SHA256(key, "<sessionId>.<step>"), truncated. */
export function checkinCode(key: Buffer, sessionId: number, step: number): string {
  return createHmac('sha256', key)
    .update(`${sessionId}.${step}`)
    .digest()
    .subarray(0, CODE_BYTES)
    .toString('base64url');
}

/**
 * True when `code` is the session's code of the current step or of the one before (a code scanned
 * just before the screen changed still works), nothing older, nothing of another session.
 */
export function verifyCheckinCode(key: Buffer, sessionId: number, code: unknown, now: Date | number): boolean {
  if (typeof code !== 'string' || !CODE_FORMAT.test(code)) return false;
  const given = Buffer.from(code);
  const step = checkinStep(now);
  // Each comparison is constant-time; which of the two steps matched is no secret.
  return (
    timingSafeEqual(given, Buffer.from(checkinCode(key, sessionId, step))) ||
    timingSafeEqual(given, Buffer.from(checkinCode(key, sessionId, step - 1)))
  );
}
