/** POST /api/v1/sessions/:id/checkins (a trainee's repeated scan: JWT, HMAC code check, insert-or-get) vs node:http + the driver doing the same */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveCheckinKey, verifyCheckinCode } from '@shipei/attendance';
import { CHECKIN_NOW, CheckinState, main, RawDb, RawRequest, RawResponse, seedCheckin } from './lib';

const NOW = CHECKIN_NOW;
type State = CheckinState;

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
  setup: seedCheckin,
  app: (s) => ({
    method: 'POST',
    path: `/api/v1/sessions/${s.sessionId}/checkins`,
    headers: { authorization: `Bearer ${s.token}` },
    body: { code: s.code },
    expectStatus: 200,
  }),
  raw: (s) => ({ path: '/checkins', handle: rawCheckin(s), expectStatus: 200 }),
});
