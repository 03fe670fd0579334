/**
 * Self-service password reset by SMS code (spec §13, issue 17): 202 whatever the phone; a 6-digit
 * code through the SMS outbox (Aliyun's SDK against a local gateway that checks the signature),
 * even in quiet hours; kept hashed, valid 10 minutes, 5 tries; the reset ends every session;
 * rate-limited per phone and per address; 404 without SMS. Runs on SQLite and MariaDB/MySQL.
 */
import { Clock } from '@shipei/core';
import { account } from './support/enrolment-fixtures';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makePhone,
} from './support/fixtures';
import { startSmsGateway } from './support/sms-gateway';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(180_000);

const NIGHT_BEIJING = new Date('2026-07-01T15:30:00Z'); // 23:30, quiet hours

describe('password reset by SMS code', () => {
  let t: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let county: string;
  let school: number;
  let now = NIGHT_BEIJING;
  let serial = 73_000;

  const until = async <T>(what: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await what();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const askCode = (phone: string) => t.http.post('/api/v1/auth/password-reset/code').send({ phone });
  const reset = (phone: string, code: string, newPassword = 'Reset2026x') =>
    t.http.post('/api/v1/auth/password-reset').send({ phone, code, newPassword });
  /** The code the gateway received for the phone, the n-th one (1-based). */
  const codeSent = async (phone: string, n = 1) => {
    const req = await until(async () => gateway.requests.filter((r) => r.phone === phone)[n - 1]);
    expect(req.signatureOk).toBe(true);
    return (req.params as Record<string, string>).code;
  };
  /** A teacher with an account (logging in with the phone): phone, token. */
  async function teacher() {
    const n = serial++;
    const teacherId = await createTeacher(t.http, county, school, n);
    const user = await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId });
    return { phone: makePhone(n), token: user.token, userId: user.id };
  }

  beforeAll(async () => {
    gateway = await startSmsGateway('aliyun', 'AKID-test', 'secret-of-the-test');
    t = await startTestApp({
      SMS_PROVIDER: 'aliyun',
      SMS_ENDPOINT: gateway.url,
      SMS_KEY_ID: 'AKID-test',
      SMS_KEY_SECRET: 'secret-of-the-test',
      SMS_SIGN_NAME: '临沂教育',
      SMS_TEMPLATE_AUTH_PASSWORD_RESET: 'SMS_470001',
    });
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    const admin = await adminToken(t.http);
    const lanshan = await countyIdByCode(t.db, '371302');
    county = await countyAdmin(t.http, admin, lanshan, 'reset_county');
    school = await createSchool(t.http, admin, lanshan, '兰山区白沙埠镇中心小学');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
  });

  it('answers 202 for an unknown phone and sends nothing; refuses a malformed one with 400', async () => {
    const res = await askCode('13800000000');
    expect(res.status).toBe(202);
    expect(res.body.message).toBe('如该手机号已注册，验证码将发送至该手机，10分钟内有效');
    expect((await askCode('12345')).status).toBe(400);
    await new Promise((r) => setTimeout(r, 1500)); // a poll of the dispatcher
    expect(gateway.requests.filter((r) => r.phone === '13800000000')).toEqual([]);
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM password_reset_code'))[0].n)).toBe(0);
  });

  it('texts a 6-digit code at once, even at 23:30, keeps it hashed, and resets the password, ending every session', async () => {
    const a = await teacher();
    const known = await askCode(a.phone);
    expect(known.status).toBe(202);
    expect(known.body).toEqual((await askCode('13800000001')).body); // nothing tells the two apart
    const code = await codeSent(a.phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(gateway.requests.find((r) => r.phone === a.phone)!.template).toBe('SMS_470001');

    // Not in clear anywhere: the code row holds an HMAC; the delivery's variables are cleared once sent.
    const [row] = await t.db.query('SELECT codeHash, attempts FROM password_reset_code WHERE userId = ?', [a.userId]);
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    const d = await until(async () => {
      const [x] = await t.db.query(
        "SELECT status, params FROM delivery WHERE type = 'auth.password-reset' AND recipient = ?",
        [a.phone],
      );
      return x?.status === 'SENT' && x;
    });
    expect(d.params).toBe('{}');
    const [n] = await t.db.query("SELECT userId, body FROM notification WHERE type = 'auth.password-reset'");
    expect(n.userId).toBeNull(); // not in the inbox
    expect(n.body).not.toContain(code);
    expect((await t.http.get('/api/v1/me/notifications').auth(a.token, { type: 'bearer' })).body.total).toBe(0);

    const wrong = code === '000000' ? '000001' : '000000';
    const bad = await reset(a.phone, wrong);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_RESET_CODE');
    expect((await reset(a.phone, code, 'short')).status).toBe(400);

    expect((await reset(a.phone, code)).status).toBe(204);
    expect((await t.http.get('/api/v1/auth/me').auth(a.token, { type: 'bearer' })).status).toBe(401);
    const fresh = await login(t.http, a.phone, 'Reset2026x');
    const me = await t.http.get('/api/v1/auth/me').auth(fresh, { type: 'bearer' });
    expect(me.status).toBe(200);
    expect(me.body.mustChangePassword).toBe(false);
    // Used once only.
    expect((await reset(a.phone, code, 'Again2026x')).body.code).toBe('INVALID_RESET_CODE');
  });

  it('gives a code five tries, and ten minutes', async () => {
    const b = await teacher();
    expect((await askCode(b.phone)).status).toBe(202);
    const code = await codeSent(b.phone);
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) expect((await reset(b.phone, wrong)).status).toBe(400);
    expect((await reset(b.phone, code)).body.code).toBe('INVALID_RESET_CODE'); // tries used up

    // A new code replaces the old one; it is worthless after ten minutes.
    expect((await askCode(b.phone)).status).toBe(202);
    const second = await codeSent(b.phone, 2);
    now = new Date(NIGHT_BEIJING.getTime() + 10 * 60_000 + 1000);
    expect((await reset(b.phone, second)).body.code).toBe('INVALID_RESET_CODE');
    now = NIGHT_BEIJING;
    expect((await askCode(b.phone)).status).toBe(202);
    const third = await codeSent(b.phone, 3);
    expect((await reset(b.phone, second)).status).toBe(400); // only the latest code counts
    expect((await reset(b.phone, third)).status).toBe(204);
  });

  it('limits codes per phone (known or not, alike) and requests per address', async () => {
    for (const phone of ['13800000002', (await teacher()).phone]) {
      for (let i = 0; i < 5; i++) expect((await askCode(phone)).status).toBe(202);
      const sixth = await askCode(phone);
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe('TOO_MANY_REQUESTS');
    }
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await askCode(`1370000${String(i).padStart(4, '0')}`)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 202 && s !== 429)).toEqual([]);
    // The same address's count covers the reset itself.
    expect((await reset('13700000001', '123456')).status).toBe(429);
  });

  it('is not there without SMS: 404 with a Chinese message', async () => {
    const plain = await startTestApp();
    try {
      const res = await plain.http.post('/api/v1/auth/password-reset/code').send({ phone: '13800000000' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('SMS_RESET_UNAVAILABLE');
      expect(res.body.message).toContain('未开通短信找回密码');
      expect(
        (
          await plain.http
            .post('/api/v1/auth/password-reset')
            .send({ phone: '13800000000', code: '123456', newPassword: 'Reset2026x' })
        ).status,
      ).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
