/**
 * The outbox delivers exactly once across processes (spec §13, issue 17), on MariaDB/MySQL:
 *   - two app processes on one database, both dispatching: hundreds of e-mails written to the
 *     outbox reach the SMTP server (smtp-server, in this test) once each, one attempt each; both
 *     processes ticking reminders every 200 ms write each reminder once per person;
 *   - kill -9: process A commits approvals and claims their e-mails, and is killed while its SMTP
 *     server never answers; process B delivers each of them once, after A's claim runs out.
 * Several processes need MySQL (SQLite is one process): with TEST_DATABASE_URL=mysql://… this
 * suite uses that server, otherwise a private MariaDB of its own (test/support/private-mariadb.ts).
 * It FAILS, never skips, when neither can be had.
 */
import { createServer, Server, Socket } from 'node:net';
import { ENTITIES, MIGRATIONS } from '@shipei/api/database/schema';
import { dataSourceOptions, loadAppConfig, openDataSource } from '@shipei/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { account } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, createSchool, createTeacher, makePhone } from './support/fixtures';
import { PrivateMariaDb, startPrivateMariaDb } from './support/private-mariadb';
import { startSmtpCapture } from './support/smtp-capture';
import { spawnApp, SpawnedApp } from './support/spawn-app';
import { createTestDatabase, mysqlServerUrl } from './support/test-database';

jest.setTimeout(300_000);

interface Db {
  url: string;
  drop(): Promise<void>;
}

let maria: PrivateMariaDb | null = null;
/** A fresh MySQL database: on TEST_DATABASE_URL's server, else on a private MariaDB (started once). */
async function mysqlDatabase(name: string): Promise<Db> {
  if (mysqlServerUrl()) return createTestDatabase();
  maria ??= await startPrivateMariaDb();
  return { url: await maria.createDatabase(name), drop: async () => undefined };
}

const until = async <T>(what: () => Promise<T | undefined | false>, ms = 60_000, label = 'condition'): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

async function openDb(url: string): Promise<DataSource> {
  return openDataSource(
    dataSourceOptions({
      config: loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: url }),
      entities: ENTITIES,
      migrations: MIGRATIONS,
    }),
  );
}

const countyIdOf = async (ds: DataSource, code: string) =>
  Number((await ds.query('SELECT id FROM organisation WHERE code = ?', [code]))[0].id);

afterAll(async () => {
  await maria?.destroy();
});

