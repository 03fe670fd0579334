import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckinCodes } from '@shipei/attendance';
import * as ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import TestAgent from 'supertest/lib/agent';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makePhone,
} from './support/fixtures';
import { binary } from './support/enrolment-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { Clock, dbDate } from '@shipei/core';

/** Shanghai wall-clock time → Date (no daylight saving in Asia/Shanghai). */
const cst = (s: string) => new Date(`${s}+08:00`);

/**
 * One program of the city, three cohorts, built through the API: program, quotas, nominations,
 * approvals, cohorts with trainers, assignments, sessions; trainees with accounts confirm their
 * own enrolment (报到). The 45 trainees of the sign-in-sheet cohort have no accounts: their
 * CONFIRMED status is set in the database (confirming needs each teacher's own login).
 *
 * 一班 (trainer T1): S1 07-15 09:00–11:00 2 h · S2 07-15 14:00–16:00 1.99 h · S3 07-16 09:00–11:00 2.01 h
 *                   · S4 07-16 14:00–18:00 4 h (total 10 h); trainees A, B, C (confirmed), U (approved only)
 * 二班 (trainer T2): S5 07-15 09:00–11:00 2 h; trainee O
 * 三班 (trainer T1): S6 07-17 09:00–12:00 3 h, titled "=HYPERLINK(…)"; 45 trainees (long roster)
 */
