/**
 * Builds the actors and the base fixtures of the authorisation matrix through the real API.
 * county A = 兰山区 (371302), county B = 罗庄区 (371311).
 */
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  login,
  makeIdNumber,
  makePhone,
} from '../support/fixtures';
import { ADMIN_PASSWORD, TestApp } from '../support/test-app';
import { AuthzContext, Method, UserActor } from './authz';

/** Serials used by the matrix for 身份证号/phones (far from other suites' ranges). */
const SERIAL_BASE = 700_000;

export async function buildContext(t: TestApp): Promise<AuthzContext> {
  let serial = SERIAL_BASE;
  const city = await adminToken(t.http);
  const countyA = await countyIdByCode(t.db, '371302');
  const countyB = await countyIdByCode(t.db, '371311');
  const [{ id: cityOrg }] = await t.db.query(`SELECT id FROM organisation WHERE type = 'CITY' ORDER BY id LIMIT 1`);

  const ctx: AuthzContext = {
    http: t.http,
    db: t.db,
    dialect: t.database.dialect,
    ids: { countyA, countyB, cityOrg: Number(cityOrg) },
    tokens: { anonymous: null, city, countyA: '', countyB: '', trainer: '', teacher: '' },
    usernames: {
      city: 'admin',
      countyA: 'authz_county_a',
      countyB: 'authz_county_b',
      trainer: 'authz_trainer',
      teacher: '',
    },
    passwords: {
      city: ADMIN_PASSWORD,
      countyA: 'County1234',
      countyB: 'County1234',
      trainer: 'Trainer1234',
      teacher: 'Teacher1234',
    },
    fx: {},
    serial: () => ++serial,
    async api(actor: UserActor, method: Method, path: string, body?: unknown) {
      const req = t.http[method.toLowerCase() as 'get'](path).auth(ctx.tokens[actor]!, { type: 'bearer' });
      const res = body === undefined ? await req : await req.send(body as object);
      if (res.status < 200 || res.status > 299)
        throw new Error(`${actor} ${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async newTeacher(schoolId: number, extra: Record<string, unknown> = {}) {
      const n = ctx.serial();
      const res = await ctx.api('city', 'POST', '/api/v1/teachers', {
        name: `矩阵${n}`,
        idNumber: makeIdNumber(n),
        phone: makePhone(n),
        schoolId,
        ...extra,
      });
      return res.id as number;
    },
  };

  ctx.tokens.countyA = await countyAdmin(t.http, city, countyA, ctx.usernames.countyA);
  ctx.tokens.countyB = await countyAdmin(t.http, city, countyB, ctx.usernames.countyB);
  ctx.ids.schoolA = await createSchool(t.http, ctx.tokens.countyA, countyA, '矩阵兰山小学');
  ctx.ids.schoolB = await createSchool(t.http, ctx.tokens.countyB, countyB, '矩阵罗庄中学');
  ctx.ids.teacherA = await ctx.newTeacher(ctx.ids.schoolA);
  ctx.ids.teacherB = await ctx.newTeacher(ctx.ids.schoolB);
  ctx.ids.teacherSelf = await ctx.newTeacher(ctx.ids.schoolA);

  // The trainer and the teacher: accounts created with a one-time password, changed at first login.
  const trainer = await ctx.api('city', 'POST', '/api/v1/users', {
    username: ctx.usernames.trainer,
    password: 'Once12345',
    role: 'TRAINER',
  });
  ctx.tokens.trainer = await changeOneTimePassword(t, ctx.usernames.trainer, 'Once12345', ctx.passwords.trainer);
  const self = await ctx.api('city', 'GET', `/api/v1/teachers/${ctx.ids.teacherSelf}?full=true`);
  ctx.usernames.teacher = self.phone;
  const teacher = await ctx.api('countyA', 'POST', '/api/v1/users', {
    username: self.phone,
    password: 'Once12345',
    role: 'TEACHER',
    teacherId: ctx.ids.teacherSelf,
  });
  ctx.tokens.teacher = await changeOneTimePassword(t, self.phone, 'Once12345', ctx.passwords.teacher);

  const me = async (actor: UserActor) => (await ctx.api(actor, 'GET', '/api/v1/auth/me')).id as number;
  ctx.ids.userCity = await me('city');
  ctx.ids.userCountyA = await me('countyA');
  ctx.ids.userCountyB = await me('countyB');
  ctx.ids.userTrainer = trainer.id;
  ctx.ids.userTeacher = teacher.id;
  return ctx;
}

async function changeOneTimePassword(t: TestApp, username: string, once: string, next: string): Promise<string> {
  const first = await login(t.http, username, once);
  const res = await t.http
    .post('/api/v1/auth/password')
    .auth(first, { type: 'bearer' })
    .send({ currentPassword: once, newPassword: next });
  if (res.status !== 200 || res.body.user.mustChangePassword)
    throw new Error(`password change for ${username} → ${res.status}`);
  return res.body.accessToken as string;
}

/**
 * A fingerprint of every table's content, to prove a denied call wrote nothing. The tables
 * are small in the matrix (tens of rows), so comparing all of them stays cheap.
 */
export async function snapshot(ctx: AuthzContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const m of ctx.db.entityMetadatas) {
    const rows: unknown[] = await ctx.db.query(`SELECT * FROM ${ctx.db.driver.escape(m.tableName)}`);
    out.set(
      m.tableName,
      rows
        .map((r) => JSON.stringify(r))
        .sort()
        .join('\n'),
    );
  }
  return out;
}

export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((k) => before.get(k) !== after.get(k));
}
