import type { Role } from '@shipei/core';

/** What a bearer token carries: enough to authorise without a database read. */
export interface TokenPayload {
  sub: number;
  role: Role;
  org: number | null;
  county: number | null;
  tch: number | null;
  /** Must change the one-time password before doing anything else. */
  mcp: boolean;
  /** The account's tokenVersion when issued: a bumped version ends this token (SessionVersions). */
  ver: number;
}
