/** 400 approvals of one program → 400 e-mails through the outbox to a local SMTP server (target: all delivered within 10 s) */
import { SMTPServer } from 'smtp-server';
import { AddressInfo } from 'node:net';
import { BenchDb, freshDatabase, startApp } from './lib';

const N = Number(process.env.NOTIFY_BATCH ?? 400);
const CONCURRENCY = 8;

function makeIdNumber(serial: number): string {
  const day = new Date(Date.UTC(1970, 0, 1) + Math.floor(serial / 1000) * 86_400_000);
  const body = `371302${day.toISOString().slice(0, 10).replace(/-/g, '')}${String(serial % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0) % 11];
}

async function pool<T>(items: T[], n: number, work: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function run(db: BenchDb): Promise<void> {
  const received: number[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.resume();
      stream.on('end', () => {
        received.push(Date.now());
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = ((smtp as any).server.address() as AddressInfo).port;
  const database = await freshDatabase(db);
  const app = await startApp(database.url, { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'bench@shipei.test' });
  try {
    const ok = async (method: string, path: string, token: string, body?: unknown) => {
      const r = await app.request(method, path, { token, body });
      if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const admin = await app.login('admin', app.adminPassword);
    const [{ id: county }] = await app.dataSource.query("SELECT id FROM organisation WHERE code = '371302'");
    await ok('POST', '/api/v1/users', admin, {
      username: 'benchcounty',
      password: 'Init1234x',
      role: 'COUNTY_ADMIN',
      organisationId: county,
    });
    const first = await app.login('benchcounty', 'Init1234x');
    const countyToken = (
      await ok('POST', '/api/v1/auth/password', first, { currentPassword: 'Init1234x', newPassword: 'County1234' })
    ).accessToken;
    const school = (
      await ok('POST', '/api/v1/organisations', admin, {
        type: 'SCHOOL',
        name: '压测小学',
        parentId: county,
        povertyVillage: true,
      })
    ).id;
    const program = (
      await ok('POST', '/api/v1/programs', admin, {
        kind: 'BACKBONE_SUMMER',
        year: 2030,
        title: '通知压测项目',
        seats: N,
        creditHours: 24,
        certificatePrefix: 'NTFY',
        nominationDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      })
    ).id;
    await ok('PUT', `/api/v1/programs/${program}/quotas`, admin, [{ countyId: county, seats: N }]);
    await ok('POST', `/api/v1/programs/${program}/open`, admin);
    const enrolments: number[] = [];
    await pool([...Array(N).keys()], CONCURRENCY, async (i) => {
      const t = await ok('POST', '/api/v1/teachers', admin, {
        name: `压测${i}`,
        idNumber: makeIdNumber(90_000 + i),
        phone: `137${String(i).padStart(8, '0')}`,
        schoolId: school,
      });
      // The teacher's account, inserted directly: 400 argon2 hashes would only time the seeding.
      await app.dataSource.query(
        'INSERT INTO user_account (username, passwordHash, role, displayName, teacherId, email, mustChangePassword, failedLogins, active, createdAt) VALUES (?, ?, ?, ?, ?, ?, 1, 0, 1, ?)',
        [
          `137${String(i).padStart(8, '0')}`,
          'x',
          'TEACHER',
          `压测${i}`,
          t.id,
          `t${i}@bench.test`,
          db === 'sqlite' ? new Date().toISOString().replace('T', ' ').replace('Z', '') : new Date(),
        ],
      );
      enrolments.push(
        (await ok('POST', `/api/v1/programs/${program}/enrolments`, countyToken, { teacherId: t.id })).id,
      );
    });
    const before = received.length;
    const start = Date.now();
    await pool(
      enrolments,
      CONCURRENCY,
      async (id) => void (await ok('POST', `/api/v1/enrolments/${id}/approve`, admin)),
    );
    const approved = Date.now() - start;
    const deadline = start + 60_000;
    while (received.length - before < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const got = received.length - before;
    const last = got ? received[received.length - 1] - start : NaN;
    const result = {
      name: 'notify-batch',
      db,
      approvals: N,
      approvalsMs: approved,
      emails: got,
      allEmailsMs: last,
      withinTarget: got === N && last <= 10_000,
    };
    console.log(
      `\n${db}: ${N} approvals in ${(approved / 1000).toFixed(2)} s; ${got}/${N} e-mails at the SMTP server ${(last / 1000).toFixed(2)} s after the first approval (target ≤ 10 s: ${result.withinTarget ? 'met' : 'NOT met'})`,
    );
    console.log(JSON.stringify(result));
    if (!result.withinTarget) process.exitCode = 1;
  } finally {
    await app.close();
    await database.drop();
    await new Promise<void>((r) => smtp.close(() => r()));
  }
}

const dbArg = process.argv[process.argv.indexOf('--db') + 1] as BenchDb;
run(dbArg === 'mysql' ? 'mysql' : 'sqlite').catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
