/**
 * Notifications (spec §13, issue 17): messages written once the change has committed (its domain event is the outbox),
 * the inbox routes, e-mail through a real SMTP server, the office's delivery list and resend.
 * Runs on SQLite and MariaDB/MySQL.
 */
import { account, createProgram, setQuotas } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { relayed } from './support/relay';
import { startSmtpCapture } from './support/smtp-capture';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

describe('notifications: outbox, inbox, e-mail', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let admin: string;
  let county: string;
  let lanshan: number;
  let school: number;
  let serial = 17_000;

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
  const until = async <T>(what: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await what();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** A nominated teacher with an account (and e-mail when given): ids, token. */
  async function nominated(program: number, email?: string) {
    const n = serial++;
    const teacherId = await createTeacher(t.http, admin, school, n);
    const user = await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId });
    if (email) await t.db.query('UPDATE user_account SET email = ? WHERE id = ?', [email, user.id]);
    const e = await ok(post(county, `/api/v1/programs/${program}/enrolments`, { teacherId }));
    return { teacherId, userId: user.id, token: user.token, enrolmentId: e.id as number, phone: makePhone(n) };
  }

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: '师培平台 <noreply@shipei.test>' });
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    county = await countyAdmin(t.http, admin, lanshan, 'lanshan');
    school = await createSchool(t.http, admin, lanshan, '兰山区某贫困村小学');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('tells the county, once the change has committed, that nominations opened with its quota', async () => {
    const program = await createProgram(t.http, admin, { title: '2026年骨干教师暑期培训' }, false);
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 12 }]);
    await ok(post(admin, `/api/v1/programs/${program}/open`));
    const inbox = await ok(get(county, '/api/v1/me/notifications?unread=true'));
    const m = inbox.items.find((i: any) => i.type === 'program.opened');
    expect(m.title).toBe('「2026年骨干教师暑期培训」开始推荐');
    expect(m.body).toContain('贵县区名额12人');
    expect(m.link).toBe(`/app/programs/${program}/nominate`);
    expect(inbox.unread).toBeGreaterThanOrEqual(1);
  });

  describe('an approval', () => {
    let program: number;
    let a: Awaited<ReturnType<typeof nominated>>;

    beforeAll(async () => {
      program = await createProgram(t.http, admin, {
        title: '2026年乡村教师培训',
        startDate: '2026-07-10',
        endDate: '2026-07-20',
      });
      await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 5 }]);
      a = await nominated(program, 'li.hua@school.test');
      await ok(post(admin, `/api/v1/enrolments/${a.enrolmentId}/approve`));
    });

    it('lands in the teacher’s inbox in natural Chinese with the link', async () => {
      const inbox = await ok(get(a.token, '/api/v1/me/notifications'));
      expect(inbox.total).toBe(1);
      expect(inbox.unread).toBe(1);
      expect(inbox.items[0]).toMatchObject({
        type: 'enrolment.approved',
        title: '「2026年乡村教师培训」审核通过',
        link: '/app/me/programs',
        readAt: null,
      });
      expect(inbox.items[0].body).toContain('2026年7月10日至2026年7月20日');
    });

    it('is e-mailed once through SMTP, with the delivery recorded as SENT and one attempt', async () => {
      const mail = await until(async () => smtp.mails.find((m) => m.to.includes('li.hua@school.test')));
      expect(mail.subject).toBe('「2026年乡村教师培训」审核通过');
      expect(mail.from).toBe('noreply@shipei.test');
      expect(mail.text).toContain('请在培训开始前登录平台确认报到');
      expect(mail.text).toContain('http://shipei.test/app/me/programs');
      await relayed(t.app);
      const [d] = await t.db.query(
        "SELECT id, status, attempts FROM delivery WHERE channel = 'EMAIL' AND recipient = ?",
        ['li.hua@school.test'],
      );
      await until(
        async () => (await t.db.query('SELECT status FROM delivery WHERE id = ?', [d.id]))[0].status === 'SENT',
      );
      expect(mail.messageId).toBe(`<delivery-${d.id}@shipei>`);
      const attempts = await t.db.query('SELECT ok FROM delivery_attempt WHERE deliveryId = ?', [d.id]);
      expect(attempts.map((r: any) => Number(r.ok))).toEqual([1]);
      await new Promise((r) => setTimeout(r, 1500)); // a poll later, still one mail
      expect(smtp.mails.filter((m) => m.to.includes('li.hua@school.test'))).toHaveLength(1);
    });

    it('shows the office the delivery with a masked recipient, filtered; counties may not look', async () => {
      const page = await ok(get(admin, '/api/v1/notifications/deliveries?channel=EMAIL&type=enrolment.approved'));
      const d = page.items.find((i: any) => i.recipient === 'l***@school.test');
      expect(d).toMatchObject({ channel: 'EMAIL', status: 'SENT', attempts: 1, lastError: null });
      expect(JSON.stringify(page)).not.toContain('li.hua@');
      expect((await get(county, '/api/v1/notifications/deliveries')).status).toBe(403);
      expect((await get(admin, '/api/v1/notifications/deliveries?status=LOST')).status).toBe(400);
    });

    it('is read by its owner only: another user gets 404 and their own inbox', async () => {
      const other = await nominated(program);
      const [{ id }] = (await ok(get(a.token, '/api/v1/me/notifications'))).items;
      expect((await post(other.token, `/api/v1/me/notifications/${id}/read`)).status).toBe(404);
      expect((await ok(get(other.token, '/api/v1/me/notifications'))).total).toBe(0);
      expect(await ok(post(a.token, `/api/v1/me/notifications/${id}/read`))).toEqual({ unread: 0 });
      const after = await ok(get(a.token, '/api/v1/me/notifications?unread=true'));
      expect(after).toMatchObject({ total: 0, unread: 0 });
      expect((await ok(get(a.token, '/api/v1/me/notifications'))).items[0].readAt).not.toBeNull();
    });
  });

  it('writes nothing for a change that fails', async () => {
    const program = await createProgram(t.http, admin);
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 2 }]);
    const x = await nominated(program);
    await ok(post(admin, `/api/v1/enrolments/${x.enrolmentId}/approve`));
    const count = async () => {
      await relayed(t.app);
      return Number((await t.db.query('SELECT COUNT(*) AS n FROM notification'))[0].n);
    };
    const before = await count();
    expect((await post(admin, `/api/v1/enrolments/${x.enrolmentId}/approve`)).status).toBe(409); // already approved
    expect(await count()).toBe(before);
    expect((await ok(get(x.token, '/api/v1/me/notifications'))).total).toBe(1);
  });

  it('tells the teacher the reason of a rejection and the county of a decline; read-all clears the count', async () => {
    const program = await createProgram(t.http, admin, { title: '2026年班主任培训' });
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 3 }]);
    const r = await nominated(program);
    const d = await nominated(program);
    await ok(post(admin, `/api/v1/enrolments/${r.enrolmentId}/reject`, { reason: '不符合学段要求' }));
    const rejected = (await ok(get(r.token, '/api/v1/me/notifications'))).items[0];
    expect(rejected.title).toBe('「2026年班主任培训」推荐未通过');
    expect(rejected.body).toContain('原因：不符合学段要求');
    await ok(post(d.token, `/api/v1/enrolments/${d.enrolmentId}/decline`, {}));
    const countyInbox = await ok(get(county, '/api/v1/me/notifications'));
    expect(countyInbox.items[0].type).toBe('enrolment.declined');
    expect(countyInbox.items[0].body).toContain('已放弃参加「2026年班主任培训」');
    expect(await ok(post(county, '/api/v1/me/notifications/read-all'))).toEqual({ unread: 0 });
    expect((await ok(get(county, '/api/v1/me/notifications'))).unread).toBe(0);
  });

  it('records a refused address as a failed attempt with the server’s answer, masked, and retries later', async () => {
    smtp.refuse.add('gone@school.test');
    const program = await createProgram(t.http, admin);
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 3 }]);
    const g = await nominated(program, 'gone@school.test');
    await ok(post(admin, `/api/v1/enrolments/${g.enrolmentId}/approve`));
    const row = await until(async () => {
      const [d] = await t.db.query(
        "SELECT id, status, attempts, lastError FROM delivery WHERE recipient = 'gone@school.test'",
      );
      return Number(d?.attempts) >= 1 && d;
    });
    expect(row.status).toBe('PENDING'); // backoff, not given up
    expect(row.lastError).toMatch(/550/);
    expect(row.lastError).not.toContain('gone@school.test');
    const [attempt] = await t.db.query('SELECT ok, error FROM delivery_attempt WHERE deliveryId = ?', [row.id]);
    expect(Number(attempt.ok)).toBe(0);
    // Only a FAILED delivery can be resent by hand.
    expect((await post(admin, `/api/v1/notifications/deliveries/${row.id}/resend`)).status).toBe(409);
    await t.db.query("UPDATE delivery SET status = 'FAILED' WHERE id = ?", [row.id]);
    smtp.refuse.delete('gone@school.test');
    const resent = await ok(post(admin, `/api/v1/notifications/deliveries/${row.id}/resend`));
    expect(resent.status).toBe('PENDING');
    await until(async () => smtp.mails.find((m) => m.to.includes('gone@school.test')));
    await until(
      async () => (await t.db.query('SELECT status FROM delivery WHERE id = ?', [row.id]))[0].status === 'SENT',
    );
    expect((await post(admin, '/api/v1/notifications/deliveries/999999/resend')).status).toBe(404);
  });
});
