/**
 * The pages of notifications (spec §13, issue 17): 消息 with its unread count in every page's top bar,
 * opening a message marks it read and leads to the page concerned, and the office's 发送记录 with filters
 * and 重发. Over HTTP with session cookies, on SQLite and MariaDB/MySQL; messages are caused by real
 * changes (a program opened, a nomination approved) and e-mail goes to a real SMTP server.
 */
import { relayed } from './support/relay';
import { Outbox } from '@shipei/notifications';
import { account, createProgram, setQuotas } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { startSmtpCapture } from './support/smtp-capture';
import { ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

describe('notification pages: 消息 and 发送记录', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let program: number;
  /** Session cookies by who they are. */
  const cookies: Record<'admin' | 'county' | 'otherCounty' | 'teacher', string> = {} as never;
  let teacherUserId: number;

  const sessionCookie = async (username: string, password: string) => {
    const res = await t.http.post('/login').type('form').send({ username, password }).expect(303);
    const set = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[]) ?? []);
    const cookie = set.find((c) => c.startsWith('shipei_token='));
    if (!cookie) throw new Error(`no session cookie for ${username}`);
    return cookie.split(';')[0];
  };
  const page = (who: keyof typeof cookies, path: string) => t.http.get(path).set('Cookie', cookies[who]);
  const form = (who: keyof typeof cookies, path: string, body: object = {}) =>
    t.http.post(path).set('Cookie', cookies[who]).type('form').send(body);
  /** The count on 消息 in the top bar (0 when no badge is shown). */
  const badge = (html: string) => {
    const link = /<a class="inbox-link" href="\/app\/messages">消息(.*?)<\/a>/s.exec(html);
    if (!link) throw new Error('no 消息 link in the top bar');
    return Number(/<span class="badge"[^>]*>(\d+)<\/span>/.exec(link[1])?.[1] ?? 0);
  };
  const messageIds = (html: string) => [...html.matchAll(/action="\/app\/messages\/(\d+)\/open"/g)].map((m) => +m[1]);
  const inboxOf = async (userId: number) => {
    await relayed(t.app);
    return (await t.db.query('SELECT id, readAt FROM notification WHERE userId = ? ORDER BY id', [userId])) as {
      id: number;
      readAt: unknown;
    }[];
  };
  const userIdOf = async (username: string) =>
    Number((await t.db.query('SELECT id FROM user_account WHERE username = ?', [username]))[0].id);
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
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: '师培平台 <noreply@shipei.test>' });
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    const county = await countyAdmin(t.http, admin, lanshan, 'lanshan');
    await countyAdmin(t.http, admin, luozhuang, 'luozhuang');
    await t.db.query("UPDATE user_account SET email = 'lanshan@edu.test' WHERE username = 'lanshan'");
    const school = await createSchool(t.http, admin, lanshan, '兰山区某贫困村小学');
    const teacherId = await createTeacher(t.http, admin, school, 31_001);
    const teacher = await account(t.http, county, { username: makePhone(31_001), role: 'TEACHER', teacherId });
    teacherUserId = teacher.id;

    // Two programs opened: the county is told twice. One nomination approved: the teacher is told.
    program = await createProgram(t.http, admin, { title: '2026年骨干教师暑期培训' }, false);
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 12 }]);
    await t.http.post(`/api/v1/programs/${program}/open`).auth(admin, { type: 'bearer' }).expect(200);
    const second = await createProgram(t.http, admin, { title: '2026年乡村教师信息技术培训' }, false);
    await setQuotas(t.http, admin, second, [{ countyId: lanshan, seats: 3 }]);
    await t.http.post(`/api/v1/programs/${second}/open`).auth(admin, { type: 'bearer' }).expect(200);
    const e = await t.http
      .post(`/api/v1/programs/${program}/enrolments`)
      .auth(county, { type: 'bearer' })
      .send({ teacherId })
      .expect(201);
    const approved = await t.http
      .post(`/api/v1/enrolments/${e.body.id}/approve`)
      .auth(admin, { type: 'bearer' })
      .send({});
    if (approved.status >= 300) throw new Error(`approve → ${approved.status}`);
    await relayed(t.app); // the messages are written once the changes have committed

    cookies.admin = await sessionCookie('admin', ADMIN_PASSWORD);
    cookies.county = await sessionCookie('lanshan', 'County1234');
    cookies.otherCounty = await sessionCookie('luozhuang', 'County1234');
    cookies.teacher = await sessionCookie(makePhone(31_001), 'Changed1234');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('shows each user their own unread count on 消息 in the top bar of every page', async () => {
    const countyUnread = (await inboxOf(await userIdOf('lanshan'))).filter((m) => !m.readAt).length;
    expect(countyUnread).toBe(2);
    for (const path of ['/app', '/app/teachers', '/app/programs'])
      expect(badge((await page('county', path).expect(200)).text)).toBe(2);
    expect(badge((await page('teacher', '/app').expect(200)).text)).toBe(1);
    expect(badge((await page('otherCounty', '/app').expect(200)).text)).toBe(0);
  });

  it('lists only the caller’s messages, newest first, with 未读 marked', async () => {
    const html = (await page('county', '/app/messages').expect(200)).text;
    expect(html).toContain('「2026年乡村教师信息技术培训」开始推荐');
    expect(html).toContain('贵县区名额12人');
    expect(html.indexOf('信息技术培训」开始推荐')).toBeLessThan(html.indexOf('骨干教师暑期培训」开始推荐'));
    expect(html).not.toContain('审核通过'); // the teacher's message is not the county's
    const own = (await inboxOf(await userIdOf('lanshan'))).map((m) => Number(m.id));
    expect(messageIds(html).sort()).toEqual(own.sort());
    expect((await page('otherCounty', '/app/messages').expect(200)).text).toContain('暂无消息');
    const unreadOnly = (await page('county', '/app/messages?unread=true').expect(200)).text;
    expect(messageIds(unreadOnly)).toHaveLength(2);
    expect((await page('county', '/app/messages?unread=maybe').expect(200)).text).toContain(
      'unread 须为 true 或 false',
    );
  });

  it('opens a message: marks it read and goes to the page it is about; nobody else can open it', async () => {
    const [msg] = (await inboxOf(await userIdOf('lanshan'))).filter((m) => !m.readAt);
    for (const who of ['admin', 'otherCounty', 'teacher'] as const) {
      const res = await form(who, `/app/messages/${msg.id}/open`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('消息不存在或无权访问');
    }
    expect((await inboxOf(await userIdOf('lanshan'))).find((m) => m.id === msg.id)!.readAt).toBeNull();

    const opened = await form('county', `/app/messages/${msg.id}/open`).expect(303);
    expect(opened.headers.location).toMatch(/^\/app\/programs\/\d+\/nominate$/);
    expect((await inboxOf(await userIdOf('lanshan'))).find((m) => m.id === msg.id)!.readAt).not.toBeNull();
    expect(badge((await page('county', '/app').expect(200)).text)).toBe(1);
  });

  it('marks all read at once, and then shows no badge', async () => {
    const res = await form('teacher', '/app/messages/read-all').expect(303);
    expect(res.headers.location).toBe('/app/messages');
    expect((await inboxOf(teacherUserId)).every((m) => m.readAt)).toBe(true);
    const html = (await page('teacher', '/app/messages').expect(200)).text;
    expect(badge(html)).toBe(0);
    expect(html).toContain('推荐审核通过'.slice(2)); // 审核通过, still listed, now read
    expect(html).not.toContain('tag tag-warning">未读');
    // The county's messages are untouched by the teacher's read-all.
    expect((await inboxOf(await userIdOf('lanshan'))).filter((m) => !m.readAt)).toHaveLength(1);
  });

  it('refuses a form posted from another site', async () => {
    const res = await t.http
      .post('/app/messages/read-all')
      .set('Cookie', cookies.county)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({});
    expect(res.status).toBe(403);
    expect((await inboxOf(await userIdOf('lanshan'))).filter((m) => !m.readAt)).toHaveLength(1);
  });

  describe('发送记录 (the office)', () => {
    let deliveryId: number;

    beforeAll(async () => {
      // The county's e-mails of the two openings go out through the SMTP server.
      await until(async () => smtp.mails.filter((m) => m.to.includes('lanshan@edu.test')).length >= 2);
      await until(async () => {
        const rows = await t.db.query("SELECT id FROM delivery WHERE status = 'SENT' AND channel = 'EMAIL'");
        return rows.length >= 2 && rows;
      });
      deliveryId = Number((await t.db.query("SELECT MIN(id) AS id FROM delivery WHERE channel = 'EMAIL'"))[0].id);
    });

    it('is the office’s only: counties, trainers and teachers are refused', async () => {
      for (const who of ['county', 'otherCounty', 'teacher'] as const) {
        await page(who, '/app/deliveries').expect(403);
        await form(who, `/app/deliveries/${deliveryId}/resend`).expect(403);
      }
      const home = (await page('admin', '/app').expect(200)).text;
      expect(home).toContain('href="/app/deliveries"');
      expect((await page('county', '/app').expect(200)).text).not.toContain('href="/app/deliveries"');
    });

    it('lists deliveries with masked recipients, Chinese labels and filters', async () => {
      const html = (await page('admin', '/app/deliveries').expect(200)).text;
      expect(html).toContain('l***@edu.test');
      expect(html).not.toContain('lanshan@edu.test');
      expect(html).toContain('项目开始推荐（县区）');
      expect(html).toMatch(/<span class="tag tag-success">已发送<\/span>/);
      expect(html).toContain('<td>邮件</td>');
      const sms = (await page('admin', '/app/deliveries?channel=SMS').expect(200)).text;
      expect(sms).not.toContain('l***@edu.test');
      const failed = (await page('admin', '/app/deliveries?status=FAILED').expect(200)).text;
      expect(failed).toContain('暂无数据');
      const bad = (await page('admin', '/app/deliveries?status=LOST').expect(200)).text;
      expect(bad).toContain('status 须为 PENDING、SENT、FAILED 或 SKIPPED');
    });

    it('resends a failed delivery and keeps the list’s filters; a delivered one is refused with a message', async () => {
      // A refusal by the mail server is recorded with its answer; the retries are cut short here.
      smtp.refuse.add('lanshan@edu.test');
      await t.db.query("UPDATE delivery SET status = 'PENDING', nextAttemptAt = '2000-01-01 00:00:00' WHERE id = ?", [
        deliveryId,
      ]);
      t.app.get(Outbox).onWrite();
      await until(async () => {
        const [row] = await t.db.query('SELECT lastError FROM delivery WHERE id = ?', [deliveryId]);
        return row.lastError;
      });
      await t.db.query("UPDATE delivery SET status = 'FAILED' WHERE id = ?", [deliveryId]);
      const listed = (await page('admin', '/app/deliveries?status=FAILED').expect(200)).text;
      expect(listed).toContain('unavailable');
      expect(listed).toContain(`action="/app/deliveries/${deliveryId}/resend"`);

      smtp.refuse.clear();
      const sent = smtp.mails.length;
      const res = await form('admin', `/app/deliveries/${deliveryId}/resend`, {
        back: '/app/deliveries?status=FAILED&channel=EMAIL&evil=1',
      }).expect(303);
      expect(res.headers.location).toBe('/app/deliveries?channel=EMAIL&status=FAILED');
      await until(async () => smtp.mails.length > sent);
      await until(async () => {
        const [row] = await t.db.query('SELECT status FROM delivery WHERE id = ?', [deliveryId]);
        return row.status === 'SENT';
      });

      const again = await form('admin', `/app/deliveries/${deliveryId}/resend`, { back: '//evil.example/x' }).expect(
        303,
      );
      expect(again.headers.location).toBe('/app/deliveries');
      const flash = ([] as string[]).concat((again.headers['set-cookie'] as unknown as string[]) ?? []);
      const cookie = [cookies.admin, ...flash.map((c) => c.split(';')[0])].join('; ');
      const flashed = (await t.http.get('/app/deliveries').set('Cookie', cookie).expect(200)).text;
      expect(flashed).toContain('只有发送失败的消息可以重发');
    });
  });
});