describe('attendance: QR check-in, marking, leave, completion, sheets', () => {
  let t: TestApp;
  let http: TestAgent;
  let admin: string;
  let now: Date;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const enrolments: Record<string, number> = {};
  const names: Record<string, string> = {};

  const as = (token: string) => ({
    get: (path: string) => http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {}),
    put: (path: string, body: object) => http.put(path).auth(token, { type: 'bearer' }).send(body),
  });
  const ok = async (res: Promise<any> | any, status = [200, 201]) => {
    const r = await res;
    if (!status.includes(r.status))
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  /** The screen's code; outside the window the screen has none, so the test takes the one a stale photo would show. */
  const code = async (sessionId: number, token = tokens.T1) =>
    ((await ok(as(token).get(`/api/v1/sessions/${sessionId}/checkin-code`))).code as string | null) ??
    t.app.get(CheckinCodes, { strict: false }).issue(sessionId).code;
  const checkIn = (who: string, sessionId: number, c: string) =>
    as(tokens[who]).post(`/api/v1/sessions/${sessionId}/checkins`, { code: c });
  const mark = (sessionId: number, who: string, status: string, reason = '现场核对') =>
    as(tokens.T1).put(`/api/v1/sessions/${sessionId}/attendance/${enrolments[who]}`, { status, reason });

  async function account(
    role: 'TRAINER' | 'TEACHER',
    username: string,
    teacherId?: number,
  ): Promise<{ id: number; token: string }> {
    const created = await ok(
      as(admin).post('/api/v1/users', { username, password: 'Once12345', role, ...(teacherId ? { teacherId } : {}) }),
    );
    const first = await login(http, username, 'Once12345');
    const changed = await ok(
      as(first).post('/api/v1/auth/password', { currentPassword: 'Once12345', newPassword: 'Secret1234' }),
    );
    return { id: created.id, token: changed.accessToken };
  }

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    const clock = t.app.get(Clock);
    now = cst('2019-07-15T08:00:00');
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(now));

    admin = await adminToken(http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const county = await countyAdmin(http, admin, lanshan, 'att_county');
    tokens.countyA = county;
    const school = await createSchool(http, county, lanshan, '兰山区李官小学');
    const school2 = await createSchool(http, county, lanshan, '兰山区白沙埠小学');

    for (const [k, name] of [
      ['T1', 'att_trainer1'],
      ['T2', 'att_trainer2'],
    ] as const) {
      const a = await account('TRAINER', name);
      ids[k] = a.id;
      tokens[k] = a.token;
    }

    const program = await ok(
      as(admin).post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年全市贫困村学校骨干教师暑期培训',
        seats: 100,
        creditHours: 48,
        attendanceThreshold: 0.8,
        certificatePrefix: 'LYGG',
      }),
    );
    ids.program = program.id;
    if (program.attendanceThreshold !== 0.8 || program.lateGraceMinutes !== 15)
      throw new Error(`unexpected program defaults ${JSON.stringify(program)}`);
    await ok(as(admin).put(`/api/v1/programs/${program.id}/quotas`, [{ countyId: lanshan, seats: 100 }]));
    await ok(as(admin).post(`/api/v1/programs/${program.id}/open`));

    const cohort = async (name: string, trainer: number, start: string, end: string) =>
      (
        await ok(
          as(admin).post(`/api/v1/programs/${program.id}/cohorts`, {
            name,
            capacity: 60,
            startDate: start,
            endDate: end,
            venue: '临沂大学',
            trainerIds: [trainer],
          }),
        )
      ).id as number;
    ids.C1 = await cohort('一班', ids.T1, '2019-07-15', '2019-07-16');
    ids.C2 = await cohort('二班', ids.T2, '2019-07-15', '2019-07-16');
    ids.C3 = await cohort('三班', ids.T1, '2019-07-17', '2019-07-17');

    const session = async (cohortId: number, title: string, from: string, to: string, hours: number) =>
      (
        await ok(
          as(admin).post(`/api/v1/cohorts/${cohortId}/sessions`, {
            title,
            startsAt: cst(from).toISOString(),
            endsAt: cst(to).toISOString(),
            hours,
            room: '201 教室',
          }),
        )
      ).id as number;
    ids.S1 = await session(ids.C1, '新课标解读', '2019-07-15T09:00:00', '2019-07-15T11:00:00', 2);
    ids.S2 = await session(ids.C1, '课堂观察', '2019-07-15T14:00:00', '2019-07-15T16:00:00', 1.99);
    ids.S3 = await session(ids.C1, '信息技术与教学融合', '2019-07-16T09:00:00', '2019-07-16T11:00:00', 2.01);
    ids.S4 = await session(ids.C1, '教学设计工作坊', '2019-07-16T14:00:00', '2019-07-16T18:00:00', 4);
    ids.S5 = await session(ids.C2, '新课标解读', '2019-07-15T09:00:00', '2019-07-15T11:00:00', 2);
    ids.S6 = await session(
      ids.C3,
      '=HYPERLINK("http://evil.example","点我")',
      '2019-07-17T09:00:00',
      '2019-07-17T12:00:00',
      3,
    );

    // Trainees: nominated by the county, approved by the city, assigned, and (with accounts) confirmed by themselves.
    const enrol = async (key: string, n: number, schoolId: number, cohortId: number) => {
      const teacherId = await createTeacher(http, county, schoolId, n);
      names[key] = `教师${n}`;
      const e = await ok(as(county).post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
      await ok(as(admin).post(`/api/v1/cohorts/${cohortId}/assignments`, { enrolmentIds: [e.id] }));
      enrolments[key] = e.id;
      return teacherId;
    };
    for (const [key, n, cohortId, confirm] of [
      ['A', 51001, ids.C1, true],
      ['B', 51002, ids.C1, true],
      ['C', 51003, ids.C1, true],
      ['U', 51004, ids.C1, false],
      ['O', 51005, ids.C2, true],
    ] as const) {
      const teacherId = await enrol(key, n, school, cohortId);
      tokens[key] = (await account('TEACHER', makePhone(n), teacherId)).token;
      if (confirm) await ok(as(tokens[key]).post(`/api/v1/enrolments/${enrolments[key]}/confirm`));
    }
    for (let i = 0; i < 45; i++) await enrol(`R${i}`, 52000 + i, i % 2 ? school : school2, ids.C3);
    const roster = Array.from({ length: 45 }, (_, i) => enrolments[`R${i}`]);
    await t.db.query(`UPDATE enrolment SET status = 'CONFIRMED' WHERE id IN (${roster.join(',')})`);
  }, 180_000);
  afterAll(async () => t?.close());

  describe('the rotating check-in code', () => {
    it('gives the session’s trainers and the owner the code, its URL and a QR image; never a teacher', async () => {
      now = cst('2019-07-15T08:50:00');
      const res = await ok(as(tokens.T1).get(`/api/v1/sessions/${ids.S1}/checkin-code`));
      expect(res.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(res.url).toBe(`http://shipei.test/checkin?s=${ids.S1}&c=${res.code}`);
      expect(res.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<path[\s\S]*<\/svg>\s*$/);
      expect(res.refreshAt).toBe(cst('2019-07-15T08:50:30').toISOString());
      expect(res.expiresAt).toBe(cst('2019-07-15T08:51:00').toISOString());
      expect(res).toMatchObject({
        opensAt: cst('2019-07-15T08:30:00').toISOString(),
        closesAt: cst('2019-07-15T11:00:00').toISOString(),
        open: true,
      });
      expect((await ok(as(admin).get(`/api/v1/sessions/${ids.S1}/checkin-code`))).code).toBe(res.code);

      const teacher = await as(tokens.A).get(`/api/v1/sessions/${ids.S1}/checkin-code`).expect(403);
      expect(teacher.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: expect.any(String) });
      expect(JSON.stringify(teacher.body)).not.toContain(res.code);
      await as(tokens.T2).get(`/api/v1/sessions/${ids.S1}/checkin-code`).expect(404);
      // The county reads the city's schedule but does not run it.
      expect((await as(tokens.countyA).get(`/api/v1/sessions/${ids.S1}/checkin-code`).expect(403)).body.code).toBe(
        'NOT_SESSION_MANAGER',
      );
      await http.get(`/api/v1/sessions/${ids.S1}/checkin-code`).expect(401);
    });

    it('changes every 30 seconds; accepts the previous step, refuses two steps old and another session’s code', async () => {
      now = cst('2019-07-15T08:50:00');
      const c0 = await code(ids.S1);
      const s5 = await code(ids.S5, tokens.T2);
      now = cst('2019-07-15T08:50:29.999');
      expect(await code(ids.S1)).toBe(c0);
      now = cst('2019-07-15T08:50:30');
      const c1 = await code(ids.S1);
      expect(c1).not.toBe(c0);

      const other = await checkIn('B', ids.S1, s5).expect(400);
      expect(other.body).toEqual({
        statusCode: 400,
        code: 'CHECKIN_CODE_INVALID',
        message: '二维码已过期，请重新扫描',
      });
      const fresh = await checkIn('A', ids.S1, c0).expect(201); // previous step: still accepted
      expect(fresh.body).toMatchObject({
        sessionId: ids.S1,
        enrolmentId: enrolments.A,
        status: 'PRESENT',
        statusLabel: '出勤',
        source: 'SELF',
        alreadyCheckedIn: false,
        message: '签到成功',
      });
      expect(fresh.body.checkedInAt).toBe(cst('2019-07-15T08:50:30').toISOString());

      now = cst('2019-07-15T08:51:00');
      expect((await checkIn('B', ids.S1, c0).expect(400)).body.code).toBe('CHECKIN_CODE_INVALID'); // two steps old
      await checkIn('B', ids.S1, 'not-a-code').expect(400);
      const post = (body: object) => as(tokens.B).post(`/api/v1/sessions/${ids.S1}/checkins`, body);
      const bad = await post({ code: 123 }).expect(400); // not coerced to "123"
      expect(bad.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: '请求参数有误：code',
        errors: [{ field: 'code', message: '必须是文本' }],
      });
      expect((await post({}).expect(400)).body.errors).toEqual([{ field: 'code', message: '不能为空' }]);
      expect((await post({ code: c1, extra: 1 }).expect(400)).body.errors).toEqual([
        { field: 'extra', message: '不允许的字段' },
      ]); // refused, not dropped
      expect((await post({ code: 'x'.repeat(65) }).expect(400)).body.errors).toEqual([
        { field: 'code', message: '长度不能超过 64 个字符' },
      ]);
      // The guard still comes first: a stranger learns nothing about the body.
      expect((await http.post(`/api/v1/sessions/${ids.S1}/checkins`).send({ code: 123 }).expect(401)).body.code).toBe(
        'UNAUTHORIZED',
      );
      const doc = (await http.get('/api/docs-json').expect(200)).body;
      expect(
        doc.paths['/api/v1/sessions/{id}/checkins'].post.requestBody.content['application/json'].schema,
      ).toMatchObject({ required: ['code'], properties: { code: { type: 'string', maxLength: 64 } } });

      // Repeating the scan changes nothing.
      const again = await checkIn('A', ids.S1, c1).expect(200);
      expect(again.body).toMatchObject({
        id: fresh.body.id,
        status: 'PRESENT',
        alreadyCheckedIn: true,
        checkedInAt: fresh.body.checkedInAt,
      });
      const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM attendance_record WHERE sessionId = ${ids.S1}`);
      expect(Number(n)).toBe(1);
    });

    it('records one row for 50 concurrent identical check-ins', async () => {
      now = cst('2019-07-15T08:55:00');
      const c = await code(ids.S1);
      const replies = await Promise.all(Array.from({ length: 50 }, () => checkIn('C', ids.S1, c)));
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(49);
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      const rows = await t.db.query(
        `SELECT status FROM attendance_record WHERE sessionId = ${ids.S1} AND enrolmentId = ${enrolments.C}`,
      );
      expect(rows).toEqual([{ status: 'PRESENT' }]);
    });

    it('refuses another cohort’s teacher (404), an unconfirmed enrolment (409), staff (403)', async () => {
      now = cst('2019-07-15T09:00:00');
      const c = await code(ids.S1);
      expect((await checkIn('O', ids.S1, c).expect(404)).body.code).toBe('NOT_IN_COHORT');
      expect((await checkIn('U', ids.S1, c).expect(409)).body).toMatchObject({ code: 'NOT_CONFIRMED' });
      expect((await checkIn('T1', ids.S1, c).expect(403)).body.code).toBe('FORBIDDEN');
      await checkIn('A', 999999, c).expect(400); // the code is for S1, not for a session that does not exist
    });

    it('opens 30 minutes before the start and closes at the end, saying when in Chinese', async () => {
      now = cst('2019-07-15T09:30:00');
      const notYet = await checkIn('A', ids.S2, await code(ids.S2)).expect(409);
      expect(notYet.body).toEqual({
        statusCode: 409,
        code: 'CHECKIN_NOT_OPEN',
        message: '签到尚未开始，将于 13:30 开放',
      });
      const tomorrow = await checkIn('A', ids.S3, await code(ids.S3)).expect(409);
      expect(tomorrow.body.message).toBe('签到尚未开始，将于 7月16日 08:30 开放');

      now = cst('2019-07-15T13:29:59');
      expect((await checkIn('A', ids.S2, await code(ids.S2)).expect(409)).body.code).toBe('CHECKIN_NOT_OPEN');
      now = cst('2019-07-15T11:00:00');
      const closed = await checkIn('B', ids.S1, await code(ids.S1)).expect(409);
      expect(closed.body).toMatchObject({ code: 'CHECKIN_CLOSED' });
      expect(closed.body.message).toContain('签到已结束（11:00 截止）');
    });

    it('counts as PRESENT until start + the program’s grace, LATE after', async () => {
      now = cst('2019-07-15T13:30:00');
      expect((await checkIn('U', ids.S2, await code(ids.S2)).expect(409)).body.code).toBe('NOT_CONFIRMED');
      now = cst('2019-07-15T14:15:00');
      expect((await checkIn('A', ids.S2, await code(ids.S2)).expect(201)).body.status).toBe('PRESENT');
      now = cst('2019-07-15T14:15:30');
      const late = await checkIn('B', ids.S2, await code(ids.S2)).expect(201);
      expect(late.body).toMatchObject({ status: 'LATE', statusLabel: '迟到', message: '签到成功（迟到）' });
    });
  });

  describe('the trainer’s screen, marking and closing', () => {
    it('lists the roster with live counts, deriving ABSENT only once the session has ended', async () => {
      now = cst('2019-07-15T15:00:00');
      const live = await ok(as(tokens.T1).get(`/api/v1/sessions/${ids.S2}/attendance`));
      expect(live.display).toBe('已签到 2 / 3');
      expect(live.counts).toEqual({
        expected: 3,
        checkedIn: 2,
        present: 1,
        late: 1,
        excused: 0,
        absent: 0,
        pending: 1,
      });
      const c = live.items.find((i: any) => i.enrolmentId === enrolments.C);
      expect(c).toMatchObject({
        name: names.C,
        school: '兰山区李官小学',
        status: null,
        statusLabel: '未签到',
        recorded: false,
      });
      expect(live.items.map((i: any) => i.enrolmentId)).not.toContain(enrolments.U);

      now = cst('2019-07-15T16:00:00');
      const ended = await ok(as(tokens.T1).get(`/api/v1/sessions/${ids.S2}/attendance`));
      expect(ended.items.find((i: any) => i.enrolmentId === enrolments.C)).toMatchObject({
        status: 'ABSENT',
        statusLabel: '缺勤',
        recorded: false,
      });
      await as(tokens.T2).get(`/api/v1/sessions/${ids.S2}/attendance`).expect(404);
      await as(tokens.A).get(`/api/v1/sessions/${ids.S2}/attendance`).expect(403);
    });

    it('ends check-in early once the session has started: ABSENT for those without a record, scans refused', async () => {
      now = cst('2019-07-15T13:50:00');
      expect((await as(tokens.T1).post(`/api/v1/sessions/${ids.S2}/close`).expect(409)).body).toMatchObject({
        code: 'SESSION_NOT_STARTED',
        message: '课次尚未开始（14:00 开始），不能记出勤、迟到或结束签到',
      });
      now = cst('2019-07-15T15:30:00');
      const closed = await ok(as(tokens.T1).post(`/api/v1/sessions/${ids.S2}/close`));
      expect(closed).toMatchObject({
        sessionId: ids.S2,
        absentRecorded: 1,
        counts: { expected: 3, checkedIn: 2, absent: 1, pending: 0 },
      });
      // The display gets no code now, only the state; a stale code is refused.
      now = cst('2019-07-15T15:31:00');
      const screen = await ok(as(tokens.T1).get(`/api/v1/sessions/${ids.S2}/checkin-code`));
      expect(screen).toMatchObject({
        state: 'CLOSED',
        open: false,
        code: null,
        url: null,
        qrSvg: null,
        closesAt: cst('2019-07-15T15:30:00').toISOString(),
      });
      // C was recorded ABSENT by the closing; a scan afterwards changes nothing.
      const late = await checkIn('C', ids.S2, await code(ids.S2)).expect(200);
      expect(late.body).toMatchObject({ status: 'ABSENT', source: 'CLOSE', alreadyCheckedIn: true });
      const early = await ok(as(tokens.T1).get(`/api/v1/sessions/${ids.S3}/checkin-code`));
      expect(early).toMatchObject({ state: 'NOT_OPEN', code: null, qrSvg: null });
      // Closing again keeps the first time and records nobody twice.
      now = cst('2019-07-15T16:05:00');
      expect((await ok(as(tokens.T1).post(`/api/v1/sessions/${ids.S2}/close`))).absentRecorded).toBe(0);
      const [closure] = await t.db.query(`SELECT closedAt FROM checkin_closure WHERE sessionId = ${ids.S2}`);
      expect(dbDate(closure.closedAt).getTime()).toBe(cst('2019-07-15T15:30:00').getTime());
      const rows = await t.db.query(
        `SELECT enrolmentId, status, source FROM attendance_record WHERE sessionId = ${ids.S2} ORDER BY enrolmentId`,
      );
      expect(rows.map((r: any) => [Number(r.enrolmentId), r.status, r.source])).toEqual([
        [enrolments.A, 'PRESENT', 'SELF'],
        [enrolments.B, 'LATE', 'SELF'],
        [enrolments.C, 'ABSENT', 'CLOSE'],
      ]);
    });

    it('marks and corrects with a reason, audited; only trainees of the cohort', async () => {
      now = cst('2019-07-15T16:10:00');
      const noReason = await as(tokens.T1)
        .put(`/api/v1/sessions/${ids.S1}/attendance/${enrolments.B}`, { status: 'PRESENT' })
        .expect(400);
      expect(noReason.body.errors.map((e: any) => e.field)).toContain('reason');
      await as(tokens.T1)
        .put(`/api/v1/sessions/${ids.S1}/attendance/${enrolments.B}`, { status: 'HERE', reason: 'x' })
        .expect(400);
      expect(
        (
          await as(tokens.T1)
            .put(`/api/v1/sessions/${ids.S1}/attendance/${enrolments.U}`, { status: 'PRESENT', reason: '未报到' })
            .expect(404)
        ).body.code,
      ).toBe('NOT_IN_COHORT');
      await as(tokens.T1)
        .put(`/api/v1/sessions/${ids.S1}/attendance/${enrolments.O}`, { status: 'PRESENT', reason: '别班' })
        .expect(404);
      await as(tokens.T2)
        .put(`/api/v1/sessions/${ids.S1}/attendance/${enrolments.B}`, { status: 'PRESENT', reason: 'x' })
        .expect(404);

      // No hours in advance: not PRESENT or LATE for a session that has not started; EXCUSED needs a reason too.
      for (const status of ['PRESENT', 'LATE'])
        expect((await mark(ids.S4, 'A', status).expect(409)).body.code).toBe('SESSION_NOT_STARTED');
      expect((await mark(ids.S4, 'A', 'EXCUSED', '   ').expect(400)).body.errors[0].field).toBe('reason');

      const marked = await mark(ids.S1, 'B', 'PRESENT', '手机没电，现场确认到课').expect(200);
      expect(marked.body).toMatchObject({
        status: 'PRESENT',
        source: 'TRAINER',
        reason: '手机没电，现场确认到课',
        checkedInAt: null,
      });
      const corrected = await mark(ids.S2, 'C', 'EXCUSED', '补交病假条').expect(200);
      expect(corrected.body).toMatchObject({ status: 'EXCUSED', source: 'TRAINER' });

      const audit = await t.db.query(
        `SELECT action, entityId, fields, note, actorId FROM audit_entry WHERE entity = 'attendance' ORDER BY id`,
      );
      expect(audit.map((a: any) => [a.action, a.note, Number(a.actorId)])).toEqual([
        ['mark', '-→PRESENT', ids.T1],
        ['correct', 'ABSENT→EXCUSED', ids.T1],
      ]);
      expect(audit.every((a: any) => a.fields === 'status,reason')).toBe(true);
    });
  });

  describe('leave', () => {
    let leaveC: number;

    it('lets a trainee ask for sessions of their own cohort, with a type and a reason', async () => {
      now = cst('2019-07-15T20:00:00');
      const res = await ok(
        as(tokens.C).post('/api/v1/leave-requests', { sessionIds: [ids.S3], type: 'SICK', reason: '发烧就医' }),
      );
      leaveC = res.id;
      expect(res).toMatchObject({
        enrolmentId: enrolments.C,
        cohortId: ids.C1,
        type: 'SICK',
        typeLabel: '病假',
        status: 'PENDING',
        statusLabel: '待审批',
        teacherName: names.C,
      });
      expect(res.sessions.map((s: any) => s.id)).toEqual([ids.S3]);

      expect(
        (
          await as(tokens.C)
            .post('/api/v1/leave-requests', { sessionIds: [ids.S3], type: 'PERSONAL', reason: '再请一次' })
            .expect(409)
        ).body.code,
      ).toBe('LEAVE_EXISTS');
      expect(
        (
          await as(tokens.C)
            .post('/api/v1/leave-requests', { sessionIds: [ids.S1], type: 'PERSONAL', reason: '已签到' })
            .expect(409)
        ).body.code,
      ).toBe('ALREADY_ATTENDED');
      expect(
        (
          await as(tokens.O)
            .post('/api/v1/leave-requests', { sessionIds: [ids.S3], type: 'SICK', reason: '别班' })
            .expect(404)
        ).body.code,
      ).toBe('NOT_IN_COHORT');
      expect(
        (
          await as(tokens.U)
            .post('/api/v1/leave-requests', { sessionIds: [ids.S3], type: 'SICK', reason: '未报到' })
            .expect(409)
        ).body.code,
      ).toBe('NOT_CONFIRMED');
      const badType = await as(tokens.C)
        .post('/api/v1/leave-requests', { sessionIds: [ids.S4], type: '病假', reason: 'x' })
        .expect(400);
      expect(badType.body.errors[0].field).toBe('type');
      await as(tokens.C).post('/api/v1/leave-requests', { sessionIds: [], type: 'SICK', reason: 'x' }).expect(400);
      await as(tokens.T1)
        .post('/api/v1/leave-requests', { sessionIds: [ids.S3], type: 'SICK', reason: 'x' })
        .expect(403);
    });

    it('takes a doctor’s note (image or PDF, ≤ 5 MB, known by its content) that only the teacher and the deciders see', async () => {
      const png = new PNG({ width: 40, height: 30 });
      png.data.fill(200);
      const photo = PNG.sync.write(png);
      const upload = (token: string, content: Buffer, filename: string, contentType = 'application/octet-stream') =>
        http
          .put(`/api/v1/leave-requests/${leaveC}/attachment`)
          .auth(token, { type: 'bearer' })
          .attach('file', content, { filename, contentType });

      const attached = await ok(upload(tokens.C, photo, '病历.png'));
      expect(attached.attachment).toEqual({ filename: '病历.png', contentType: 'image/png', size: photo.length });
      expect((await ok(as(tokens.T1).get(`/api/v1/leave-requests/${leaveC}`))).attachment.filename).toBe('病历.png');

      // Served, byte for byte, to the teacher, the cohort's trainer and the owner; to nobody else.
      for (const who of [tokens.C, tokens.T1, admin]) {
        const res = await as(who)
          .get(`/api/v1/leave-requests/${leaveC}/attachment`)
          .buffer(true)
          .parse(binary)
          .expect(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(Buffer.compare(res.body, photo)).toBe(0);
      }
      await as(tokens.T2).get(`/api/v1/leave-requests/${leaveC}/attachment`).expect(404);
      await as(tokens.B).get(`/api/v1/leave-requests/${leaveC}/attachment`).expect(404);
      const county = await as(tokens.countyA).get(`/api/v1/leave-requests/${leaveC}/attachment`);
      expect(county.status).toBe(403);

      // The content decides, not the name: a CSV named .jpg is refused, with the reason in Chinese.
      const csv = await upload(tokens.C, Buffer.from('姓名,病情\n张三,发烧\n'), '假条.jpg', 'image/jpeg').expect(400);
      expect(csv.body).toMatchObject({ code: 'ATTACHMENT_INVALID' });
      expect(csv.body.message).toContain('图片（JPG、PNG、WEBP、HEIC）或 PDF');
      const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0);
      Buffer.from('%PDF-1.4\n').copy(big);
      expect((await upload(tokens.C, big, '大文件.pdf').expect(413)).body.code).toBe('ATTACHMENT_TOO_LARGE');
      // Others cannot attach to it; the note is unchanged by the refusals.
      await upload(tokens.B, photo, 'x.png').expect(404);
      await upload(tokens.T1, photo, 'x.png').expect(403);
      // A second upload replaces the first.
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      expect((await ok(upload(tokens.C, pdf, '诊断证明.pdf'))).attachment).toEqual({
        filename: '诊断证明.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
      });
      const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM leave_attachment WHERE leaveRequestId = ${leaveC}`);
      expect(Number(n)).toBe(1);

      // Through the pages: the teacher uploads from the phone's leave list, the trainer sees it on the request.
      const cookie = (token: string) => `shipei_token=${token}`;
      const list = await http.get('/app/me/leave').set('Cookie', cookie(tokens.C)).expect(200);
      expect(list.text).toContain(`action="/app/me/leave/${leaveC}/attachment" enctype="multipart/form-data"`);
      const posted = await http
        .post(`/app/me/leave/${leaveC}/attachment`)
        .set('Cookie', cookie(tokens.C))
        .attach('file', photo, { filename: '病历照片.png', contentType: 'image/png' })
        .expect(303);
      expect(posted.headers.location).toBe('/app/me/leave');
      const refused = await http
        .post(`/app/me/leave/${leaveC}/attachment`)
        .set('Cookie', cookie(tokens.C))
        .attach('file', Buffer.from('not a picture'), { filename: 'x.jpg', contentType: 'image/jpeg' })
        .expect(303);
      const flash = ([] as string[]).concat((refused.headers['set-cookie'] as unknown as string[]) ?? []);
      const after = await http
        .get('/app/me/leave')
        .set('Cookie', [cookie(tokens.C), ...flash.map((c) => c.split(';')[0])].join('; '))
        .expect(200);
      expect(after.text).toContain('附件须为图片');
      expect(after.text).toContain('病历照片.png');
      const detail = await http.get(`/app/trainer/leave/${leaveC}`).set('Cookie', cookie(tokens.T1)).expect(200);
      expect(detail.text).toContain(`href="/api/v1/leave-requests/${leaveC}/attachment"`);
      expect(detail.text).toContain('病历照片.png');
    });

    it('is approved (→ EXCUSED) or refused by the cohort’s trainer, once', async () => {
      await as(tokens.T2).post(`/api/v1/leave-requests/${leaveC}/approve`).expect(404);
      await as(tokens.C).post(`/api/v1/leave-requests/${leaveC}/approve`).expect(403);
      const approved = await ok(as(tokens.T1).post(`/api/v1/leave-requests/${leaveC}/approve`, { note: '注意休息' }));
      expect(approved).toMatchObject({ status: 'APPROVED', statusLabel: '已批准', decisionNote: '注意休息' });
      expect((await as(tokens.T1).post(`/api/v1/leave-requests/${leaveC}/refuse`).expect(409)).body).toMatchObject({
        code: 'LEAVE_ALREADY_DECIDED',
        message: '该请假已处理（已批准），不能再次审批',
      });
      const [rec] = await t.db.query(
        `SELECT status, source, leaveRequestId FROM attendance_record WHERE sessionId = ${ids.S3} AND enrolmentId = ${enrolments.C}`,
      );
      expect([rec.status, rec.source, Number(rec.leaveRequestId)]).toEqual(['EXCUSED', 'LEAVE', leaveC]);
      // Decided: its note stays as it was.
      await http
        .put(`/api/v1/leave-requests/${leaveC}/attachment`)
        .auth(tokens.C, { type: 'bearer' })
        .attach('file', Buffer.from('%PDF-1.4\n'), { filename: '补交.pdf' })
        .expect(409);

      const leaveB = await ok(
        as(tokens.B).post('/api/v1/leave-requests', { sessionIds: [ids.S4], type: 'OFFICIAL', reason: '学校公务' }),
      );
      expect(leaveB.typeLabel).toBe('公假');
      const refused = await ok(
        as(tokens.T1).post(`/api/v1/leave-requests/${leaveB.id}/refuse`, { note: '公务可调整' }),
      );
      expect(refused).toMatchObject({ status: 'REFUSED', statusLabel: '未批准' });
      const none = await t.db.query(
        `SELECT id FROM attendance_record WHERE sessionId = ${ids.S4} AND enrolmentId = ${enrolments.B}`,
      );
      expect(none).toHaveLength(0);
    });

    it('shows a teacher their own requests and their own attendance only', async () => {
      const own = await ok(as(tokens.C).get('/api/v1/leave-requests'));
      expect(own.items.map((l: any) => l.id)).toEqual([leaveC]);
      await as(tokens.B).get(`/api/v1/leave-requests/${leaveC}`).expect(404);
      const trainer = await ok(as(tokens.T1).get(`/api/v1/leave-requests?cohortId=${ids.C1}`));
      expect(trainer.total).toBe(2);
      expect((await ok(as(tokens.T2).get('/api/v1/leave-requests'))).total).toBe(0);

      const mine = await ok(as(tokens.C).get('/api/v1/me/attendance'));
      expect(mine.items).toHaveLength(1);
      expect(mine.items[0]).toMatchObject({
        cohortId: ids.C1,
        cohortName: '一班',
        totalHours: 10,
        attendedHours: 2,
        attendanceRate: 0.2,
        threshold: 0.8,
      });
      expect(mine.items[0].sessions.map((s: any) => s.statusLabel)).toEqual(['出勤', '请假', '请假', '未签到']);
      await as(tokens.T1).get('/api/v1/me/attendance').expect(403);
    });
  });

  describe('completion', () => {
    it('waits for the last session to end', async () => {
      now = cst('2019-07-16T17:59:00');
      expect((await as(tokens.T1).post(`/api/v1/cohorts/${ids.C1}/completion`).expect(409)).body.code).toBe(
        'COHORT_NOT_ENDED',
      );
    });

    it('completes at exactly the threshold (8 of 10 h) and not just under it (7.99 h)', async () => {
      now = cst('2019-07-16T18:05:00');
      // A: S2 + S3 + S4 = 1.99 + 2.01 + 4 = 8 h (S1 corrected to ABSENT); B: S1 + S2 + S4 = 7.99 h; C: S1 = 2 h.
      await mark(ids.S1, 'A', 'ABSENT', '签到后离开').expect(200);
      await mark(ids.S3, 'A', 'PRESENT', '补录').expect(200);
      await mark(ids.S4, 'A', 'LATE', '补录').expect(200);
      await mark(ids.S4, 'B', 'PRESENT', '补录').expect(200);

      await as(tokens.A).post(`/api/v1/cohorts/${ids.C1}/completion`).expect(403);
      await as(tokens.T2).post(`/api/v1/cohorts/${ids.C1}/completion`).expect(404);
      const res = await ok(as(tokens.T1).post(`/api/v1/cohorts/${ids.C1}/completion`));
      expect(res).toMatchObject({
        cohortId: ids.C1,
        totalHours: 10,
        threshold: 0.8,
        programCreditHours: 48,
        completed: 1,
        notCompleted: 2,
      });
      const by = (k: string) => res.items.find((i: any) => i.enrolmentId === enrolments[k]);
      expect(by('A')).toMatchObject({
        attendedHours: 8,
        attendanceRate: 0.8,
        status: 'COMPLETED',
        creditHours: 48,
        changed: true,
      });
      expect(by('B')).toMatchObject({
        attendedHours: 7.99,
        attendanceRate: 0.799,
        status: 'NOT_COMPLETED',
        creditHours: 0,
      });
      expect(by('C')).toMatchObject({ attendedHours: 2, attendanceRate: 0.2, status: 'NOT_COMPLETED', creditHours: 0 });
      expect(by('U')).toBeUndefined();

      const a = await ok(as(admin).get(`/api/v1/enrolments/${enrolments.A}`));
      expect(a.status).toBe('COMPLETED');
      const [row] = await t.db.query(
        `SELECT status, attendedHours, attendanceRate, creditHours, completedAt FROM enrolment WHERE id = ${enrolments.A}`,
      );
      expect([row.status, Number(row.attendedHours), Number(row.attendanceRate), Number(row.creditHours)]).toEqual([
        'COMPLETED',
        8,
        0.8,
        48,
      ]);
      expect(row.completedAt).toBeTruthy();
    });

    it('gives the consistent result when run again, and after a correction', async () => {
      const same = await ok(as(tokens.T1).post(`/api/v1/cohorts/${ids.C1}/completion`));
      expect(same.items.every((i: any) => i.changed === false)).toBe(true);
      expect(same).toMatchObject({ completed: 1, notCompleted: 2 });

      await mark(ids.S3, 'B', 'LATE', '核对签到表后更正').expect(200); // B: 10 h
      await mark(ids.S4, 'A', 'ABSENT', '核对签到表后更正').expect(200); // A: 4 h
      const after = await ok(as(admin).post(`/api/v1/cohorts/${ids.C1}/completion`));
      const by = (k: string) => after.items.find((i: any) => i.enrolmentId === enrolments[k]);
      expect(by('A')).toMatchObject({
        attendedHours: 4,
        attendanceRate: 0.4,
        status: 'NOT_COMPLETED',
        creditHours: 0,
        changed: true,
      });
      expect(by('B')).toMatchObject({
        attendedHours: 10,
        attendanceRate: 1,
        status: 'COMPLETED',
        creditHours: 48,
        changed: true,
      });
      expect(by('C').changed).toBe(false);
      const rows = await t.db.query(
        `SELECT id, status, creditHours FROM enrolment WHERE id IN (${enrolments.A}, ${enrolments.B}) ORDER BY id`,
      );
      expect(rows.map((r: any) => [r.status, Number(r.creditHours)])).toEqual([
        ['NOT_COMPLETED', 0],
        ['COMPLETED', 48],
      ]);
      const audit = await t.db.query(`SELECT entity, note FROM audit_entry WHERE action = 'complete' ORDER BY id`);
      expect(audit.filter((a: any) => a.entity === 'enrolment').map((a: any) => a.note)).toEqual([
        'CONFIRMED→COMPLETED',
        'CONFIRMED→NOT_COMPLETED',
        'CONFIRMED→NOT_COMPLETED',
        'COMPLETED→NOT_COMPLETED',
        'NOT_COMPLETED→COMPLETED',
      ]);
      expect(audit.filter((a: any) => a.entity === 'cohort')).toHaveLength(3);
    });

    it('still lets a completed trainee’s teacher see their result', async () => {
      const mine = await ok(as(tokens.B).get('/api/v1/me/attendance'));
      expect(mine.items[0]).toMatchObject({
        enrolmentStatus: 'COMPLETED',
        creditHours: 48,
        attendedHours: 10,
        attendanceRate: 1,
      });
    });
  });

  describe('outputs', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'shipei-att-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const pdf = async (sessionId: number, token = tokens.T1) => {
      const res = await as(token)
        .get(`/api/v1/sessions/${sessionId}/sign-in-sheet.pdf`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      return res;
    };

    it('prints a sign-in sheet with the trainees’ names, the CJK font embedded as a subset', async () => {
      const res = await pdf(ids.S1);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('签到表-一班-2019-07-15-新课标解读.pdf')}`,
      );
      const file = join(dir, 's1.pdf');
      writeFileSync(file, res.body);
      // pdftotext spaces CJK text its own way: compare without whitespace.
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      for (const k of ['A', 'B', 'C']) expect(text).toContain(names[k]);
      // U is assigned but has not reported: on the sheet, marked, so they can sign on paper.
      expect(text).toContain(`${names.U}兰山区李官小学未报到`);
      expect(text).not.toContain(`${names.A}兰山区李官小学未报到`);
      for (const s of [
        '2019年全市贫困村学校骨干教师暑期培训',
        '签到表',
        '序号',
        '姓名',
        '学校',
        '签名',
        '课次：新课标解读',
        '班级：一班',
        '2019年7月15日（星期一）',
        '时间：09:00–11:00',
        '学时：2',
        '地点：临沂大学教室：201教室',
        '兰山区李官小学',
        '备注',
        '应到4人（其中未报到1人）',
        '第1页/共1页',
      ]) {
        expect(text).toContain(s);
      }
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThanOrEqual(1);
      for (const line of fonts) {
        expect(line).toMatch(/^[A-Z]{6}\+NotoSerifSC/);
        expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/); // emb yes, sub yes
      }
      await as(tokens.T2).get(`/api/v1/sessions/${ids.S1}/sign-in-sheet.pdf`).expect(404);
      await as(tokens.A).get(`/api/v1/sessions/${ids.S1}/sign-in-sheet.pdf`).expect(403);
    });

    it('runs a long roster over several pages, every name on it', async () => {
      const res = await pdf(ids.S6);
      const file = join(dir, 's6.pdf');
      writeFileSync(file, res.body);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
      expect(pages).toBe(3);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[^\S\f]+/g, '');
      for (let i = 0; i < 45; i++) expect(text).toContain(`教师${52000 + i}`);
      const pageTexts = text.split('\f').filter(Boolean);
      expect(pageTexts).toHaveLength(3);
      pageTexts.forEach((p, i) => {
        expect(p).toContain('签到表');
        expect(p).toContain('序号姓名学校备注签名');
        expect(p).toContain(`第${i + 1}页/共3页`);
      });
      expect(pageTexts[2]).toContain('应到45人');
      expect(pageTexts[0]).not.toContain('应到45人');
    });

    async function workbook(cohortId: number) {
      const res = await as(tokens.T1)
        .get(`/api/v1/cohorts/${cohortId}/attendance.xlsx`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      return wb.getWorksheet('考勤表')!;
    }

    it('exports the attendance matrix with labels, hours and rates that add up', async () => {
      now = cst('2019-07-16T18:30:00');
      const ws = await workbook(ids.C1);
      const header = (ws.getRow(3).values as unknown[]).slice(1);
      expect(header.slice(0, 3)).toEqual(['序号', '姓名', '学校']);
      expect(header.slice(-4)).toEqual(['出勤学时', '总学时', '出勤率', '结业结果']);
      expect(String(header[3])).toContain('新课标解读');
      const rows = new Map<string, unknown[]>();
      for (let r = 4; r <= 6; r++) {
        const v = (ws.getRow(r).values as unknown[]).slice(1);
        rows.set(String(v[1]), v);
      }
      // S1..S4 then hours, total, rate, result
      expect(rows.get(names.A)!.slice(3)).toEqual(['缺勤', '出勤', '出勤', '缺勤', 4, 10, 0.4, '未结业']);
      expect(rows.get(names.B)!.slice(3)).toEqual(['出勤', '迟到', '迟到', '出勤', 10, 10, 1, '已结业']);
      expect(rows.get(names.C)!.slice(3)).toEqual(['出勤', '请假', '请假', '缺勤', 2, 10, 0.2, '未结业']);
      expect(ws.getRow(4).getCell(10).numFmt).toBe('0.00%');
      const totals = (ws.getRow(7).values as unknown[]).slice(1);
      expect(totals.slice(1, 7)).toEqual(['出勤人数', '', 2, 2, 2, 1]);

      await as(tokens.T2).get(`/api/v1/cohorts/${ids.C1}/attendance.xlsx`).expect(404);
      await as(tokens.A).get(`/api/v1/cohorts/${ids.C1}/attendance.xlsx`).expect(403);
      const json = await ok(as(tokens.T1).get(`/api/v1/cohorts/${ids.C1}/attendance`));
      expect(json.items.map((i: any) => i.attendedHours).sort()).toEqual([10, 2, 4]);
    });

    it('escapes text that a spreadsheet would run as a formula', async () => {
      now = cst('2019-07-17T08:00:00');
      const ws = await workbook(ids.C3);
      const title = String(ws.getRow(3).getCell(4).value);
      expect(title.startsWith('\'=HYPERLINK("http://evil.example","点我")\n07-17 09:00')).toBe(true);
      expect(ws.getRow(3).getCell(4).formula).toBeUndefined();
      const blanks = Array.from({ length: 45 }, (_, i) => ws.getRow(4 + i).getCell(4).value);
      expect(blanks.every((v) => v === '' || v === null)).toBe(true); // not started: no status yet
    });
  });
});
