/** 400 approvals of one program → 400 e-mails through the outbox to a local SMTP server (target: all delivered within 10 s); the approvals' latency with and without the outbox */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { AddressInfo } from 'node:net';
import { DomainEvents, EventRelay } from '@shipei/core';
import { EnrolmentEvents } from '@shipei/enrolment';
import { BenchDb, freshDatabase, median, startApp } from './lib';

/*
 * The batch approval (推荐审核, ticked in bulk) approves one enrolment after another, CONCURRENCY at a
 * time. Four rounds of N approvals on one app, ABBA: without the outbox, with, with, without. Without
 * = the approval still records its domain event, but nothing consumes enrolment.approved (no
 * message composed, no inbox row, no delivery row); with = the app as it runs: the relay composing
 * each message after its approval committed, the dispatcher sending
 * each e-mail to the SMTP server started here; deferred = the same, but the relay is held until the
 * round's approvals are done (so the approvals pay only for what the change itself writes: the
 * with/without ratio is the CPU that composing and sending the messages takes beside them in one
 * process on this machine, deferred/without what the outbox adds to the change). Rounds run
 * without, deferred, with, with, deferred, without. A round with messages ends when its N e-mails
 * have arrived, so no sending overlaps the next round's approvals.
 *
 *   npm run bench -- notify-batch [--db sqlite|mysql|both]      NOTIFY_BATCH=400 (approvals per round)
 */
const N = Number(process.env.NOTIFY_BATCH ?? 400);
const CONCURRENCY = 8;
const ORDER = ['without', 'deferred', 'with', 'with', 'deferred', 'without'] as const;
type Mode = (typeof ORDER)[number];

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

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

interface Round {
  mode: Mode;
  approvalsMs: number;
  latencies: number[];
  emails: number;
  /** From the first approval of the round to the last e-mail's arrival. */
  lastEmailMs: number;
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

