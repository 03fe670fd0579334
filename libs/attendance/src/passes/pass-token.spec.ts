import { generateKeyPairSync } from 'node:crypto';
import { readPass, signPass } from './pass-token';

describe('check-in pass tokens', () => {
  const keys = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const claims = { enrolmentId: 123456, cohortId: 78, expiresAt: new Date('2019-07-17T16:00:00Z') };

  it('round-trips enrolment, cohort and expiry in 106 URL-safe characters', () => {
    const token = signPass(keys.privateKey, claims);
    expect(token).toMatch(/^P1\.[A-Za-z0-9_-]{103}$/);
    expect(readPass(keys.publicKey, token)).toEqual({ ok: true, claims });
  });

  it('refuses another key’s signature, a changed byte and malformed input', () => {
    const token = signPass(keys.privateKey, claims);
    expect(readPass(other.publicKey, token)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    // Flip the enrolment id inside the body: the signature no longer matches.
    const raw = Buffer.from(token.slice(3), 'base64url');
    raw[4] ^= 1;
    expect(readPass(keys.publicKey, `P1.${raw.toString('base64url')}`)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    for (const bad of ['', 'P1.', `${token}x`, token.slice(0, -1), 42, null, { token }])
      expect(readPass(keys.publicKey, bad)).toEqual({ ok: false, reason: 'MALFORMED' });
  });
});
