/** Soak: the core journey (nominate, approve, confirm, check in, complete, issue and download certificates) at a steady rate on two app processes sharing one MariaDB */
/*
 * npm run bench -- soak [--duration seconds (default 600)] [--connections batches in flight (default 4)]
 *
 * Two app processes (NODE_ENV=production) on one fresh MySQL/MariaDB database (BENCH_MYSQL_URL), every
 * request alternating between them as a load balancer would. A batch of 5 trainees starts every
 * SOAK_BATCH_EVERY_MS (default 5 s, i.e. 60 trainees a minute): their counties nominate them, the city
 * approves them, a cohort with a session that ends 30 s later is made and they are assigned; each
 * trainee logs in with their phone number, confirms, reads nothing but scans the session's check-in
 * code; when the session is over the cohort's completion is computed, its certificates are issued, the
 * cohort PDF is printed and each trainee downloads their own certificate.
 *
 * Reported per minute: requests, journeys completed, errors, p50/p99 latency, heap (after a full GC)
 * and RSS of both processes. Fails when any request was not the expected 2xx, when memory grew by 10%
 * or more after the warm-up (the first 25% of the run, at least 60 s), or when a rule of spec §4 does
 * not hold in the database at the end (nominations per county ≤ quota, approved ≤ seats, cohort
 * assignments ≤ capacity, no teacher enrolled twice, certificate numbers unique and gapless).
 * Always MySQL/MariaDB: several processes on one SQLite file is not a supported deployment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { AppProcess, startAppProcess } from '../test/reliability/support/app-process';
import { freshDatabase, resolveOptions } from './lib';

const BATCH = 5;
const BATCH_EVERY_MS = Number(process.env.SOAK_BATCH_EVERY_MS ?? 5_000);
const SESSION_MS = 30_000;
const MEMORY_EVERY_MS = 10_000;
const PASSWORD = 'Soak12345x';
const JWT_SECRET = 'soak-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const ADMIN_PASSWORD = 'SoakAdmin12345';

interface Sample {
  at: number;
  ms: number;
  ok: boolean;
  what: string;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

function idNumber(serial: number): string {
  const day = new Date(Date.UTC(1975, 0, 1) + Math.floor(serial / 1000) * 86_400_000);
  const body = `371302${day.toISOString().slice(0, 10).replace(/-/g, '')}${String(serial % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0) % 11];
}

async function main(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'soak', { duration: 600, connections: 4 });
  if (opts.db !== 'mysql')
    console.log(
      'soak: two app processes share one database, so it runs on MySQL/MariaDB (BENCH_MYSQL_URL) whatever --db says',
    );
  const durationMs = opts.duration * 1000;
  const warmupMs = Math.max(60_000, durationMs / 4);
  const trainees = Math.ceil(durationMs / BATCH_EVERY_MS + 2) * BATCH;

  const database = await freshDatabase('mysql');
  const apps: AppProcess[] = [];
  const cleanup = async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await database.drop().catch((e) => console.error('drop:', e));
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET,
      ADMIN_PASSWORD,
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    // The first process migrates the empty database; the second starts on the migrated one.
    apps.push(await startAppProcess(env, 180_000, { memoryEveryMs: MEMORY_EVERY_MS }));
    apps.push(await startAppProcess(env, 180_000, { memoryEveryMs: MEMORY_EVERY_MS }));
    let turn = 0;
    const samples: Sample[] = [];
    const t0 = { at: 0 };

    /** One request to the next process; records the sample when the run is measuring. */
    async function api(
      method: string,
      path: string,
      o: { token?: string; body?: unknown; ip?: string; expect?: number[]; binary?: boolean; what?: string } = {},
    ): Promise<any> {
      const base = apps[turn++ % apps.length].url;
      const headers: Record<string, string> = {};
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.ip) headers['x-forwarded-for'] = o.ip;
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const started = Date.now();
      let status = 0;
      let body: any;
      try {
        const res = await fetch(base + path, {
          method,
          headers,
          body: o.body === undefined ? undefined : JSON.stringify(o.body),
          signal: AbortSignal.timeout(60_000),
        });
        status = res.status;
        body = o.binary
          ? Buffer.from(await res.arrayBuffer())
          : (res.headers.get('content-type') ?? '').includes('json')
            ? await res.json()
            : await res.text();
      } catch (e) {
        body = String(e);
      }
      const ok = (o.expect ?? [200, 201]).includes(status);
      if (t0.at)
        samples.push({
          at: started - t0.at,
          ms: Date.now() - started,
          ok,
          what: o.what ?? `${method} ${path.replace(/\d+/g, ':id')}`,
        });
      if (!ok)
        throw new Error(
          `${method} ${path} → ${status} ${typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body).slice(0, 300)}`,
        );
      return body;
    }

    // ——— setup: counties, schools, teachers with accounts, one program with quotas ———
    console.log(`soak: setting up ${trainees} trainees on ${database.url.replace(/\/\/[^@]*@/, '//')} …`);
    const admin = (await api('POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } }))
      .accessToken as string;
    const counties = (await api('GET', '/api/v1/organisations?type=COUNTY&pageSize=50', { token: admin })).items as {
      id: number;
      code: string;
    }[];
    const countyIds = ['371302', '371311'].map((code) => counties.find((c) => c.code === code)!.id);
    const countyTokens: string[] = [];
    const schools: number[] = [];
    for (const [i, countyId] of countyIds.entries()) {
      await api('POST', '/api/v1/users', {
        token: admin,
        body: { username: `soak_county_${i}`, password: 'Init1234x', role: 'COUNTY_ADMIN', organisationId: countyId },
      });
      const first = (
        await api('POST', '/api/v1/auth/login', { body: { username: `soak_county_${i}`, password: 'Init1234x' } })
      ).accessToken;
      countyTokens.push(
        (
          await api('POST', '/api/v1/auth/password', {
            token: first,
            body: { currentPassword: 'Init1234x', newPassword: 'County1234x' },
          })
        ).accessToken,
      );
      schools.push(
        (
          await api('POST', '/api/v1/organisations', {
            token: countyTokens[i],
            body: {
              type: 'SCHOOL',
              name: `压力测试第${i + 1}小学`,
              parentId: countyId,
              povertyVillage: true,
              receivingSchool: false,
            },
          })
        ).id,
      );
    }
    const people: { teacherId: number; county: number; phone: string }[] = [];
    const makeOne = async (n: number) => {
      const county = n % 2;
      const phone = `135${String(n).padStart(8, '0')}`;
      const t = await api('POST', '/api/v1/teachers', {
        token: countyTokens[county],
        body: {
          name: `学员${'甲乙丙丁戊己庚辛壬癸'[n % 10]}${n}`,
          idNumber: idNumber(n),
          phone,
          schoolId: schools[county],
        },
      });
      await api('POST', '/api/v1/users', {
        token: countyTokens[county],
        body: { username: phone, password: PASSWORD, role: 'TEACHER', teacherId: t.id },
      });
      people.push({ teacherId: t.id, county, phone });
    };
    for (let n = 0; n < trainees; n += 8)
      await Promise.all(Array.from({ length: Math.min(8, trainees - n) }, (_, k) => makeOne(n + k)));
    // Their counties gave them one-time passwords; here they have already changed them (first login is not what is measured).
    const direct = new URL(database.url);
    const db = await createConnection({
      host: direct.hostname,
      port: Number(direct.port || 3306),
      user: decodeURIComponent(direct.username),
      password: decodeURIComponent(direct.password),
      database: direct.pathname.slice(1),
    });
    await db.query(`UPDATE user_account SET mustChangePassword = 0 WHERE role = 'TEACHER'`);
    const program = await api('POST', '/api/v1/programs', {
      token: admin,
      body: {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '压力测试骨干教师培训',
        seats: trainees,
        creditHours: 48,
        attendanceThreshold: 0.8,
        nominationDeadline: new Date(Date.now() + 86_400_000).toISOString(),
        certificatePrefix: 'SOAK',
      },
    });
    await api('POST', `/api/v1/programs/${program.id}/open`, { token: admin });
    await api('PUT', `/api/v1/programs/${program.id}/quotas`, {
      token: admin,
      body: countyIds.map((countyId) => ({ countyId, seats: Math.ceil(trainees / 2) })),
    });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

    // ——— the journey ———
    let journeys = 0;
    const journeyDone: number[] = [];
    async function batch(b: number): Promise<void> {
      const group = people.slice(b * BATCH, (b + 1) * BATCH);
      if (group.length < BATCH) return;
      const enrolments = await Promise.all(
        group.map((p) =>
          api('POST', `/api/v1/programs/${program.id}/enrolments`, {
            token: countyTokens[p.county],
            body: { teacherId: p.teacherId },
            what: 'nominate',
          }),
        ),
      );
      const ids = enrolments.map((e) => e.id as number);
      await Promise.all(
        ids.map((id) => api('POST', `/api/v1/enrolments/${id}/approve`, { token: admin, what: 'approve' })),
      );
      const start = Date.now();
      const cohort = await api('POST', `/api/v1/programs/${program.id}/cohorts`, {
        token: admin,
        body: {
          name: `第${b + 1}期`,
          capacity: BATCH,
          startDate: today,
          endDate: today,
          venue: '临沂市教育局培训中心',
        },
        what: 'create cohort',
      });
      const session = await api('POST', `/api/v1/cohorts/${cohort.id}/sessions`, {
        token: admin,
        body: {
          title: '专题讲座',
          startsAt: new Date(start - 60_000).toISOString(),
          endsAt: new Date(start + SESSION_MS).toISOString(),
          hours: 2,
        },
        what: 'create session',
      });
      await api('POST', `/api/v1/cohorts/${cohort.id}/assignments`, {
        token: admin,
        body: { enrolmentIds: ids },
        what: 'assign',
      });
      const { code } = await api('GET', `/api/v1/sessions/${session.id}/checkin-code`, {
        token: admin,
        what: 'check-in code',
      });
      const tokens = await Promise.all(
        group.map(async (p, i) => {
          const ip = `10.20.${Math.floor(p.teacherId / 250) % 250}.${p.teacherId % 250}`;
          const token = (
            await api('POST', '/api/v1/auth/login', {
              body: { username: p.phone, password: PASSWORD },
              ip,
              what: 'teacher login',
            })
          ).accessToken as string;
          await api('POST', `/api/v1/enrolments/${ids[i]}/confirm`, { token, what: 'confirm' });
          await api('POST', `/api/v1/sessions/${session.id}/checkins`, { token, body: { code }, ip, what: 'check in' });
          return token;
        }),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, start + SESSION_MS + 1_000 - Date.now())));
      const completion = await api('POST', `/api/v1/cohorts/${cohort.id}/completion`, {
        token: admin,
        what: 'completion',
      });
      if (completion.completed !== BATCH)
        throw new Error(`cohort ${cohort.id}: ${completion.completed} of ${BATCH} completed`);
      const certs = await api('POST', `/api/v1/cohorts/${cohort.id}/certificates`, {
        token: admin,
        what: 'issue certificates',
      });
      const pdf = await api('GET', `/api/v1/cohorts/${cohort.id}/certificates/pdf`, {
        token: admin,
        binary: true,
        what: 'cohort PDF',
      });
      if (pdf.subarray(0, 5).toString() !== '%PDF-') throw new Error('cohort PDF is not a PDF');
      const byEnrolment = new Map<number, number>();
      for (const c of await Promise.all(
        certs.map((c: { id: number }) =>
          api('GET', `/api/v1/certificates/${c.id}`, { token: admin, what: 'certificate' }),
        ),
      ))
        byEnrolment.set(c.enrolmentId, c.id);
      await Promise.all(
        tokens.map((token, i) =>
          api('GET', `/api/v1/certificates/${byEnrolment.get(ids[i]) ?? certs[i].id}/pdf`, {
            token,
            binary: true,
            what: 'own certificate PDF',
          }),
        ),
      );
      journeys += BATCH;
      journeyDone.push(Date.now() - t0.at);
    }

    // ——— the steady run ———
    console.log(
      `soak: ${apps.length} processes (pids ${apps.map((a) => a.pid).join(', ')}), a batch of ${BATCH} every ${BATCH_EVERY_MS / 1000} s for ${opts.duration} s (warm-up ${Math.round(warmupMs / 1000)} s)…`,
    );
    t0.at = Date.now();
    const running = new Set<Promise<void>>();
    const failures: string[] = [];
    let b = 0;
    while (Date.now() - t0.at < durationMs) {
      const next = t0.at + b * BATCH_EVERY_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      if (running.size >= opts.connections * 4)
        failures.push(`batch ${b} skipped: ${running.size} batches still running (the app cannot keep up)`);
      else {
        const p = batch(b).catch((e: Error) => void failures.push(`batch ${b}: ${e.message}`));
        running.add(p);
        void p.finally(() => running.delete(p));
      }
      b++;
    }
    await Promise.all(running);
    const elapsed = Date.now() - t0.at;

    // ——— figures per minute ———
    const memory = apps.map((a) =>
      a
        .output()
        .split('\n')
        .filter((l) => l.startsWith('SHIPEI_MEM '))
        .map((l) => JSON.parse(l.slice(11)) as { at: number; heapUsed: number; rss: number })
        .filter((m) => m.at >= t0.at)
        .map((m) => ({ ...m, t: m.at - t0.at })),
    );
    const minutes = Math.ceil(elapsed / 60_000);
    const rows: string[][] = [
      [
        'minute',
        'requests',
        'req/s',
        'journeys',
        'errors',
        'p50 ms',
        'p99 ms',
        ...apps.flatMap((_, i) => [`heap${i + 1} MB`, `rss${i + 1} MB`]),
      ],
    ];
    const perMinute = [];
    for (let m = 0; m < minutes; m++) {
      const inMinute = samples.filter((s) => s.at >= m * 60_000 && s.at < (m + 1) * 60_000);
      const lat = inMinute.map((s) => s.ms).sort((x, y) => x - y);
      const mem = memory.map((list) => list.filter((x) => x.t >= m * 60_000 && x.t < (m + 1) * 60_000).pop());
      const row = {
        minute: m + 1,
        requests: inMinute.length,
        rps: inMinute.length / 60,
        journeys: journeyDone.filter((t) => t >= m * 60_000 && t < (m + 1) * 60_000).length * BATCH,
        errors: inMinute.filter((s) => !s.ok).length,
        p50: pct(lat, 50),
        p99: pct(lat, 99),
        memory: mem.map((x) => (x ? { heapUsed: x.heapUsed, rss: x.rss } : null)),
      };
      perMinute.push(row);
      rows.push([
        String(row.minute),
        String(row.requests),
        row.rps.toFixed(1),
        String(row.journeys),
        String(row.errors),
        String(row.p50),
        String(row.p99),
        ...row.memory.flatMap((x) => (x ? [mb(x.heapUsed), mb(x.rss)] : ['–', '–'])),
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    console.log('');
    for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));

    // Latency per step of the journey, slowest first.
    const steps = [...new Set(samples.map((x) => x.what))].map((what) => {
      const lat = samples
        .filter((x) => x.what === what)
        .map((x) => x.ms)
        .sort((x, y) => x - y);
      return { what, count: lat.length, p50: pct(lat, 50), p99: pct(lat, 99) };
    });
    steps.sort((x, y) => y.p99 - x.p99);
    console.log('');
    for (const st of steps)
      console.log(
        `${st.what.padEnd(22)} ${String(st.count).padStart(6)}×  p50 ${String(st.p50).padStart(5)} ms  p99 ${String(st.p99).padStart(5)} ms`,
      );

    // Memory growth after the warm-up: median of the first three samples after it against the last three.
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const growth = memory.map((list) => {
      const after = list.filter((x) => x.t >= warmupMs);
      if (after.length < 4) return { heap: NaN, rss: NaN };
      const first = after.slice(0, 3);
      const last = after.slice(-3);
      return {
        heap: median(last.map((x) => x.heapUsed)) / median(first.map((x) => x.heapUsed)) - 1,
        rss: median(last.map((x) => x.rss)) / median(first.map((x) => x.rss)) - 1,
      };
    });

    // ——— the rules of spec §4, in the database ———
    const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params))[0] as any[];
    const invariants: Record<string, unknown[]> = {
      'nominations per county ≤ quota': await q(
        `SELECT q.countyId, q.seats, q.nominatedCount, (SELECT COUNT(*) FROM enrolment e WHERE e.programId = q.programId AND e.countyId = q.countyId AND e.status IN ('NOMINATED','APPROVED','CONFIRMED','COMPLETED','NOT_COMPLETED')) AS holding
         FROM county_quota q WHERE q.programId = ? HAVING holding > q.seats OR q.nominatedCount > q.seats OR q.nominatedCount <> holding`,
        [program.id],
      ),
      'approved ≤ seats': await q(
        `SELECT p.seats, p.approvedCount, (SELECT COUNT(*) FROM enrolment e WHERE e.programId = p.id AND e.status IN ('APPROVED','CONFIRMED','COMPLETED','NOT_COMPLETED')) AS approved
         FROM program p WHERE p.id = ? HAVING approved > p.seats OR p.approvedCount > p.seats OR p.approvedCount <> approved`,
        [program.id],
      ),
      'cohort assignments ≤ capacity': await q(
        `SELECT c.id, c.capacity, c.assignedCount, (SELECT COUNT(*) FROM enrolment e WHERE e.cohortId = c.id) AS assigned FROM cohort c HAVING assigned > c.capacity OR c.assignedCount <> assigned`,
      ),
      'no teacher enrolled twice in a program': await q(
        `SELECT programId, teacherId, COUNT(*) AS n FROM enrolment GROUP BY programId, teacherId HAVING n > 1`,
      ),
      'certificate numbers unique': await q(
        `SELECT number, COUNT(*) AS n FROM certificate GROUP BY number HAVING n > 1`,
      ),
      'certificate numbers gapless': await q(
        `SELECT programId, COUNT(*) AS n, MIN(sequence) AS lo, MAX(sequence) AS hi, MAX(p.certificateSeq) AS seq FROM certificate c JOIN program p ON p.id = c.programId GROUP BY programId HAVING lo <> 1 OR hi <> n OR seq <> n`,
      ),
    };
    const [[{ certs }]] = (await db.query(`SELECT COUNT(*) AS certs FROM certificate`)) as any;
    await db.end();

    const all = samples.map((s) => s.ms).sort((x, y) => x - y);
    const errors = samples.filter((s) => !s.ok).length + failures.length;
    const result = {
      bench: 'soak',
      db: 'mysql',
      durationSeconds: Math.round(elapsed / 1000),
      processes: apps.length,
      batchSize: BATCH,
      batchEveryMs: BATCH_EVERY_MS,
      requests: samples.length,
      journeys,
      certificates: Number(certs),
      rps: samples.length / (elapsed / 1000),
      p50: pct(all, 50),
      p99: pct(all, 99),
      errors,
      failures: failures.slice(0, 20),
      warmupSeconds: Math.round(warmupMs / 1000),
      memoryGrowth: growth,
      perMinute,
      steps,
      invariants: Object.fromEntries(
        Object.entries(invariants).map(([k, v]) => [k, v.length ? v.slice(0, 5) : 'holds']),
      ),
      date: new Date().toISOString(),
    };
    console.log('');
    console.log(
      `soak: ${result.requests} requests (${result.rps.toFixed(1)}/s), ${journeys} journeys, ${result.certificates} certificates in ${result.durationSeconds} s; p50 ${result.p50} ms, p99 ${result.p99} ms; errors ${errors}`,
    );
    growth.forEach((g, i) =>
      console.log(
        `process ${i + 1}: memory growth after warm-up: heap ${(g.heap * 100).toFixed(1)}%, rss ${(g.rss * 100).toFixed(1)}%`,
      ),
    );
    for (const [k, v] of Object.entries(invariants))
      console.log(`  ${v.length ? '✗' : '✓'} ${k}${v.length ? `: ${JSON.stringify(v.slice(0, 3))}` : ''}`);
    if (failures.length) console.log(`failures:\n  ${failures.slice(0, 10).join('\n  ')}`);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'soak-mysql.json'), JSON.stringify(result) + '\n');
    console.log(`(written to ${join(dir, 'soak-mysql.json')})`);

    const problems = [
      ...(errors ? [`${errors} errors`] : []),
      ...growth.flatMap((g, i) =>
        Number.isNaN(g.heap)
          ? [`process ${i + 1}: too few memory samples after the warm-up (run longer)`]
          : g.heap >= 0.1 || g.rss >= 0.1
            ? [`process ${i + 1}: memory grew ${(Math.max(g.heap, g.rss) * 100).toFixed(1)}% after the warm-up`]
            : [],
      ),
      ...Object.entries(invariants)
        .filter(([, v]) => v.length)
        .map(([k]) => `rule broken: ${k}`),
    ];
    if (problems.length) {
      console.error(`soak: FAILED — ${problems.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
