/**
 * Sessions that end and guessing that is bounded, across processes (spec §12, issue 16). On MySQL
 * two app processes share one database; on SQLite one process (the same checks, one process).
 */
import { ENTITIES, MIGRATIONS } from '@shipei/api/database/schema';
import { dataSourceOptions, loadAppConfig, openDataSource } from '@shipei/core';
import { DataSource } from 'typeorm';
import { spawnApp, SpawnedApp } from './support/spawn-app';
import { ADMIN_PASSWORD } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { makeIdNumber, makePhone } from './support/fixtures';

interface Reply {
  status: number;
  body: any;
}

async function call(
  app: SpawnedApp,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; ip?: string } = {},
): Promise<Reply> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.ip ? { 'x-forwarded-for': opts.ip } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

async function ok(r: Promise<Reply>, status = 200): Promise<any> {
  const res = await r;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CJK = /[\u4e00-\u9fff]/;

jest.setTimeout(300_000);

describe('sessions and guessing across processes (issue 16)', () => {
  let database: TestDatabase;
  let apps: SpawnedApp[] = [];
  let admin: string;
  let countyId: number;
  let schoolId: number;
  let ds: DataSource;
  const callSql = (sql: string, params: unknown[]) => ds.query(sql, params);

  const login = (i: number, username: string, password: string, ip?: string) =>
    call(apps[i % apps.length], 'POST', '/api/v1/auth/login', { body: { username, password }, ip });

  /** A trainer account with its password changed, and a token for it. */
  async function account(username: string): Promise<{ id: number; token: string }> {
    const { id } = await ok(
      call(apps[0], 'POST', '/api/v1/users', {
        token: admin,
        body: { username, password: 'Init1234x', role: 'TRAINER' },
      }),
      201,
    );
    const first = (await ok(login(0, username, 'Init1234x'))).accessToken;
    const token = (
      await ok(
        call(apps[0], 'POST', '/api/v1/auth/password', {
          token: first,
          body: { currentPassword: 'Init1234x', newPassword: 'Right12345' },
        }),
      )
    ).accessToken;
    return { id, token };
  }

  /** Both processes answer `status` to the token on an authenticated route. */
  async function statusesOf(token: string): Promise<number[]> {
    return Promise.all(apps.map(async (a) => (await call(a, 'GET', '/api/v1/auth/me', { token })).status));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { TRUSTED_PROXIES: '127.0.0.1' };
    apps = [await spawnApp({ databaseUrl: database.url, env, timeoutMs: 300_000 })];
    if (database.dialect === 'mysql') apps.push(await spawnApp({ databaseUrl: database.url, env, timeoutMs: 300_000 }));
    ds = await openDataSource(
      dataSourceOptions({
        config: loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }),
        entities: ENTITIES,
        migrations: MIGRATIONS,
      }),
    );
    admin = (await ok(login(0, 'admin', ADMIN_PASSWORD))).accessToken;
    const counties = await ok(call(apps[0], 'GET', '/api/v1/organisations?type=COUNTY', { token: admin }));
    countyId = (counties.items ?? counties).find((o: any) => o.code === '371302').id;
    schoolId = (
      await ok(
        call(apps[0], 'POST', '/api/v1/organisations', {
          token: admin,
          body: {
            type: 'SCHOOL',
            name: '会话测试小学',
            parentId: countyId,
            povertyVillage: false,
            receivingSchool: false,
          },
        }),
        201,
      )
    ).id;
  }, 700_000);

  afterAll(async () => {
    await ds?.destroy();
    await Promise.all(apps.map((a) => a.stop()));
    await database?.drop();
  });

  describe('a token stops working on every process within a second', () => {
    it('after logout', async () => {
      const { token } = await account('sess_logout');
      expect(await statusesOf(token)).toEqual(apps.map(() => 200));
      await ok(call(apps[apps.length - 1], 'POST', '/api/v1/auth/logout', { token }), 204);
      await sleep(1100);
      const after = await Promise.all(apps.map((a) => call(a, 'GET', '/api/v1/auth/me', { token })));
      expect(after.map((r) => [r.status, r.body.code])).toEqual(apps.map(() => [401, 'SESSION_ENDED']));
      expect(after[0].body.message).toMatch(CJK);
      // Logging in again gives a working token.
      const again = (await ok(login(0, 'sess_logout', 'Right12345'))).accessToken;
      expect(await statusesOf(again)).toEqual(apps.map(() => 200));
    });

    it('after a password change (the new token works, the old one does not, also for writes)', async () => {
      const { token } = await account('sess_pw');
      const other = (await ok(login(1, 'sess_pw', 'Right12345'))).accessToken;
      expect(await statusesOf(other)).toEqual(apps.map(() => 200));
      const fresh = (
        await ok(
          call(apps[0], 'POST', '/api/v1/auth/password', {
            token,
            body: { currentPassword: 'Right12345', newPassword: 'Newer12345' },
          }),
        )
      ).accessToken;
      await sleep(1100);
      expect(await statusesOf(other)).toEqual(apps.map(() => 401));
      expect(await statusesOf(token)).toEqual(apps.map(() => 401));
      expect(await statusesOf(fresh)).toEqual(apps.map(() => 200));
    });

    it('after a reset, a disable, a role change; never kept alive by the verified-token cache', async () => {
      const victims = await Promise.all(['sess_reset', 'sess_disable', 'sess_role'].map(account));
      // Warm every process's verified-token cache with each token.
      for (const v of victims) expect(await statusesOf(v.token)).toEqual(apps.map(() => 200));
      const reset = await ok(call(apps[0], 'POST', `/api/v1/users/${victims[0].id}/reset-password`, { token: admin }));
      expect(reset.temporaryPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9]{10}$/);
      await ok(call(apps[0], 'PATCH', `/api/v1/users/${victims[1].id}`, { token: admin, body: { active: false } }));
      await ok(
        call(apps[0], 'PATCH', `/api/v1/users/${victims[2].id}`, { token: admin, body: { role: 'CITY_ADMIN' } }),
      );
      await sleep(1100);
      for (const v of victims) expect(await statusesOf(v.token)).toEqual(apps.map(() => 401));
      // The reset password is a one-time one; the disabled account cannot log in.
      const relog = await ok(login(0, 'sess_reset', reset.temporaryPassword));
      expect(relog.user.mustChangePassword).toBe(true);
      expect((await login(0, 'sess_disable', 'Right12345')).status).toBe(401);
      const role = await ok(login(0, 'sess_role', 'Right12345'));
      expect(role.user.role).toBe('CITY_ADMIN');
    });
  });

  describe('guessing is bounded across processes', () => {
    it('40 concurrent wrong passwords from one address: at most 5 evaluated, the rest 423', async () => {
      const { id } = await account('sess_guess');
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) => login(i, 'sess_guess', `Wrong${i}x123`, '198.51.100.7')),
      );
      const unauthorised = replies.filter((r) => r.status === 401).length;
      const locked = replies.filter((r) => r.status === 423);
      expect(unauthorised + locked.length).toBe(40);
      expect(unauthorised).toBeLessThanOrEqual(4);
      expect(locked.length).toBeGreaterThanOrEqual(36);
      expect(locked[0].body.code).toBe('ACCOUNT_LOCKED');
      expect(locked[0].body.message).toMatch(CJK);
      // The right password from the locked address is refused too…
      expect((await login(1, 'sess_guess', 'Right12345', '198.51.100.7')).status).toBe(423);
      // …but the owner at another address (the venue) gets in: an attacker locks out only their own address.
      expect((await login(0, 'sess_guess', 'Right12345', '203.0.113.50')).status).toBe(200);
      // One click by an administrator clears every lock of the account.
      await ok(call(apps[0], 'POST', `/api/v1/users/${id}/unlock`, { token: admin }));
      expect((await login(1, 'sess_guess', 'Right12345', '198.51.100.7')).status).toBe(200);
    });

    it('the account-wide ceiling holds across addresses, and the list shows the lock until unlocked', async () => {
      const { id } = await account('sess_ceiling');
      const replies: number[] = [];
      // 12 addresses × 5 wrong passwords, more than the ceiling of 50.
      for (let a = 0; a < 12; a++)
        replies.push(
          ...(
            await Promise.all(
              Array.from({ length: 5 }, (_, i) => login(i, 'sess_ceiling', `Wrong${i}x123`, `192.0.2.${a + 1}`)),
            )
          ).map((r) => r.status),
        );
      expect(replies.filter((s) => s !== 423).length).toBeLessThanOrEqual(50);
      expect((await login(0, 'sess_ceiling', 'Right12345', '203.0.113.60')).status).toBe(423);
      const list = await ok(call(apps[0], 'GET', '/api/v1/users?q=sess_ceiling', { token: admin }));
      expect(list.items).toHaveLength(1);
      expect(Date.parse(list.items[0].lockedUntil)).toBeGreaterThan(Date.now());
      const unlocked = await ok(call(apps[0], 'POST', `/api/v1/users/${id}/unlock`, { token: admin }));
      expect(unlocked.lockedUntil).toBeNull();
      expect((await login(1, 'sess_ceiling', 'Right12345', '203.0.113.60')).status).toBe(200);
    });

    it('the login throttle is shared by every process and sized for a venue of 400 on one address', async () => {
      const ip = '203.0.113.99';
      const window = 600;
      // Not across a window's end: the counts below belong to one window.
      const into = (Date.now() / 1000) % window;
      if (into > window - 60) await sleep((window - into + 1) * 1000);
      const windowStart = Math.floor(Date.now() / 1000 / window) * window;
      const seed = (hits: number) =>
        database.dialect === 'mysql'
          ? callSql('REPLACE INTO rate_counter (bucket, windowStart, hits) VALUES (?, ?, ?)', [
              `login|${ip}`,
              windowStart,
              hits,
            ])
          : callSql('INSERT OR REPLACE INTO rate_counter (bucket, windowStart, hits) VALUES (?, ?, ?)', [
              `login|${ip}`,
              windowStart,
              hits,
            ]);
      const burst = async (n: number) =>
        (await Promise.all(Array.from({ length: n }, (_, i) => login(i, `nobody_${i}`, 'Wrong12345', ip)))).map(
          (r) => r.status,
        );
      // 380 teachers of the venue have logged in already: 20 more all pass.
      await seed(380);
      expect(await burst(20)).toEqual(Array(20).fill(401));
      // Near the limit (600 in ten minutes), the processes share one count: exactly the rest pass.
      await seed(590);
      const statuses = await burst(20);
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    });
  });

  it('a teacher account follows the teacher’s phone; batch opening gives one-time passwords once', async () => {
    const teacher = await ok(
      call(apps[0], 'POST', '/api/v1/teachers', {
        token: admin,
        body: { name: '账号教师', idNumber: makeIdNumber(88001), phone: makePhone(88001), schoolId },
      }),
      201,
    );
    const first = await ok(
      call(apps[0], 'POST', '/api/v1/teachers/accounts', { token: admin, body: { teacherIds: [teacher.id] } }),
      201,
    );
    expect(first).toEqual([
      expect.objectContaining({
        teacherId: teacher.id,
        username: makePhone(88001),
        temporaryPassword: expect.any(String),
      }),
    ]);
    const again = await ok(
      call(apps[1 % apps.length], 'POST', '/api/v1/teachers/accounts', {
        token: admin,
        body: { teacherIds: [teacher.id] },
      }),
      201,
    );
    expect(again[0]).toEqual(expect.objectContaining({ userId: first[0].userId, temporaryPassword: null }));
    await ok(
      call(apps[0], 'PATCH', `/api/v1/teachers/${teacher.id}`, { token: admin, body: { phone: makePhone(88002) } }),
    );
    expect((await login(0, makePhone(88001), first[0].temporaryPassword)).status).toBe(401);
    expect((await ok(login(0, makePhone(88002), first[0].temporaryPassword))).user.teacherId).toBe(teacher.id);
  });
});
