import { Clock } from '@shipei/core';
import type { BenchApp } from './app';

/**
 * The app runs on a fixed clock inside the session's check-in window (the injectable Clock), so one
 * code stays valid for the whole run; the floor checks codes against the same instant.
 */
export const CHECKIN_NOW = new Date('2019-07-15T09:05:00+08:00');

export interface CheckinState {
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

/** Through the API (for bench/checkin.bench.ts and bench/heavy-vs-checkin.bench.ts): a program, a cohort of 50 trainees (one with an account), a session; the trainee checks in once. */
export async function seedCheckin(app: BenchApp): Promise<CheckinState> {
  app.nest.get(Clock).now = () => new Date(CHECKIN_NOW);
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