describe('outbox: two processes on one MySQL database', () => {
  const N = 300;
  let db: Db;
  let ds: DataSource;
  let apps: SpawnedApp[] = [];
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    db = await mysqlDatabase('shipei_once_two');
    const env = {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'noreply@shipei.test',
      REMINDER_INTERVAL_SECONDS: '0.2',
    };
    // The first process migrates; the second starts on the migrated database.
    apps = [await spawnApp({ databaseUrl: db.url, env })];
    apps.push(await spawnApp({ databaseUrl: db.url, env }));
    ds = await openDb(db.url);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await ds?.destroy();
    await db?.drop();
    await smtp?.close();
  });

  it(`delivers ${N} e-mails written to the outbox once each, both processes dispatching`, async () => {
    // The outbox as a change leaves it: notifications and their PENDING e-mail deliveries,
    // committed in a few transactions while both processes poll.
    const started = Date.now();
    for (let chunk = 0; chunk < N; chunk += 50) {
      await ds.transaction(async (em) => {
        for (let i = chunk; i < chunk + 50; i++) {
          const res = await em.query(
            "INSERT INTO notification (recipientKey, userId, dedupeKey, type, title, body, link, createdAt) VALUES (?, NULL, ?, 'enrolment.approved', ?, ?, NULL, ?)",
            [`t:${900_000 + i}`, `once:${i}`, `第${i}号通知`, `这是第${i}号通知。`, new Date()],
          );
          await em.query(
            "INSERT INTO delivery (notificationId, channel, recipient, type, params, status, attempts, nextAttemptAt, createdAt) VALUES (?, 'EMAIL', ?, 'enrolment.approved', '{}', 'PENDING', 0, ?, ?)",
            [res.insertId, `p${i}@school.test`, new Date(), new Date()],
          );
        }
      });
    }
    await until(
      async () =>
        Number(
          (await ds.query("SELECT COUNT(*) AS n FROM delivery WHERE status = 'SENT' AND recipient LIKE 'p%'"))[0].n,
        ) === N,
      120_000,
      'every delivery SENT',
    );
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2500)); // two more polls of each process: nothing more goes out

    const mails = smtp.mails.filter((m) => /^p\d+@school\.test$/.test(m.to[0] ?? ''));
    const perAddress = new Map<string, number>();
    for (const m of mails) perAddress.set(m.to[0], (perAddress.get(m.to[0]) ?? 0) + 1);
    expect(mails).toHaveLength(N);
    expect([...perAddress.values()].filter((n) => n !== 1)).toEqual([]);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(N);
    const [{ attempts, rows }] = await ds.query(
      "SELECT SUM(d.attempts) AS attempts, (SELECT COUNT(*) FROM delivery_attempt a JOIN delivery x ON x.id = a.deliveryId WHERE x.recipient LIKE 'p%') AS `rows` FROM delivery d WHERE d.recipient LIKE 'p%'",
    );
    expect(Number(attempts)).toBe(N);
    expect(Number(rows)).toBe(N);
    process.stdout.write(`exactly-once: ${N} e-mails through 2 processes in ${seconds.toFixed(1)} s\n`);
  });

  it('writes a reminder once per person while both processes tick every 200 ms', async () => {
    const http = request(apps[0].url);
    const admin = await adminToken(http);
    const lanshan = await countyIdOf(ds, '371302');
    const luozhuang = await countyIdOf(ds, '371311');
    await countyAdmin(http, admin, lanshan, 'once_lanshan');
    await countyAdmin(http, admin, luozhuang, 'once_luozhuang');
    await ds.query("UPDATE user_account SET email = CONCAT(username, '@county.test') WHERE username LIKE 'once\\_%'");
    const program = await http
      .post('/api/v1/programs')
      .auth(admin, { type: 'bearer' })
      .send({
        kind: 'BACKBONE_SUMMER',
        year: 2030,
        title: '截止提醒测试项目',
        seats: 20,
        creditHours: 24,
        certificatePrefix: 'ONCE',
        nominationDeadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      })
      .expect(201);
    await http
      .put(`/api/v1/programs/${program.body.id}/quotas`)
      .auth(admin, { type: 'bearer' })
      .send([
        { countyId: lanshan, seats: 5 },
        { countyId: luozhuang, seats: 3 },
      ])
      .expect(200);
    await http.post(`/api/v1/programs/${program.body.id}/open`).auth(admin, { type: 'bearer' }).expect(200);

    const reminded = () =>
      smtp.mails.filter((m) => m.subject === '「截止提醒测试项目」推荐即将截止').map((m) => m.to[0]);
    await until(async () => reminded().length >= 2, 30_000, 'the two reminders');
    await new Promise((r) => setTimeout(r, 3000)); // fifteen more ticks of each process
    expect(reminded().sort()).toEqual(['once_lanshan@county.test', 'once_luozhuang@county.test']);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM notification WHERE dedupeKey LIKE ?', [
      `reminder:nomination-deadline:${program.body.id}:%`,
    ]);
    expect(Number(n)).toBe(2);
  });
});

