/**
 * SMS through the official SDKs (issue 17): Aliyun (dysmsapi, ACS3-HMAC-SHA256) and Tencent Cloud
 * (TC3-HMAC-SHA256), each pointed at a local gateway (SMS_ENDPOINT) that checks the request's
 * format and signature; quiet hours 22:00–07:00 Beijing; the gateway's refusal recorded.
 * Runs on SQLite and MariaDB/MySQL.
 */
import { relayed } from './support/relay';
import { Clock } from '@shipei/core';
import { createProgram, setQuotas } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { startSmsGateway } from './support/sms-gateway';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(180_000);

const NOON_BEIJING = new Date('2026-07-01T04:00:00Z');
const NIGHT_BEIJING = new Date('2026-07-01T15:00:00Z'); // 23:00

describe.each(['aliyun', 'tencent'] as const)('SMS through %s', (provider) => {
  let t: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  let admin: string;
  let county: string;
  let lanshan: number;
  let school: number;
  let program: number;
  let serial = provider === 'aliyun' ? 18_000 : 18_500;
  let now = NOON_BEIJING;

  const post = (token: string, path: string, body?: object) =>
    t.http
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body ?? {});
  const until = async <T>(what: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await what();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const deliveryOf = async (phone: string) => {
    await relayed(t.app);
    return (
      await t.db.query("SELECT id, status, attempts, lastError FROM delivery WHERE channel = 'SMS' AND recipient = ?", [
        phone,
      ])
    )[0];
  };

  /** A teacher without an account (SMS reaches them all the same), nominated and approved. */
  async function approvedTeacher() {
    const n = serial++;
    const teacherId = await createTeacher(t.http, admin, school, n);
    const e = await post(county, `/api/v1/programs/${program}/enrolments`, { teacherId });
    expect((await post(admin, `/api/v1/enrolments/${e.body.id}/approve`)).status).toBe(200);
    return makePhone(n);
  }

  beforeAll(async () => {
    gateway = await startSmsGateway(provider, 'AKID-test', 'secret-of-the-test');
    t = await startTestApp({
      SMS_PROVIDER: provider,
      SMS_ENDPOINT: gateway.url,
      SMS_KEY_ID: 'AKID-test',
      SMS_KEY_SECRET: 'secret-of-the-test',
      SMS_SIGN_NAME: '临沂教育',
      SMS_APP_ID: '1400000000',
      SMS_TEMPLATE_ENROLMENT_APPROVED: provider === 'aliyun' ? 'SMS_460001' : '1900001',
    });
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    county = await countyAdmin(t.http, admin, lanshan, `sms${provider}`);
    school = await createSchool(t.http, admin, lanshan, '兰山区某贫困村小学');
    program = await createProgram(t.http, admin, {
      title: '2026年乡村教师培训',
      startDate: '2026-07-10',
      endDate: '2026-07-20',
    });
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 20 }]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await gateway?.close();
  });

  it('sends the approval with the template, sign name and variables, correctly signed', async () => {
    const phone = await approvedTeacher();
    const req = await until(async () => gateway.requests.find((r) => r.phone === phone));
    expect(req.signatureOk).toBe(true);
    expect(req.signName).toBe('临沂教育');
    expect(req.template).toBe(provider === 'aliyun' ? 'SMS_460001' : '1900001');
    const values = Array.isArray(req.params) ? req.params : Object.values(req.params);
    expect(values).toEqual(['2026年乡村教师培训', '2026年7月10日']);
    const d = await until(async () => {
      const row = await deliveryOf(phone);
      return row?.status === 'SENT' && row;
    });
    expect(req.ref).toBe(String(d.id));
    expect(gateway.requests.filter((r) => r.phone === phone)).toHaveLength(1);
  });

  it('waits out the night (22:00–07:00 Beijing) and sends in the morning', async () => {
    now = NIGHT_BEIJING;
    const phone = await approvedTeacher();
    await new Promise((r) => setTimeout(r, 2500));
    expect(gateway.requests.find((r) => r.phone === phone)).toBeUndefined();
    expect((await deliveryOf(phone)).status).toBe('PENDING');
    now = NOON_BEIJING;
    await until(async () => (await deliveryOf(phone))?.status === 'SENT');
  });

  it("records the gateway's refusal as a failed attempt, to be retried", async () => {
    gateway.fail.code = provider === 'aliyun' ? 'isv.BUSINESS_LIMIT_CONTROL' : 'LimitExceeded.PhoneNumberDailyLimit';
    try {
      const phone = await approvedTeacher();
      const d = await until(async () => {
        const row = await deliveryOf(phone);
        return Number(row?.attempts) >= 1 && row;
      });
      expect(d.status).toBe('PENDING');
      expect(d.lastError).toContain(gateway.fail.code);
      expect(d.lastError).not.toContain(phone);
    } finally {
      gateway.fail.code = null;
    }
  });

  it('marks a message type without a template SKIPPED, saying which variable to set', async () => {
    const n = serial++;
    const teacherId = await createTeacher(t.http, admin, school, n);
    const e = await post(county, `/api/v1/programs/${program}/enrolments`, { teacherId });
    await post(admin, `/api/v1/enrolments/${e.body.id}/reject`, { reason: '名额已满' });
    const d = await deliveryOf(makePhone(n));
    expect(d.status).toBe('SKIPPED');
    expect(d.lastError).toContain('SMS_TEMPLATE_ENROLMENT_REJECTED');
  });
});
