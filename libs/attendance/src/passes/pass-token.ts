import { KeyObject, sign, verify } from 'node:crypto';

/**
 * A personal check-in pass (spec §14): which enrolment, in which cohort, until when, signed with
 * the deployment's Ed25519 key, so a trainer's phone can check it offline with the public key.
 *
 * Binary, to keep the QR code small: version (1 byte) ‖ enrolment id ‖ cohort id ‖ expiry in Unix
 * seconds (3 × uint32, big-endian) ‖ Ed25519 signature of the first 13 bytes (64 bytes); written
 * as "P1." + base64url (106 characters). The browser scanner (assets/public/scanner.js) reads the
 * same layout.
 */
export const PASS_PREFIX = 'P1.';
const VERSION = 1;
const BODY_BYTES = 13;
const SIGNATURE_BYTES = 64;
const TOKEN_FORMAT = /^P1\.[A-Za-z0-9_-]{103}$/;

export interface PassClaims {
  enrolmentId: number;
  cohortId: number;
  expiresAt: Date;
}

function body(c: PassClaims): Buffer {
  const b = Buffer.alloc(BODY_BYTES);
  b.writeUInt8(VERSION, 0);
  b.writeUInt32BE(c.enrolmentId, 1);
  b.writeUInt32BE(c.cohortId, 5);
  b.writeUInt32BE(Math.floor(c.expiresAt.getTime() / 1000), 9);
  return b;
}

export function signPass(privateKey: KeyObject, claims: PassClaims): string {
  const b = body(claims);
  return PASS_PREFIX + Buffer.concat([b, sign(null, b, privateKey)]).toString('base64url');
}

export type PassCheck = { ok: true; claims: PassClaims } | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' };

/** Reads and checks the signature of a pass (not its expiry: that depends on when it was scanned). */
export function readPass(publicKey: KeyObject, token: unknown): PassCheck {
  if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) return { ok: false, reason: 'MALFORMED' };
  const raw = Buffer.from(token.slice(PASS_PREFIX.length), 'base64url');
  if (raw.length !== BODY_BYTES + SIGNATURE_BYTES || raw[0] !== VERSION) return { ok: false, reason: 'MALFORMED' };
  const b = raw.subarray(0, BODY_BYTES);
  if (!verify(null, b, publicKey, raw.subarray(BODY_BYTES))) return { ok: false, reason: 'BAD_SIGNATURE' };
  return {
    ok: true,
    claims: {
      enrolmentId: b.readUInt32BE(1),
      cohortId: b.readUInt32BE(5),
      expiresAt: new Date(b.readUInt32BE(9) * 1000),
    },
  };
}