    /** A program with N nominated teachers, each with an account and an e-mail address. */
    async function seed(r: number): Promise<number[]> {
      const program = (
        await ok('POST', '/api/v1/programs', admin, {
          kind: 'BACKBONE_SUMMER',
          year: 2030,
          title: `通知压测项目${r + 1}`,
          seats: N,
          creditHours: 24,
          certificatePrefix: `NTF${r}`,
          nominationDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        })
      ).id;
      await ok('PUT', `/api/v1/programs/${program}/quotas`, admin, [{ countyId: county, seats: N }]);
      await ok('POST', `/api/v1/programs/${program}/open`, admin);
      const enrolments: number[] = [];
      await pool([...Array(N).keys()], CONCURRENCY, async (k) => {
        const i = r * N + k;
        const t = await ok('POST', '/api/v1/teachers', admin, {
          name: `压测${i}`,
          idNumber: makeIdNumber(90_000 + i),
          phone: `137${String(i).padStart(8, '0')}`,
          schoolId: school,
        });
        // The teacher's account, inserted directly: N argon2 hashes would only time the seeding.
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
      return enrolments;
    }

    // Without the outbox: nothing consumes the approval's event (its record is still written).
    const events = app.nest.get(DomainEvents) as unknown as { consumers: Map<string, unknown[]> };
    const listeners = events.consumers.get(EnrolmentEvents.APPROVED);
    if (!listeners?.length) throw new Error('no consumer of enrolment.approved: is the notifications lib loaded?');

    const relay = app.nest.get(EventRelay);
    const nudge = relay.nudge;
    const rounds: Round[] = [];
    for (const [r, mode] of ORDER.entries()) {
      const enrolments = await seed(r);
      if (mode === 'without') events.consumers.delete(EnrolmentEvents.APPROVED);
      else events.consumers.set(EnrolmentEvents.APPROVED, listeners);
      const before = received.length;
      const latencies: number[] = [];
      const start = Date.now();
      if (mode === 'deferred') relay.nudge = () => undefined;
      await pool(enrolments, CONCURRENCY, async (id) => {
        const t0 = performance.now();
        await ok('POST', `/api/v1/enrolments/${id}/approve`, admin);
        latencies.push(performance.now() - t0);
      });
      const approvalsMs = Date.now() - start;
      if (mode === 'deferred') {
        relay.nudge = nudge;
        relay.nudge();
      }
      let emails = 0;
      let lastEmailMs = NaN;
      if (mode !== 'without') {
        const deadline = start + 60_000;
        while (received.length - before < N && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
        emails = received.length - before;
        lastEmailMs = emails ? received[received.length - 1] - start : NaN;
      } else {
        await new Promise((res) => setTimeout(res, 1500)); // a dispatcher poll: nothing may arrive
        emails = received.length - before;
      }
      rounds.push({ mode, approvalsMs, latencies, emails, lastEmailMs });
      console.log(
        `round ${r + 1} ${mode.padEnd(7)} outbox: ${N} approvals in ${(approvalsMs / 1000).toFixed(2)} s, ` +
          `mean ${round(mean(latencies))} ms, p95 ${round(percentile(latencies, 95))} ms; ${emails} e-mails` +
          (mode !== 'without' ? `, the last ${(lastEmailMs / 1000).toFixed(2)} s after the first approval` : ''),
      );
    }
    events.consumers.set(EnrolmentEvents.APPROVED, listeners);

    const of = (mode: Mode) => rounds.filter((x) => x.mode === mode);
    const summary = (mode: Mode) => {
      const all = of(mode).flatMap((x) => x.latencies);
      return {
        approvalsMs: median(of(mode).map((x) => x.approvalsMs)),
        meanMs: round(mean(all), 2),
        p50Ms: round(percentile(all, 50), 2),
        p95Ms: round(percentile(all, 95), 2),
      };
    };
    const withOutbox = summary('with');
    const deferred = summary('deferred');
    const without = summary('without');
    const lastEmailMs = Math.max(...of('with').map((x) => x.lastEmailMs));
    const allDelivered = [...of('with'), ...of('deferred')].every((x) => x.emails === N);
    const result = {
      name: 'notify-batch',
      db,
      approvals: N,
      concurrency: CONCURRENCY,
      rounds: ORDER.length,
      without,
      with: { ...withOutbox, emailsPerRound: of('with').map((x) => x.emails), lastEmailMs },
      deferred: { ...deferred, emailsPerRound: of('deferred').map((x) => x.emails) },
      strayEmailsWithout: of('without').reduce((n, x) => n + x.emails, 0),
      ratio: {
        mean: round(withOutbox.meanMs / without.meanMs, 2),
        p95: round(withOutbox.p95Ms / without.p95Ms, 2),
        batch: round(withOutbox.approvalsMs / without.approvalsMs, 2),
      },
      deferredRatio: {
        mean: round(deferred.meanMs / without.meanMs, 2),
        p95: round(deferred.p95Ms / without.p95Ms, 2),
        batch: round(deferred.approvalsMs / without.approvalsMs, 2),
      },
      withinTarget: allDelivered && lastEmailMs <= 10_000,
      env: {
        node: process.version,
        cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`,
        loadavg: loadavg()
          .map((n) => round(n, 2))
          .join(' '),
      },
      date: new Date().toISOString(),
    };
    console.log('');
    console.log(
      `notify-batch · ${db} — ${N} approvals, ${CONCURRENCY} at a time, rounds ${ORDER.join(', ')}; load average ${result.env.loadavg} on ${result.env.cpus}`,
    );
    console.log(
      `without outbox  batch ${(without.approvalsMs / 1000).toFixed(2)} s   per approval mean ${without.meanMs} ms, p50 ${without.p50Ms} ms, p95 ${without.p95Ms} ms`,
    );
    console.log(
      `with outbox     batch ${(withOutbox.approvalsMs / 1000).toFixed(2)} s   per approval mean ${withOutbox.meanMs} ms, p50 ${withOutbox.p50Ms} ms, p95 ${withOutbox.p95Ms} ms`,
    );
    console.log(
      `deferred        batch ${(deferred.approvalsMs / 1000).toFixed(2)} s   per approval mean ${deferred.meanMs} ms, p50 ${deferred.p50Ms} ms, p95 ${deferred.p95Ms} ms`,
    );
    console.log(
      `ratio           with/without: ${result.ratio.mean}× mean, ${result.ratio.p95}× p95, ${result.ratio.batch}× the whole batch (messages composed and sent beside the approvals)`,
    );
    console.log(
      `ratio           deferred/without: ${result.deferredRatio.mean}× mean, ${result.deferredRatio.p95}× p95, ${result.deferredRatio.batch}× the whole batch (what the outbox adds to the change)`,
    );
    console.log(
      `e-mails         ${of('with')
        .map((x) => `${x.emails}/${N}`)
        .join(
          ', ',
        )} at the SMTP server; the last ${(lastEmailMs / 1000).toFixed(2)} s after the batch's first approval (target ≤ 10 s: ${result.withinTarget ? 'met' : 'NOT met'})`,
    );
    console.log(JSON.stringify(result));
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `notify-batch-${db}.json`), JSON.stringify(result, null, 2) + '\n');
    if (!result.withinTarget || result.strayEmailsWithout) process.exitCode = 1;
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