describe('outbox: kill -9 while dispatching', () => {
  let db: Db;
  let ds: DataSource;
  let a: SpawnedApp | null = null;
  let b: SpawnedApp | null = null;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let blackhole: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    // An SMTP server that accepts the connection and never says a word: A's sends hang there.
    blackhole = createServer((socket) => held.push(socket));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    db = await mysqlDatabase('shipei_once_kill');
  }, 240_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    for (const s of held) s.destroy();
    await new Promise((r) => blackhole?.close(r));
    await ds?.destroy();
    await db?.drop();
    await smtp?.close();
  });

  it('leaves what A committed and claimed to B, which delivers each once', async () => {
    const port = (blackhole.address() as { port: number }).port;
    const claim = { DELIVERY_CLAIM_SECONDS: '3', MAIL_FROM: 'noreply@shipei.test' };
    a = await spawnApp({ databaseUrl: db.url, env: { ...claim, SMTP_URL: `smtp://127.0.0.1:${port}` } });
    ds = await openDb(db.url); // A has migrated it
    const http = request(a.url);
    const admin = await adminToken(http);
    const lanshan = await countyIdOf(ds, '371302');
    const county = await countyAdmin(http, admin, lanshan, 'kill_county');
    const school = await createSchool(http, admin, lanshan, '兰山区汪沟镇中心小学');
    const program = (
      await http
        .post('/api/v1/programs')
        .auth(admin, { type: 'bearer' })
        .send({
          kind: 'BACKBONE_SUMMER',
          year: 2030,
          title: '断电测试项目',
          seats: 20,
          creditHours: 24,
          certificatePrefix: 'KILL',
          nominationDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        })
        .expect(201)
    ).body.id;
    await http
      .put(`/api/v1/programs/${program}/quotas`)
      .auth(admin, { type: 'bearer' })
      .send([{ countyId: lanshan, seats: 20 }])
      .expect(200);
    await http.post(`/api/v1/programs/${program}/open`).auth(admin, { type: 'bearer' }).expect(200);
    const enrolments: number[] = [];
    for (let i = 0; i < 12; i++) {
      const teacherId = await createTeacher(http, county, school, 74_000 + i);
      const user = await account(http, county, { username: makePhone(74_000 + i), role: 'TEACHER', teacherId });
      await ds.query('UPDATE user_account SET email = ? WHERE id = ?', [`kill${i}@school.test`, user.id]);
      const e = await http
        .post(`/api/v1/programs/${program}/enrolments`)
        .auth(county, { type: 'bearer' })
        .send({ teacherId })
        .expect(201);
      enrolments.push(e.body.id);
    }
    // A commits the approvals (each with its e-mail in the outbox) and starts sending: its first
    // claim hangs on the silent server, the rest wait behind it. Killed then, A has claimed some
    // e-mails (while dispatching) and not yet the others (before dispatching).
    await Promise.all(
      enrolments.map((id) => http.post(`/api/v1/enrolments/${id}/approve`).auth(admin, { type: 'bearer' }).expect(200)),
    );
    const mine = "recipient LIKE 'kill%'";
    const claimed = await until(
      async () => {
        const [r] = await ds.query(
          `SELECT COUNT(*) AS n, SUM(CASE WHEN claimToken IS NOT NULL THEN 1 ELSE 0 END) AS claimed FROM delivery WHERE ${mine}`,
        );
        return Number(r.n) === 12 && Number(r.claimed) > 0 && held.length > 0 && Number(r.claimed);
      },
      8_000,
      'A to claim e-mails',
    );
    process.kill(a.pid, 'SIGKILL');
    await until(
      async () => {
        try {
          process.kill(a!.pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      10_000,
      'A to die',
    );
    expect(claimed).toBeGreaterThan(0);
    a = null;

    const rows = await ds.query(`SELECT status, attempts FROM delivery WHERE ${mine}`);
    expect(rows.map((r: any) => `${r.status}/${r.attempts}`)).toEqual(Array(12).fill('PENDING/0'));
    expect(smtp.mails.filter((m) => m.to[0]?.startsWith('kill'))).toEqual([]);

    b = await spawnApp({ databaseUrl: db.url, env: { ...claim, SMTP_URL: smtp.url } });
    await until(
      async () =>
        Number((await ds.query(`SELECT COUNT(*) AS n FROM delivery WHERE ${mine} AND status = 'SENT'`))[0].n) === 12,
      60_000,
      'B to deliver the 12 e-mails',
    );
    await new Promise((r) => setTimeout(r, 4000)); // past another claim period: nothing more
    const mails = smtp.mails.filter((m) => m.to[0]?.startsWith('kill'));
    expect(mails.map((m) => m.to[0]).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `kill${i}@school.test`).sort(),
    );
    expect(mails.every((m) => m.subject === '「断电测试项目」审核通过')).toBe(true);
    const attempts = await ds.query(
      `SELECT a.ok FROM delivery_attempt a JOIN delivery d ON d.id = a.deliveryId WHERE d.${mine}`,
    );
    expect(attempts.map((r: any) => Number(r.ok))).toEqual(Array(12).fill(1));
  });
});
