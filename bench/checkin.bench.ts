/** POST /api/v1/sessions/:id/checkins (a trainee's repeated scan: JWT, HMAC code check, insert-or-get) vs node:http + the driver doing the same */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveCheckinKey, verifyCheckinCode } from '@shipei/attendance';
import { BenchApp, main, RawDb, RawRequest, RawResponse } from './lib';
import { Clock } from '@shipei/core';

/**
 * The app runs on a fixed clock inside the session's check-in window (the injectable Clock), so one
 * code stays valid for the whole run; the floor checks codes against the same instant.
 */
const NOW = new Date('2019-07-15T09:05:00+08:00');

interface State {
  token: string;
  sessionId: number;
  code: string;
  jwtSecret: string;
}

async function ok<T = any>(app: BenchApp, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const r = await app.request<T>(method, path, { token, body });
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function account(app: BenchApp, admin: string, username: string, body: Record<string, unknown>): Promise<string> {
  await ok(app, 'POST', '/api/v1/users', admin, { username, password: 'Init1234x', ...body });
  const first = await app.login(username, 'Init1234x');
  return (
    await ok(app, 'POST', '/api/v1/auth/password', first, { currentPassword: 'Init1234x', newPassword: 'Bench12345' })
  ).accessToken;
}

/** Through the API: a program, a cohort of 50 trainees (one with an account), a session; the trainee checks in once. */
async function seed(app: BenchApp): Promise<State> {
  app.nest.get(Clock).now = () => new Date(NOW);
  const admin = await app.login('admin', app.adminPassword);
  const [county] = await app.dataSource.query(`SELECT id FROM organisation WHERE code = '371302'`);
  const countyToken = await account(app, admin, 'bench_county', { role: 'COUNTY_ADMIN', organisationId: county.id });
  const school = await ok(app, 'POST', '/api/v1/organisations', countyToken, {
    type: 'SCHOOL',
    name: '压测小学',
    parentId: county.id,
    povertyVillage: true,
  });
  const program = await ok(app, 'POST', '/api/v1/programs', admin, {
    kind: 'BACKBONE_SUMMER',
    year: 2019,
    title: '压测骨干教师培训',
    seats: 100,
    creditHours: 48,
    certificatePrefix: 'BNCH',
  });
  await ok(app, 'PUT', `/api/v1/programs/${program.id}/quotas`, admin, [{ countyId: county.id, seats: 100 }]);
  await ok(app, 'POST', `/api/v1/programs/${program.id}/open`, admin);
  const cohort = await ok(app, 'POST', `/api/v1/programs/${program.id}/cohorts`, admin, {
    name: '压测班',
    capacity: 60,
    startDate: '2019-07-15',
    endDate: '2019-07-15',
    venue: '压测教室',
  });
  const session = await ok(app, 'POST', `/api/v1/cohorts/${cohort.id}/sessions`, admin, {
    title: '压测课次',
    startsAt: '2019-07-15T01:00:00.000Z',
    endsAt: '2019-07-15T03:00:00.000Z',
    hours: 2,
  });

  let teacherToken = '';
  const enrolmentIds: number[] = [];
  for (let i = 0; i < 50; i++) {
    const phone = `137${String(i).padStart(8, '0')}`;
    const teacher = await ok(app, 'POST', '/api/v1/teachers', countyToken, {
      name: `压测教师${i}`,
      idNumber: idNumber(i),
      phone,
      schoolId: school.id,
    });
    const e = await ok(app, 'POST', `/api/v1/programs/${program.id}/enrolments`, countyToken, {
      teacherId: teacher.id,
    });
    await ok(app, 'POST', `/api/v1/enrolments/${e.id}/approve`, admin);
    enrolmentIds.push(e.id);
    if (i === 0) {
      teacherToken = await account(app, countyToken, phone, { role: 'TEACHER', teacherId: teacher.id });
      await ok(app, 'POST', `/api/v1/enrolments/${e.id}/confirm`, teacherToken);
    }
  }
  await ok(app, 'POST', `/api/v1/cohorts/${cohort.id}/assignments`, admin, { enrolmentIds });

  const { code } = await ok(app, 'GET', `/api/v1/sessions/${session.id}/checkin-code`, admin);
  const first = await app.request('POST', `/api/v1/sessions/${session.id}/checkins`, {
    token: teacherToken,
    body: { code },
  });
  if (first.status !== 201) throw new Error(`first check-in → ${first.status} ${JSON.stringify(first.body)}`);
  return { token: teacherToken, sessionId: session.id, code, jwtSecret: app.config.jwtSecret };
}

function idNumber(serial: number): string {
  const body = `37130219850101${String(serial).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** HS256 verification of the bearer token, as passport-jwt does it, without the framework. */
function verifyJwt(header: string | string[] | undefined, secret: string): { tch?: number; role?: string } | null {
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return null;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (JSON.parse(Buffer.from(h, 'base64url').toString()).alg !== 'HS256') return null;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  return typeof payload.exp === 'number' && payload.exp * 1000 > Date.now() ? payload : null;
}

const SELECT = `SELECT s.id AS sid, s.cohortId AS cohortId, s.startsAt AS startsAt, s.endsAt AS endsAt, p.lateGraceMinutes AS grace,
  e.id AS eid, e.status AS estatus, e.cohortId AS ecohort,
  r.id AS rid, r.status AS rstatus, r.source AS rsource, r.checkedInAt AS rcheckedInAt, r.reason AS rreason, r.updatedAt AS rupdatedAt,
  k.closedAt AS closedAt
  FROM training_session s INNER JOIN cohort c ON c.id = s.cohortId INNER JOIN program p ON p.id = c.programId
  LEFT JOIN enrolment e ON e.programId = p.id AND e.teacherId = ?
  LEFT JOIN attendance_record r ON r.sessionId = s.id AND r.enrolmentId = e.id
  LEFT JOIN checkin_closure k ON k.sessionId = s.id
  WHERE s.id = ?`;

/** The floor: the same checks and the same SQL as CheckinService.checkIn, on the bare driver. */
function rawCheckin(s: State) {
  const key = deriveCheckinKey(s.jwtSecret);
  const toDate = (v: unknown) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));
  return async (db: RawDb, req: RawRequest): Promise<RawResponse> => {
    const user = verifyJwt(req.headers.authorization, s.jwtSecret);
    if (!user) return { status: 401, body: { statusCode: 401 } };
    if (user.role !== 'TEACHER' || !user.tch) return { status: 403, body: { statusCode: 403 } };
    const { code } = JSON.parse(req.body);
    if (!verifyCheckinCode(key, s.sessionId, code, NOW))
      return { status: 400, body: { statusCode: 400, code: 'CHECKIN_CODE_INVALID' } };
    const [row] = await db.query(SELECT, [user.tch, s.sessionId]);
    if (!row) return { status: 404, body: { statusCode: 404 } };
    if (row.eid === null || Number(row.ecohort) !== Number(row.cohortId))
      return { status: 404, body: { statusCode: 404, code: 'NOT_IN_COHORT' } };
    if (!['CONFIRMED', 'COMPLETED', 'NOT_COMPLETED'].includes(row.estatus))
      return { status: 409, body: { statusCode: 409, code: 'NOT_CONFIRMED' } };
    const record = (r: any) => ({
      id: Number(r.rid),
      sessionId: s.sessionId,
      enrolmentId: Number(r.eid),
      status: r.rstatus,
      source: r.rsource,
      checkedInAt: r.rcheckedInAt ? toDate(r.rcheckedInAt).toISOString() : null,
      reason: r.rreason,
      updatedAt: toDate(r.rupdatedAt).toISOString(),
    });
    if (row.rid !== null)
      return { status: 200, body: { ...record(row), alreadyCheckedIn: true, message: '已签到，无需重复扫码' } };
    const start = toDate(row.startsAt).getTime();
    if (NOW.getTime() < start - 30 * 60_000 || NOW.getTime() >= toDate(row.endsAt).getTime())
      return { status: 409, body: { statusCode: 409 } };
    const status = NOW.getTime() > start + Number(row.grace) * 60_000 ? 'LATE' : 'PRESENT';
    try {
      await db.query(
        'INSERT INTO attendance_record (sessionId, enrolmentId, cohortId, status, source, checkedInAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [s.sessionId, row.eid, row.cohortId, status, 'SELF', NOW, NOW, NOW],
      );
    } catch {
      // duplicate: read it back, as the app does
    }
    const [again] = await db.query(SELECT, [user.tch, s.sessionId]);
    return { status: 201, body: { ...record(again), alreadyCheckedIn: false, message: '签到成功' } };
  };
}

main<State>({
  title:
    'POST /api/v1/sessions/:id/checkins, a trainee scanning again (JWT, HMAC code of the 30 s step, one SELECT with the existing record) vs node:http + driver doing the same',
  setup: seed,
  app: (s) => ({
    method: 'POST',
    path: `/api/v1/sessions/${s.sessionId}/checkins`,
    headers: { authorization: `Bearer ${s.token}` },
    body: { code: s.code },
    expectStatus: 200,
  }),
  raw: (s) => ({ path: '/checkins', handle: rawCheckin(s), expectStatus: 200 }),
});
