import { CHECKIN_STEP_MS, checkinCode, checkinStep, deriveCheckinKey, verifyCheckinCode } from './checkin-code';

describe('check-in codes', () => {
  const key = deriveCheckinKey('test-secret-0123456789-abcdefghijklmnop');
  const t0 = Date.UTC(2019, 6, 15, 1, 0, 0); // a step boundary (divisible by 30 s)

  it('derives the same key from the same secret, another from another secret', () => {
    expect(deriveCheckinKey('test-secret-0123456789-abcdefghijklmnop').equals(key)).toBe(true);
    expect(deriveCheckinKey('another-secret-0123456789-abcdefghijk').equals(key)).toBe(false);
  });

  it('is 16 URL-safe characters that change every 30 seconds and differ per session', () => {
    const a = checkinCode(key, 7, checkinStep(t0));
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(checkinCode(key, 7, checkinStep(t0 + CHECKIN_STEP_MS - 1))).toBe(a);
    expect(checkinCode(key, 7, checkinStep(t0 + CHECKIN_STEP_MS))).not.toBe(a);
    expect(checkinCode(key, 8, checkinStep(t0))).not.toBe(a);
  });

  it('accepts the current and the previous step only', () => {
    const code = checkinCode(key, 7, checkinStep(t0));
    expect(verifyCheckinCode(key, 7, code, t0)).toBe(true);
    expect(verifyCheckinCode(key, 7, code, t0 + CHECKIN_STEP_MS)).toBe(true);
    expect(verifyCheckinCode(key, 7, code, t0 + 2 * CHECKIN_STEP_MS - 1)).toBe(true);
    expect(verifyCheckinCode(key, 7, code, t0 + 2 * CHECKIN_STEP_MS)).toBe(false);
    expect(verifyCheckinCode(key, 7, code, t0 - 1)).toBe(false); // a code from the future
  });

  it('refuses another session’s code, malformed and non-string codes', () => {
    const other = checkinCode(key, 8, checkinStep(t0));
    expect(verifyCheckinCode(key, 7, other, t0)).toBe(false);
    for (const bad of ['', 'short', `${other}x`, null, 12345, { code: other }])
      expect(verifyCheckinCode(key, 7, bad, t0)).toBe(false);
  });
});
