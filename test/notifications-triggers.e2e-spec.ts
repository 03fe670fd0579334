/**
 * Notifications (spec §13, issue 17), the triggers of the libs below notifications: a trainee hears
 * their completion result and that their certificate was issued; a teacher and their county hear
 * the city's decision on a placement. Each event is written with its change (domain event →
 * outbox) and read back from the inbox; e-mail goes through a real SMTP server.
 * Runs on SQLite and MariaDB/MySQL.
 */
import { relayed } from './support/relay';
import { Clock } from '@shipei/core';
import { account } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { startSmtpCapture } from './support/smtp-capture';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const cst = (s: string) => new Date(`${s}+08:00`);

describe('notifications: completion, certificates, placements', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let admin: string;
  let county: string;
  let lanshan: number;
  let school: number;
  let now: Date;

  const post = (token: string, path: string, body?: object) =>
    t.http
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body ?? {});
  /** Reads after the relay has handed every committed event to the notifications. */
  const get = async (token: string, path: string) => {
    await relayed(t.app);
    return t.http.get(path).auth(token, { type: 'bearer' });
  };
  const ok = async (res: Promise<any>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const inbox = async (token: string) => (await ok(get(token, '/api/v1/me/notifications'))).items as any[];
  const until = async <T>(what: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await what();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'noreply@shipei.test' });
    now = cst('2019-07-15T08:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    county = await countyAdmin(t.http, admin, lanshan, 'trig_county');
    school = await createSchool(t.http, admin, lanshan, '兰山区方城镇中心小学');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('tells each trainee their completion result, then the one who completed that the certificate is issued', async () => {
    const trainer = await account(t.http, admin, { username: 'trig_trainer', role: 'TRAINER' });
    const program = await ok(
      post(admin, '/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年骨干教师暑期培训',
        seats: 10,
        creditHours: 48,
        attendanceThreshold: 0.8,
        certificatePrefix: 'LYGG',
      }),
    );
    await ok(
      t.http
        .put(`/api/v1/programs/${program.id}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([{ countyId: lanshan, seats: 10 }]),
    );
    await ok(post(admin, `/api/v1/programs/${program.id}/open`));
    const cohort = await ok(
      post(admin, `/api/v1/programs/${program.id}/cohorts`, {
        name: '一班',
        capacity: 10,
        startDate: '2019-07-15',
        endDate: '2019-07-15',
        venue: '临沂大学',
        trainerIds: [trainer.id],
      }),
    );
    const session = await ok(
      post(admin, `/api/v1/cohorts/${cohort.id}/sessions`, {
        title: '新课标解读',
        startsAt: cst('2019-07-15T09:00:00').toISOString(),
        endsAt: cst('2019-07-15T11:00:00').toISOString(),
        hours: 2,
        room: '201',
      }),
    );
    const trainees: { enrolmentId: number; token: string }[] = [];
    for (const n of [71_001, 71_002]) {
      const teacherId = await createTeacher(t.http, county, school, n);
      const e = await ok(post(county, `/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(post(admin, `/api/v1/enrolments/${e.id}/approve`));
      await ok(post(admin, `/api/v1/cohorts/${cohort.id}/assignments`, { enrolmentIds: [e.id] }));
      const user = await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId });
      await ok(post(user.token, `/api/v1/enrolments/${e.id}/confirm`));
      trainees.push({ enrolmentId: e.id, token: user.token });
    }
    const [a, b] = trainees;
    await t.db.query(
      'UPDATE user_account SET email = ? WHERE teacherId = (SELECT teacherId FROM enrolment WHERE id = ?)',
      ['kong.fx@school.test', a.enrolmentId],
    );

    now = cst('2019-07-15T11:30:00');
    await ok(
      t.http
        .put(`/api/v1/sessions/${session.id}/attendance/${a.enrolmentId}`)
        .auth(trainer.token, { type: 'bearer' })
        .send({ status: 'PRESENT', reason: '现场核对' }),
    );
    await ok(post(trainer.token, `/api/v1/cohorts/${cohort.id}/completion`));

    const passed = (await inbox(a.token)).find((m) => m.type === 'completion.decided');
    expect(passed.title).toBe('「2019年骨干教师暑期培训」已结业');
    expect(passed.body).toContain('一班（2019年7月15日至2019年7月15日）已结业：出勤2学时，出勤率100%');
    expect(passed.body).toContain('计入继续教育48学时');
    const failed = (await inbox(b.token)).find((m) => m.type === 'completion.decided');
    expect(failed.title).toBe('「2019年骨干教师暑期培训」未达到结业要求');
    expect(failed.body).toContain('出勤率0%，未达到结业要求（80%）');

    // The same result computed again tells nobody anything new.
    await ok(post(trainer.token, `/api/v1/cohorts/${cohort.id}/completion`));
    expect((await inbox(a.token)).filter((m) => m.type === 'completion.decided')).toHaveLength(1);

    await ok(post(trainer.token, `/api/v1/cohorts/${cohort.id}/certificates`));
    const cert = (await inbox(a.token)).find((m) => m.type === 'certificate.issued');
    expect(cert).toMatchObject({
      title: '「2019年骨干教师暑期培训」培训证书已发放',
      link: '/app/me/certificates',
    });
    expect(cert.body).toContain('证书编号LYGG2019-0001');
    expect((await inbox(b.token)).some((m) => m.type === 'certificate.issued')).toBe(false);
    const mail = await until(async () => smtp.mails.find((m) => m.subject.includes('培训证书已发放')));
    expect(mail.to).toEqual(['kong.fx@school.test']);
    expect(mail.text).toContain('http://shipei.test/app/me/certificates');
  });

  it('tells the teacher and the county of a placement approved, and of one rejected with its reason', async () => {
    const yinan = await countyIdByCode(t.db, '371321');
    const receiving = await createSchool(t.http, admin, yinan, '沂南县岸堤镇中心小学', { receivingSchool: true });
    const scheme = await ok(
      post(admin, '/api/v1/schemes', {
        kind: 'THREE_DISTRICTS',
        year: 2019,
        title: '2019年“三区”人才支持计划教师专项',
        places: 10,
        termStart: '2019-09-01',
        termEnd: '2020-07-15',
      }),
    );
    await ok(
      t.http
        .put(`/api/v1/schemes/${scheme.id}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([{ countyId: lanshan, places: 5 }]),
    );
    const placed: { id: number; token: string; name: string }[] = [];
    for (const [n, name] of [
      [71_101, '王支教'],
      [71_102, '李支教'],
    ] as const) {
      const teacherId = await createTeacher(t.http, county, school, n, {
        name,
        title: '一级教师',
        teachingStartYear: 2010,
        appraisalsQualified: true,
        onProbation: false,
        specialPost: false,
      });
      const user = await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId });
      const p = await ok(
        post(county, `/api/v1/schemes/${scheme.id}/placements`, { teacherId, receivingSchoolId: receiving }),
      );
      placed.push({ id: p.id, token: user.token, name });
    }
    await ok(post(admin, `/api/v1/placements/${placed[0].id}/approve`));
    await ok(post(admin, `/api/v1/placements/${placed[1].id}/reject`, { reason: '服务期与本校毕业班冲突' }));

    const yes = (await inbox(placed[0].token)).find((m) => m.type === 'placement.decided');
    expect(yes.title).toBe('「2019年“三区”人才支持计划教师专项」选派已批准');
    expect(yes.body).toContain('到沂南县岸堤镇中心小学支教，服务期2019年9月1日至2020年7月15日');
    const no = (await inbox(placed[1].token)).find((m) => m.type === 'placement.decided');
    expect(no.title).toBe('「2019年“三区”人才支持计划教师专项」选派未获批准');
    expect(no.body).toContain('原因：服务期与本校毕业班冲突');

    const countyMessages = (await inbox(county)).filter((m) => m.type === 'placement.decided-county');
    expect(countyMessages.map((m) => m.title).sort()).toEqual(['李支教的选派未获批准', '王支教的选派已批准'].sort());
    const back = countyMessages.find((m) => m.title === '李支教的选派未获批准');
    expect(back.body).toContain('名额已退回，可另行推荐');
    expect(back.link).toBe(`/app/placements/${placed[1].id}`);
  });
});
