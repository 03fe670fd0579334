/**
 * Types and helpers of the authorisation matrix (format: test/authz/README.md).
 * A `*.routes.ts` file in this folder exports `routes: RouteRow[]` and, optionally,
 * `setup(ctx)`; test/authz/matrix.e2e-spec.ts runs every row for every actor.
 */
import { DataSource } from 'typeorm';
import TestAgent from 'supertest/lib/agent';
import { makeIdNumber, makePhone } from '../support/fixtures';

/** The six callers of every row, in the order the runner calls them (denials first). */
export const ACTORS = ['anonymous', 'teacher', 'trainer', 'countyB', 'countyA', 'city'] as const;
export type ActorName = (typeof ACTORS)[number];
export type UserActor = Exclude<ActorName, 'anonymous'>;

/** Expected HTTP status per actor: all six must be given. */
export type Expect = Record<ActorName, number>;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a row's functions receive for one actor's call. */
export interface Call {
  ctx: AuthzContext;
  actor: ActorName;
  /** What the row's `setup` returned for this call ({} without setup). */
  vars: Record<string, any>;
}

/** The response handed to `check`. `body` is parsed JSON (or undefined), `raw` the bytes. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
  raw: Buffer;
}

export interface Upload {
  /** Multipart field name, e.g. `file`. */
  field: string;
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface RouteRow {
  /** Shown in failures; defaults to "METHOD path". Make it say what is special about the row. */
  name?: string;
  method: Method;
  /**
   * Path with `{placeholders}` filled from the row's `setup` result first, then `ctx.ids`,
   * e.g. `/api/v1/teachers/{teacherB}` or `/api/v1/teachers?countyId={countyB}`.
   */
  path: string;
  /** JSON body: a value, or a function of the call (use `ctx.serial()` for unique values). */
  body?: Record<string, unknown> | unknown[] | ((c: Call) => unknown);
  /** A multipart file instead of a JSON body. */
  upload?: (c: Call) => Upload | Promise<Upload>;
  /** Runs before EACH actor's call: creates fresh fixtures (e.g. something a transition consumes). */
  setup?: (c: Omit<Call, 'vars'>) => Promise<Record<string, any>>;
  expect: Expect;
  /** Extra assertions after each successful (2xx) call (throw to fail); may also update ctx (e.g. a new password). */
  check?: (res: Reply, c: Call) => void | Promise<void>;
  /**
   * By default a call whose expected status is ≥ 400 must leave the database exactly as it was
   * (every table compared). Set this when a denial legitimately writes (e.g. an audited rejection).
   */
  writesWhenDenied?: boolean;
}

/** Fixtures and tools shared by every routes file. Built once by the runner (see context.ts). */
export interface AuthzContext {
  http: TestAgent;
  db: DataSource;
  dialect: 'sqlite' | 'mysql';
  /**
   * Fixture ids. Built by the runner: countyA (兰山区), countyB (罗庄区), cityOrg, schoolA, schoolB,
   * teacherA, teacherB (teachers without accounts), teacherSelf (the `teacher` actor's own record, in
   * county A), userCity, userCountyA, userCountyB, userTrainer, userTeacher. A file's `setup` adds its own
   * (prefix them with the domain, e.g. programA).
   */
  ids: Record<string, number>;
  /** Bearer token per actor (null for anonymous). */
  tokens: Record<ActorName, string | null>;
  usernames: Record<UserActor, string>;
  /** Current password per actor (update it if a row changes a password). */
  passwords: Record<UserActor, string>;
  /** Anything else a file's setup wants to share with its rows. */
  fx: Record<string, any>;
  /** A fresh number each call, for unique 身份证号/phones/names: `makeIdNumber(ctx.serial())`. */
  serial(): number;
  /** Calls the API as an actor and returns the JSON body; throws unless 2xx. For setups. */
  api(actor: UserActor, method: Method, path: string, body?: unknown): Promise<any>;
  /** A new teacher (city creates it) at the given school; returns its id. */
  newTeacher(schoolId: number, extra?: Record<string, unknown>): Promise<number>;
}

/** Everyone but `allowed` gets `deny` (anonymous always 401). Shorthand for rows of one-role routes. */
export function only(allowed: Partial<Expect>, deny = 403): Expect {
  const base = Object.fromEntries(ACTORS.map((a) => [a, a === 'anonymous' ? 401 : deny])) as Expect;
  return { ...base, ...allowed };
}

export { makeIdNumber, makePhone };
