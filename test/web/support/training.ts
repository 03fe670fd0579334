import { CheckinCodes } from '@shipei/attendance';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import TestAgent from 'supertest/lib/agent';
import { account, createProgram, setQuotas } from '../../support/enrolment-fixtures';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  makePhone,
} from '../../support/fixtures';
import type { TestApp } from '../../support/test-app';
import { Clock } from '@shipei/core';

/** Shanghai wall-clock time → Date (no daylight saving in Asia/Shanghai). */
export const cst = (s: string) => new Date(`${s}+08:00`);

/** The password every seeded account has after its first-login change (enrolment-fixtures' `account`). */
export const SEEDED_PASSWORD = 'Changed1234';

export interface SeededTeacher {
  name: string;
  teacherId: number;
  enrolmentId: number;
  /** The login (a teacher's username is their phone number). */
  phone: string;
  token: string;
}

export interface TrainingWorld {
  admin: string;
  county: string;
  programId: number;
  /** 一班 (the trainer's): S1, S2 on 07-15, S3 on 07-16; 王秀英, 李建国 and 张丽 (and 刘洋, approved, not assigned). */
  cohortId: number;
  /** 二班 (another trainer's): S4 on 07-15; 陈明. */
  otherCohortId: number;
  sessions: { S1: number; S2: number; S3: number; S4: number };
  trainer: { id: number; username: string; token: string };
  teachers: Record<'A' | 'B' | 'C' | 'D' | 'X', SeededTeacher>;
}

export interface SeedOptions {
  /** Prefix of the accounts' usernames, so several suites' worlds never collide. */
  prefix: string;
  /** First teacher number (ID and phone numbers derive from it). */
  firstTeacher: number;
  /** Teachers who have not confirmed their place (报到) yet: they do it on their phone. */
  unconfirmed?: ('A' | 'B' | 'C' | 'X')[];
}

/**
 * A city program with one trainer's cohort, built through the API (the office and county pages are
 * tested elsewhere): quotas, nominations, approvals, cohorts, sessions on 15–16 July 2019,
 * assignments, teacher accounts (passwords already changed) and their 报到.
 *
 * 一班 (trainer): S1 07-15 09:00–11:00 · S2 07-15 14:00–16:00 · S3 07-16 09:00–11:00, 2 学时 each.
 * 二班 (another trainer): S4 07-15 09:00–11:00.
 */
export async function seedTraining(http: TestAgent, t: TestApp, opts: SeedOptions): Promise<TrainingWorld> {
  const ok = async (res: Promise<any> | any) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const as = (token: string) => ({
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {}),
    put: (path: string, body: object) => http.put(path).auth(token, { type: 'bearer' }).send(body),
  });

  const admin = await adminToken(http);
  const lanshan = await countyIdByCode(t.db, '371302');
  const county = await countyAdmin(http, admin, lanshan, `${opts.prefix}_county`);
  const school = await createSchool(http, county, lanshan, `兰山区${opts.prefix}李官小学`);
  const trainer = await account(http, admin, {
    username: `${opts.prefix}_trainer`,
    role: 'TRAINER',
    displayName: '张红梅',
  });
  const other = await account(http, admin, {
    username: `${opts.prefix}_trainer2`,
    role: 'TRAINER',
    displayName: '赵刚',
  });

  const programId = await createProgram(http, admin, {
    title: '2019年全市贫困村学校骨干教师暑期培训',
    seats: 100,
    creditHours: 6,
    certificatePrefix: 'LYGG',
  });
  await setQuotas(http, admin, programId, [{ countyId: lanshan, seats: 100 }]);
  const cohort = async (name: string, trainerId: number) =>
    (
      await ok(
        as(admin).post(`/api/v1/programs/${programId}/cohorts`, {
          name,
          capacity: 50,
          startDate: '2019-07-15',
          endDate: '2019-07-16',
          venue: '临沂大学西校区',
          trainerIds: [trainerId],
        }),
      )
    ).id as number;
  const cohortId = await cohort('一班', trainer.id);
  const otherCohortId = await cohort('二班', other.id);
  const session = async (cohort: number, title: string, from: string, to: string) =>
    (
      await ok(
        as(admin).post(`/api/v1/cohorts/${cohort}/sessions`, {
          title,
          startsAt: cst(from).toISOString(),
          endsAt: cst(to).toISOString(),
          hours: 2,
          room: '201 教室',
        }),
      )
    ).id as number;
  const sessions = {
    S1: await session(cohortId, '新课标解读', '2019-07-15T09:00:00', '2019-07-15T11:00:00'),
    S2: await session(cohortId, '课堂观察与评价', '2019-07-15T14:00:00', '2019-07-15T16:00:00'),
    S3: await session(cohortId, '教学设计工作坊', '2019-07-16T09:00:00', '2019-07-16T11:00:00'),
    S4: await session(otherCohortId, '新课标解读', '2019-07-15T09:00:00', '2019-07-15T11:00:00'),
  };

  const people: [keyof TrainingWorld['teachers'], string, number | null][] = [
    ['A', '王秀英', cohortId],
    ['B', '李建国', cohortId],
    ['C', '张丽', cohortId],
    ['D', '刘洋', null],
    ['X', '陈明', otherCohortId],
  ];
  const teachers = {} as TrainingWorld['teachers'];
  let n = opts.firstTeacher;
  for (const [key, name, assignTo] of people) {
    const teacherId = await createTeacher(http, county, school, n, { name, stage: '小学', subject: '语文' });
    const e = await ok(as(county).post(`/api/v1/programs/${programId}/enrolments`, { teacherId }));
    await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
    if (assignTo) await ok(as(admin).post(`/api/v1/cohorts/${assignTo}/assignments`, { enrolmentIds: [e.id] }));
    const phone = makePhone(n);
    const { token } = await account(http, county, { username: phone, role: 'TEACHER', teacherId });
    if (assignTo && !opts.unconfirmed?.includes(key as 'A'))
      await ok(as(token).post(`/api/v1/enrolments/${e.id}/confirm`));
    teachers[key] = { name, teacherId, enrolmentId: e.id, phone, token };
    n++;
  }
  return {
    admin,
    county,
    programId,
    cohortId,
    otherCohortId,
    sessions,
    trainer: { id: trainer.id, username: `${opts.prefix}_trainer`, token: trainer.token },
    teachers,
  };
}

/** Sets the attendance clock (check-in window, lateness, codes) of the running app; returns a setter. */
export function controlClock(t: TestApp, start: Date): (next: Date | string) => void {
  let now = start;
  jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
  return (next) => {
    now = typeof next === 'string' ? cst(next) : next;
  };
}

/**
 * The current check-in code of a session, as the trainer's screen would show it. Outside the
 * window the screen shows none; with `t` given, the code a stale photo of the screen would carry.
 */
export async function checkinCode(
  http: TestAgent,
  trainerToken: string,
  sessionId: number,
  t?: TestApp,
): Promise<string> {
  const res = await http.get(`/api/v1/sessions/${sessionId}/checkin-code`).auth(trainerToken, { type: 'bearer' });
  if (res.status !== 200) throw new Error(`checkin-code → ${res.status} ${JSON.stringify(res.body)}`);
  if (res.body.code === null && t) return t.app.get(CheckinCodes, { strict: false }).issue(sessionId).code;
  return res.body.code as string;
}

/** The text of a QR code shown on the page (decoded from a screenshot of the element, as a phone camera would). */
export async function readQr(page: Page, selector: string): Promise<string> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!qr) throw new Error('no QR code found');
  return qr.data;
}
