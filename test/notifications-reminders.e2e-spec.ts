/**
 * Reminders on a schedule (spec §13, issue 17): a session tomorrow (from 18:00 Beijing time the day
 * before), a county's nomination deadline three days ahead with seats unfilled, a leave request
 * waiting for a trainer, and the office told of quotas unfilled at the deadline. The Clock is moved
 * and the scheduler's tick called by the test (REMINDER_INTERVAL_SECONDS=0); each reminder is
 * written once per person however often and from however many ticks at once it runs (the
 * database's unique key decides, see also notifications-exactly-once for two processes).
 * Runs on SQLite and MariaDB/MySQL.
 */
import { Clock } from '@shipei/core';
import { Reminders } from '@shipei/notifications';
import { account } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const cst = (s: string) => new Date(`${s}+08:00`);

describe('notifications: reminders', () => {
  let t: TestApp;
  let reminders: Reminders;
  let admin: string;
  let county: string;
  let otherCounty: string;
  let trainer: { id: number; token: string };
  let now: Date;
  let program: number;
  let cohort: number;
  let session: number;
  let school: number;
  let lanshan: number;
  const trainees: { enrolmentId: number; token: string }[] = [];
  let outsider: { token: string };

  const post = (token: string, path: string, body?: object) =>
    t.http
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body ?? {});
  const ok = async (res: Promise<any>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const inbox = async (token: string, type: string) =>
    ((await ok(t.http.get('/api/v1/me/notifications').auth(token, { type: 'bearer' }))).items as any[]).filter(
      (m) => m.type === type,
    );
  const count = async (key: string) =>
    Number((await t.db.query('SELECT COUNT(*) AS n FROM notification WHERE dedupeKey LIKE ?', [key]))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ REMINDER_INTERVAL_SECONDS: '0', REMINDER_LEAVE_HOURS: '4' });
    reminders = t.app.get(Reminders);
    now = cst('2019-07-15T09:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    const luozhuang = await countyIdByCode(t.db, '371311');
    county = await countyAdmin(t.http, admin, lanshan, 'rem_lanshan');
    otherCounty = await countyAdmin(t.http, admin, luozhuang, 'rem_luozhuang');
    school = await createSchool(t.http, admin, lanshan, '兰山区义堂镇中心小学');
    trainer = await account(t.http, admin, { username: 'rem_trainer', role: 'TRAINER' });

    program = (
      await ok(
        post(admin, '/api/v1/programs', {
          kind: 'BACKBONE_SUMMER',
          year: 2019,
          title: '2019年乡村教师暑期培训',
          seats: 20,
          creditHours: 48,
          attendanceThreshold: 0.8,
          certificatePrefix: 'LYXC',
          nominationDeadline: cst('2019-07-17T18:00:00').toISOString(),
        }),
      )
    ).id;
    await ok(
      t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([
          { countyId: lanshan, seats: 5 },
          { countyId: luozhuang, seats: 3 },
        ]),
    );
    await ok(post(admin, `/api/v1/programs/${program}/open`));
    cohort = (
      await ok(
        post(admin, `/api/v1/programs/${program}/cohorts`, {
          name: '二班',
          capacity: 10,
          startDate: '2019-07-16',
          endDate: '2019-07-18',
          venue: '临沂大学',
          trainerIds: [trainer.id],
        }),
      )
    ).id;
    session = (
      await ok(
        post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
          title: '课堂观察与评价',
          startsAt: cst('2019-07-16T09:00:00').toISOString(),
          endsAt: cst('2019-07-16T11:00:00').toISOString(),
          hours: 2,
          room: '教学楼301',
        }),
      )
    ).id;
    // A session the day after tomorrow is no reminder yet.
    await ok(
      post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '教学设计',
        startsAt: cst('2019-07-17T09:00:00').toISOString(),
        endsAt: cst('2019-07-17T11:00:00').toISOString(),
        hours: 2,
        room: '教学楼301',
      }),
    );
    for (const n of [72_001, 72_002, 72_003]) {
      const teacherId = await createTeacher(t.http, county, school, n);
      const e = await ok(post(county, `/api/v1/programs/${program}/enrolments`, { teacherId }));
      const user = await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId });
      if (n === 72_003) {
        outsider = user; // nominated, not approved: not in the cohort
        continue;
      }
      await ok(post(admin, `/api/v1/enrolments/${e.id}/approve`));
      await ok(post(admin, `/api/v1/cohorts/${cohort}/assignments`, { enrolmentIds: [e.id] }));
      trainees.push({ enrolmentId: e.id, token: user.token });
    }
    await ok(post(trainees[0].token, `/api/v1/enrolments/${trainees[0].enrolmentId}/confirm`));
  }, 120_000);
  afterAll(async () => t?.close());

  it('reminds each county whose seats are unfilled three days before the deadline, once', async () => {
    now = cst('2019-07-14T17:00:00'); // the deadline is 3 days and 1 hour away
    expect((await reminders.tick())['reminder.nomination-deadline']).toBe(0);
    now = cst('2019-07-14T18:00:00');
    const [first, second] = await Promise.all([reminders.tick(), reminders.tick()]);
    expect(first['reminder.nomination-deadline'] + second['reminder.nomination-deadline']).toBe(2);
    expect((await reminders.tick())['reminder.nomination-deadline']).toBe(0);
    const [m] = await inbox(county, 'reminder.nomination-deadline');
    expect(m.title).toBe('「2019年乡村教师暑期培训」推荐即将截止');
    expect(m.body).toBe(
      '「2019年乡村教师暑期培训」推荐将于7月17日 18:00截止，贵县区名额5人，已推荐3人，还有2个名额未推荐。请在截止前完成推荐。',
    );
    expect(m.link).toBe(`/app/programs/${program}/nominate`);
    expect((await inbox(otherCounty, 'reminder.nomination-deadline'))[0].body).toContain('还有3个名额未推荐');
    expect(await count('reminder:nomination-deadline:%')).toBe(2);
  });

  it('announces tomorrow’s session from 18:00 the day before, to the cohort’s trainees only, once', async () => {
    now = cst('2019-07-15T17:59:00');
    expect((await reminders.tick())['reminder.session-tomorrow']).toBe(0);
    now = cst('2019-07-15T18:00:00');
    const [a, b] = await Promise.all([reminders.tick(), reminders.tick()]);
    expect(a['reminder.session-tomorrow'] + b['reminder.session-tomorrow']).toBe(2);
    now = cst('2019-07-15T21:00:00');
    expect((await reminders.tick())['reminder.session-tomorrow']).toBe(0);
    for (const tr of trainees) {
      const got = await inbox(tr.token, 'reminder.session-tomorrow');
      expect(got).toHaveLength(1);
      expect(got[0].title).toBe('明天有课：「2019年乡村教师暑期培训」二班');
      expect(got[0].body).toBe(
        '提醒：您参加的「2019年乡村教师暑期培训」二班明天（2019年7月16日）有课程：7月16日 09:00「课堂观察与评价」，' +
          '地点：临沂大学 教学楼301。请按时到达并扫码签到；不能参加的请提前请假。',
      );
    }
    expect(await inbox(outsider.token, 'reminder.session-tomorrow')).toEqual([]);
    expect(await count(`reminder:session-tomorrow:${cohort}:2019-07-16`)).toBe(2);
    expect(await count('reminder:session-tomorrow:%:2019-07-17')).toBe(0);
  });

  it('reminds the trainers of a leave request still pending after REMINDER_LEAVE_HOURS, once', async () => {
    now = cst('2019-07-15T21:30:00');
    const leave = await ok(
      post(trainees[0].token, '/api/v1/leave-requests', { sessionIds: [session], type: 'SICK', reason: '发烧就医' }),
    );
    now = cst('2019-07-16T01:29:00');
    expect((await reminders.tick())['reminder.leave-waiting']).toBe(0);
    now = cst('2019-07-16T01:30:00');
    expect((await reminders.tick())['reminder.leave-waiting']).toBe(1);
    expect((await reminders.tick())['reminder.leave-waiting']).toBe(0);
    const [m] = await inbox(trainer.token, 'reminder.leave-waiting');
    expect(m.title).toBe('二班有请假申请待审批');
    expect(m.body).toMatch(/^二班学员.+于7月15日 21:30提交的请假申请已等待超过4小时，请尽快审批。$/);
    expect(await count(`reminder:leave-waiting:${leave.id}`)).toBe(1);
  });

  it('tells the office of the seats left unfilled once the deadline has passed, once', async () => {
    now = cst('2019-07-17T17:59:00');
    expect((await reminders.tick())['reminder.quota-unfilled']).toBe(0);
    now = cst('2019-07-17T18:01:00');
    expect((await reminders.tick())['reminder.quota-unfilled']).toBe(1); // the one city admin
    expect((await reminders.tick())['reminder.quota-unfilled']).toBe(0);
    const [m] = await inbox(admin, 'reminder.quota-unfilled');
    expect(m.title).toBe('「2019年乡村教师暑期培训」推荐截止，5个名额未推荐');
    expect(m.body).toContain('仍有5个名额未推荐：兰山区2人、罗庄区3人');
    // Past the deadline the counties are not reminded of it any more.
    expect(await count('reminder:nomination-deadline:%')).toBe(2);
  });
});
