/**
 * Certificates at the end of the real flow, through the API only: program, quota, cohort with a
 * trainer, a session, nominations, approval, 分班, 报到, attendance marked by the trainer, completion
 * by the attendance module — then the trainer issues the cohort's certificates and the teacher
 * downloads theirs. Runs on SQLite and MariaDB/MySQL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { startTestApp, TestApp } from './support/test-app';
import { Clock } from '@shipei/core';

const cst = (s: string) => new Date(`${s}+08:00`);

// Also when run together with unit specs (jest's per-project testTimeout then does not apply), and on a busy machine.
jest.setTimeout(120_000);

describe('certificates after attendance completion (full flow)', () => {
  let t: TestApp;
  let http: TestAgent;
  let now: Date;
  let dir: string;

  const as = (token: string) => ({
    get: (path: string) => http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {}),
    put: (path: string, body: object) => http.put(path).auth(token, { type: 'bearer' }).send(body),
  });
  const ok = async (res: Promise<any> | any) => {
    const r = await res;
    if (r.status < 200 || r.status > 299)
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  async function account(
    admin: string,
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
    now = cst('2019-07-15T08:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    dir = mkdtempSync(join(tmpdir(), 'certificates-flow-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('issues certificates to the trainees the completion marked COMPLETED, and to no one else', async () => {
    const admin = await adminToken(http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const county = await countyAdmin(http, admin, lanshan, 'flow_county');
    const school = await createSchool(http, county, lanshan, '兰山区方城镇中心小学');
    const trainer = await account(admin, 'TRAINER', 'flow_trainer');

    const program = await ok(
      as(admin).post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年全市贫困村学校骨干教师暑期培训',
        seats: 10,
        creditHours: 48,
        attendanceThreshold: 0.8,
        certificatePrefix: 'LYGG',
      }),
    );
    await ok(as(admin).put(`/api/v1/programs/${program.id}/quotas`, [{ countyId: lanshan, seats: 10 }]));
    await ok(as(admin).post(`/api/v1/programs/${program.id}/open`));
    const cohort = await ok(
      as(admin).post(`/api/v1/programs/${program.id}/cohorts`, {
        name: '一班',
        capacity: 10,
        startDate: '2019-07-15',
        endDate: '2019-07-15',
        venue: '临沂大学',
        trainerIds: [trainer.id],
      }),
    );
    const session = await ok(
      as(admin).post(`/api/v1/cohorts/${cohort.id}/sessions`, {
        title: '新课标解读',
        startsAt: cst('2019-07-15T09:00:00').toISOString(),
        endsAt: cst('2019-07-15T11:00:00').toISOString(),
        hours: 2,
        room: '201',
      }),
    );

    const trainees: Record<string, { teacherId: number; enrolmentId: number; token: string }> = {};
    for (const [key, n] of [
      ['A', 64001],
      ['B', 64002],
    ] as const) {
      const teacherId = await createTeacher(http, county, school, n, { name: key === 'A' ? '孔繁星' : '孟子涵' });
      const e = await ok(as(county).post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
      await ok(as(admin).post(`/api/v1/cohorts/${cohort.id}/assignments`, { enrolmentIds: [e.id] }));
      const { token } = await account(county, 'TEACHER', makePhone(n), teacherId);
      await ok(as(token).post(`/api/v1/enrolments/${e.id}/confirm`));
      trainees[key] = { teacherId, enrolmentId: e.id, token };
    }

    // Before completion nobody can get a certificate.
    expect((await as(trainer.token).post(`/api/v1/cohorts/${cohort.id}/certificates`).expect(409)).body.code).toBe(
      'NOT_COMPLETED',
    );

    now = cst('2019-07-15T11:30:00');
    await as(trainer.token)
      .put(`/api/v1/sessions/${session.id}/attendance/${trainees.A.enrolmentId}`, {
        status: 'PRESENT',
        reason: '现场核对',
      })
      .expect(200);
    const completion = await ok(as(trainer.token).post(`/api/v1/cohorts/${cohort.id}/completion`));
    expect(completion).toMatchObject({ completed: 1, notCompleted: 1 });

    const issued = await as(trainer.token).post(`/api/v1/cohorts/${cohort.id}/certificates`).expect(201);
    expect(issued.body).toEqual([
      { id: expect.any(Number), number: 'LYGG2019-0001', verificationCode: expect.any(String), status: 'VALID' },
    ]);
    const refused = await as(admin).post(`/api/v1/enrolments/${trainees.B.enrolmentId}/certificate`).expect(409);
    expect(refused.body.code).toBe('NOT_COMPLETED');

    const mine = await ok(as(trainees.A.token).get('/api/v1/certificates'));
    expect(mine.items[0]).toMatchObject({
      holderName: '孔繁星',
      programTitle: '2019年全市贫困村学校骨干教师暑期培训',
      startDate: '2019-07-15',
      endDate: '2019-07-15',
      creditHours: 48,
      issuer: '临沂市教育局',
    });
    expect((await ok(as(trainees.B.token).get('/api/v1/certificates'))).total).toBe(0);

    const pdf = await as(trainees.A.token)
      .get(`/api/v1/certificates/${issued.body[0].id}/pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = join(dir, 'a.pdf');
    writeFileSync(file, pdf.body);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('孔繁星');
    expect(text).toContain('2019年全市贫困村学校骨干教师暑期培训');
    expect(text).toContain('48学时');
  });
});
