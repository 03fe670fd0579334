/** POST /api/v1/programs/:id/enrolments (a county nominates: JWT, checks, quota conditional update + insert + audit) vs node:http + the driver running the same transaction */
import { execFileSync, fork } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { connectionOptions, dialectOf } from '@shipei/core';
import { Teacher } from '@shipei/people';
import { createPool, Pool, PoolConnection } from 'mysql2/promise';
import { BenchApp, BenchResult, freshDatabase, LoadResult, median, printReport, resolveOptions, startApp } from './lib';
import { profileIfAsked, withCpu } from './lib/cpu';

/**
 * Why not `runBench`: every nomination must name a teacher not yet enrolled, so each request
 * carries a different body, which the shared harness (one fixed request) cannot send. This file
 * keeps its method — one fresh database, the app and a raw floor loaded alternately with the same
 * connections after a warm-up, medians of paired rounds, the same report — and adds:
 * - a load child (this file, forked with NOMINATE_LOAD_CHILD) running autocannon whose
 *   `setupRequest` hands out teacher ids from a pool, so no request is a duplicate;
 * - a fresh program per measured run (and side), so every run starts from the same state;
 * - a floor that runs the app's transaction by hand on one connection: JWT check, program and
 *   teacher reads with the eligibility rules, duplicate check, the quota conditional update,
 *   the enrolment insert and the audit line, then COMMIT.
 * The pool of teachers (NOMINATE_TEACHERS, default 40,000) must exceed the requests of one run.
 */

const TEACHERS = Number(process.env.NOMINATE_TEACHERS ?? 40_000);

interface ChildOrder {
  url: string;
  token: string;
  connections: number;
  duration: number;
  /** Teacher ids to nominate, handed out in order across all connections. */
  from: number;
  count: number;
}

// ——— the load child ———

if (process.env.NOMINATE_LOAD_CHILD) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon');
  process.once('disconnect', () => process.exit(0));
  process.once('message', (o: ChildOrder) => {
    let next = 0;
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        duration: o.duration,
        pipelining: 1,
        requests: [
          {
            method: 'POST',
            headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              body: JSON.stringify({ teacherId: o.from + (next++ % o.count) }),
            }),
          },
        ],
      },
      (err: Error | null, result: any) => {
        if (err) {
          process.send!({ error: String(err.stack ?? err) }, () => process.exit(1));
          return;
        }
        const sorted = Float64Array.from(latencies).sort();
        const pct = (p: number) =>
          sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
        const r3 = (n: number) => Number(n.toFixed(3));
        const res: LoadResult & { used: number } = {
          rps: Number((result['2xx'] / result.duration).toFixed(1)),
          p50: r3(pct(50)),
          p99: r3(pct(99)),
          mean: r3(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
          requests: result.requests.total,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([k, v]: [string, any]) => [k, v.count]),
          ),
          duration: result.duration,
          used: next,
        };
        process.send!({ result: res }, () => process.exit(0));
      },
    );
    instance.on('response', (_c: unknown, _s: number, _b: number, t: number) => latencies.push(t));
  });
} else {
  void run().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}

function load(order: ChildOrder): Promise<LoadResult & { used: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, NOMINATE_LOAD_CHILD: '1' },
    });
    let settled = false;
    child.once('message', (m: { result?: LoadResult & { used: number }; error?: string }) => {
      settled = true;
      if (m.error) reject(new Error(`autocannon: ${m.error}`));
      else resolve(m.result!);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load child exited with ${code} before reporting`));
    });
    child.send(order);
  });
}

// ——— the floor: node:http + the bare driver, the same transaction ———

interface Tx {
  one<T = any>(sql: string, params: unknown[]): Promise<T | undefined>;
  run(sql: string, params: unknown[]): Promise<{ changes: number; insertId: number }>;
}

interface Floor {
  url: string;
  close(): Promise<void>;
}

/** UTC datetimes as TypeORM writes them on SQLite; mysql2 (timezone Z) takes Date objects. */
const sqliteDate = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

function verifyJwt(
  header: string | string[] | undefined,
  secret: string,
): { sub: number; role: string; county?: number } | null {
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return null;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (JSON.parse(Buffer.from(h, 'base64url').toString()).alg !== 'HS256') return null;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  return typeof payload.exp === 'number' && payload.exp * 1000 > Date.now() ? payload : null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** The nomination on one connection inside a transaction: the same statements as EnrolmentsService.nominate. */
async function nominate(
  tx: Tx,
  user: { sub: number; role: string; county?: number },
  programId: number,
  teacherId: number,
  now: Date,
  date: (d: Date) => unknown,
) {
  if (user.role !== 'COUNTY_ADMIN' || !user.county) throw new HttpError(403, 'COUNTY_ONLY');
  const p = await tx.one(
    'SELECT id, status, nominationDeadline, ownerCountyId, requirePovertyVillage, minBackboneLevel, stages, subjects FROM program WHERE id = ? AND (ownerCountyId = ? OR (ownerCountyId IS NULL AND status <> ?))',
    [programId, user.county, 'DRAFT'],
  );
  if (!p) throw new HttpError(404, 'NOT_FOUND');
  if (p.status !== 'OPEN') throw new HttpError(409, 'PROGRAM_NOT_OPEN');
  if (
    p.nominationDeadline &&
    now.getTime() >
      new Date(
        p.nominationDeadline instanceof Date
          ? p.nominationDeadline
          : `${String(p.nominationDeadline).replace(' ', 'T')}Z`,
      ).getTime()
  )
    throw new HttpError(409, 'DEADLINE_PASSED');
  const t = await tx.one(
    'SELECT t.id, t.name, t.idNumber, t.countyId, t.schoolId, t.stage, t.subject, t.backboneLevel, s.povertyVillage, s.name AS schoolName FROM teacher t INNER JOIN organisation s ON s.id = t.schoolId WHERE t.id = ? AND t.countyId = ?',
    [teacherId, user.county],
  );
  if (!t) throw new HttpError(404, 'NOT_FOUND');
  if (Number(p.requirePovertyVillage) && !Number(t.povertyVillage)) throw new HttpError(409, 'NOT_ELIGIBLE');
  const stages = p.stages ? String(p.stages).split(',') : [];
  const subjects = p.subjects ? String(p.subjects).split(',') : [];
  if ((stages.length && !stages.includes(t.stage)) || (subjects.length && !subjects.includes(t.subject)))
    throw new HttpError(409, 'NOT_ELIGIBLE');
  if (await tx.one('SELECT id FROM enrolment WHERE programId = ? AND teacherId = ?', [programId, teacherId]))
    throw new HttpError(409, 'ALREADY_ENROLLED');
  if (!(await tx.one('SELECT id FROM county_quota WHERE programId = ? AND countyId = ?', [programId, t.countyId])))
    throw new HttpError(409, 'NO_QUOTA');
  const seated =
    (
      await tx.run(
        'UPDATE county_quota SET nominatedCount = nominatedCount + 1 WHERE programId = ? AND countyId = ? AND nominatedCount < seats',
        [programId, t.countyId],
      )
    ).changes === 1;
  const status = seated ? 'NOMINATED' : 'WAITLISTED';
  const ins = await tx.run(
    'INSERT INTO enrolment (programId, teacherId, countyId, status, createdAt, updatedAt, nominatedAt, waitlistedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      programId,
      teacherId,
      t.countyId,
      status,
      date(now),
      date(now),
      seated ? date(now) : null,
      seated ? null : date(now),
    ],
  );
  await tx.run(
    'INSERT INTO audit_entry (at, actorId, actorRole, action, entity, entityId, fields, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [date(now), user.sub, user.role, 'nominate', 'enrolment', String(ins.insertId), 'teacherId,status', status],
  );
  return {
    id: ins.insertId,
    programId,
    teacherId,
    teacherName: t.name,
    idNumber: `${String(t.idNumber).slice(0, 6)}********${String(t.idNumber).slice(-4)}`,
    schoolId: t.schoolId,
    schoolName: t.schoolName,
    countyId: t.countyId,
    status,
    cohortId: null,
    createdAt: now.toISOString(),
  };
}

async function startFloor(databaseUrl: string, jwtSecret: string): Promise<Floor> {
  const opts = connectionOptions(databaseUrl) as any;
  let transact: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
  let closeDb: () => Promise<void>;
  let date: (d: Date) => unknown;
  if (dialectOf(databaseUrl) === 'sqlite') {
    const Database = createRequire(__filename)('better-sqlite3');
    const db = new Database(opts.database);
    db.pragma('journal_mode = WAL');
    opts.prepareDatabase?.(db);
    const stmts = new Map<string, any>();
    const stmt = (sql: string) => stmts.get(sql) ?? stmts.set(sql, db.prepare(sql)).get(sql);
    const tx: Tx = {
      one: async (sql, params) => stmt(sql).get(...params),
      run: async (sql, params) => {
        const r = stmt(sql).run(...params);
        return { changes: r.changes, insertId: Number(r.lastInsertRowid) };
      },
    };
    // One writer at a time, as the app's TransactionRunner does on SQLite.
    let queue: Promise<unknown> = Promise.resolve();
    transact = <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
      const job = async () => {
        db.prepare('BEGIN').run();
        try {
          const out = await work(tx);
          db.prepare('COMMIT').run();
          return out;
        } catch (e) {
          db.prepare('ROLLBACK').run();
          throw e;
        }
      };
      const result = queue.then(job, job);
      queue = result.catch(() => undefined);
      return result;
    };
    closeDb = async () => db.close();
    date = sqliteDate;
  } else {
    const pool: Pool = createPool({
      host: opts.host,
      port: opts.port,
      user: opts.username,
      password: opts.password,
      database: opts.database,
      charset: opts.charset,
      timezone: opts.timezone,
      supportBigNumbers: opts.supportBigNumbers,
      ...opts.extra,
    });
    transact = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
      const conn: PoolConnection = await pool.getConnection();
      const tx: Tx = {
        one: async (sql, params) => ((await conn.query(sql, params))[0] as any[])[0],
        run: async (sql, params) => {
          const [r] = (await conn.query(sql, params)) as any;
          return { changes: r.affectedRows, insertId: Number(r.insertId) };
        },
      };
      try {
        await conn.query('START TRANSACTION');
        const out = await work(tx);
        await conn.query('COMMIT');
        return out;
      } catch (e) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        conn.release();
      }
    };
    closeDb = () => pool.end();
    date = (d) => d;
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/programs\/(\d+)\/enrolments$/.exec(req.url ?? '');
      const user = verifyJwt(req.headers.authorization, jwtSecret);
      if (!user) return send(res, 401, { statusCode: 401, code: 'UNAUTHORIZED' });
      if (!m || req.method !== 'POST') return send(res, 404, { statusCode: 404 });
      let teacherId: number;
      try {
        teacherId = JSON.parse(Buffer.concat(chunks).toString()).teacherId;
      } catch {
        return send(res, 400, { statusCode: 400, code: 'INVALID_JSON' });
      }
      if (!Number.isSafeInteger(teacherId) || teacherId < 1)
        return send(res, 400, { statusCode: 400, code: 'VALIDATION_FAILED' });
      transact((tx) => nominate(tx, user, Number(m[1]), teacherId, new Date(), date)).then(
        (body) => send(res, 201, body),
        (e: unknown) => {
          if (e instanceof HttpError) return send(res, e.status, { statusCode: e.status, code: e.code });
          const code = (e as { code?: string }).code;
          if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
            return send(res, 409, { statusCode: 409, code: 'ALREADY_ENROLLED' });
          send(res, 500, { statusCode: 500, message: String((e as Error).message) });
        },
      );
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await closeDb();
    },
  };
}

// ——— setup and the paired runs ———

async function ok<T = any>(
  app: BenchApp,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  status = 200,
): Promise<T> {
  const r = await app.request<T>(method, path, { token, body });
  if (r.status !== status && !(status === 200 && r.status === 201))
    throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

function idNumber(serial: number): string {
  const day = new Date(Date.UTC(1960, 0, 1) + Math.floor(serial / 1000) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  const body = `371302${day}${String(serial % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** A county admin, a 贫困村学校, the teacher pool (direct inserts), and one open program per run. */
async function seed(app: BenchApp, programs: number) {
  const admin = await app.login('admin', app.adminPassword);
  const [county] = await app.dataSource.query(`SELECT id FROM organisation WHERE code = '371302'`);
  const countyId = Number(county.id);
  await ok(
    app,
    'POST',
    '/api/v1/users',
    admin,
    { username: 'bench_county', password: 'Init1234x', role: 'COUNTY_ADMIN', organisationId: countyId },
    201,
  );
  const first = await app.login('bench_county', 'Init1234x');
  const token = (
    await ok(app, 'POST', '/api/v1/auth/password', first, { currentPassword: 'Init1234x', newPassword: 'Bench12345' })
  ).accessToken as string;
  const school = await ok(
    app,
    'POST',
    '/api/v1/organisations',
    token,
    { type: 'SCHOOL', name: '压测贫困村小学', parentId: countyId, povertyVillage: true, receivingSchool: false },
    201,
  );
  const now = new Date();
  for (let i = 0; i < TEACHERS; i += 400) {
    const rows = Array.from({ length: Math.min(400, TEACHERS - i) }, (_, k) => ({
      name: `压测教师${i + k}`,
      idNumber: idNumber(i + k),
      gender: 'M' as const,
      birthDate: '1980-01-01',
      phone: `136${String(i + k).padStart(8, '0')}`,
      schoolId: school.id,
      countyId,
      subject: '语文',
      backboneLevel: 'NONE' as const,
      appraisalsQualified: true,
      onProbation: false,
      specialPost: false,
      createdAt: now,
      updatedAt: now,
    }));
    await app.dataSource.createQueryBuilder().insert().into(Teacher).values(rows).execute();
  }
  const [{ lo }] = await app.dataSource.query(`SELECT MIN(id) AS lo FROM teacher WHERE schoolId = ?`, [school.id]);
  const ids: number[] = [];
  for (let i = 0; i < programs; i++) {
    const p = await ok(
      app,
      'POST',
      '/api/v1/programs',
      admin,
      {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: `压测推荐项目${i + 1}`,
        seats: 100_000,
        creditHours: 48,
        nominationDeadline: new Date(Date.now() + 86_400_000).toISOString(),
        certificatePrefix: 'BNCH',
      },
      201,
    );
    await ok(app, 'PUT', `/api/v1/programs/${p.id}/quotas`, admin, [{ countyId, seats: 100_000 }]);
    await ok(app, 'POST', `/api/v1/programs/${p.id}/open`, admin);
    ids.push(p.id);
  }
  return { token, firstTeacher: Number(lo), programs: ids };
}

async function run(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'nominate');
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((e) => console.error('cleanup:', e));
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const database = await freshDatabase(opts.db);
    cleanups.push(database.drop);
    const app = await startApp(database.url);
    cleanups.push(app.close);
    console.log(`nominate · ${opts.db}: seeding ${TEACHERS} teachers and ${2 * (opts.rounds + 1)} programs…`);
    const s = await seed(app, 2 * (opts.rounds + 1) + (process.env.BENCH_PROFILE ? 1 : 0));
    const floor = await startFloor(database.url, app.config.jwtSecret);
    cleanups.push(floor.close);

    const programs = [...s.programs];
    const order = (side: 'app' | 'raw', duration: number): ChildOrder => {
      const programId = programs.shift()!;
      const base = side === 'app' ? `${app.url}/api/v1` : floor.url;
      return {
        url: `${base}/programs/${programId}/enrolments`,
        token: s.token,
        connections: opts.connections,
        duration,
        from: s.firstTeacher,
        count: TEACHERS,
      };
    };
    const measured = async (side: 'app' | 'raw', duration: number) => {
      const r = await withCpu(() => load(order(side, duration)));
      if (r.used > TEACHERS)
        console.error(
          `  ${side}: ${r.used} requests for ${TEACHERS} teachers: ids were reused (raise NOMINATE_TEACHERS)`,
        );
      return r;
    };

    const warm = Math.min(3, opts.duration);
    console.log(
      `nominate · ${opts.db}: warm-up ${warm} s each, then ${opts.rounds} paired rounds of ${opts.duration} s with ${opts.connections} connections…`,
    );
    await measured('app', warm);
    await measured('raw', warm);
    const appRounds: LoadResult[] = [];
    const rawRounds: LoadResult[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      for (const side of i % 2 === 0 ? (['app', 'raw'] as const) : (['raw', 'app'] as const)) {
        const r = await measured(side, opts.duration);
        (side === 'app' ? appRounds : rawRounds).push(r);
        console.log(
          `  round ${i + 1} ${side}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, cpu ${r.cpuUs} µs/req${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx ${JSON.stringify(r.statusCodes)}, ${r.errors} errors` : ''}`,
        );
      }
    }

    for (const side of ['app', 'raw'] as const) {
      await profileIfAsked(side, join(__dirname, 'results', `nominate-${opts.db}-${side}.cpuprofile`), () =>
        measured(side, opts.duration),
      );
    }

    const [{ v }] = await app.dataSource.query(
      opts.db === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SELECT VERSION() AS v',
    );
    const [{ n }] = await app.dataSource.query(`SELECT COUNT(*) AS n FROM enrolment`);
    const summary = (rounds: LoadResult[]) => ({
      rps: Number(median(rounds.map((r) => r.rps)).toFixed(3)),
      p50: Number(median(rounds.map((r) => r.p50)).toFixed(3)),
      p99: Number(median(rounds.map((r) => r.p99)).toFixed(3)),
      cpuUs: Number(median(rounds.map((r) => r.cpuUs ?? NaN)).toFixed(0)),
      non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
      errors: rounds.reduce((a, r) => a + r.errors + r.timeouts, 0),
      rounds,
    });
    let commit = 'unknown';
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      /* not a git checkout */
    }
    const result: BenchResult = {
      bench: opts.name,
      db: opts.db,
      title: `POST /api/v1/programs/:id/enrolments through the full app vs node:http + the driver running the same transaction (quota conditional update + insert + audit); ${Number(n)} enrolments written`,
      app: { method: 'POST', path: '/api/v1/programs/:id/enrolments', ...summary(appRounds) },
      raw: { method: 'POST', path: '/programs/:id/enrolments', ...summary(rawRounds) },
      ratio: {
        rps: Number(median(appRounds.map((a, i) => a.rps / rawRounds[i].rps)).toFixed(3)),
        p50: Number(median(appRounds.map((a, i) => a.p50 / rawRounds[i].p50)).toFixed(3)),
        p99: Number(median(appRounds.map((a, i) => a.p99 / rawRounds[i].p99)).toFixed(3)),
        cpuUs: Number(median(appRounds.map((a, i) => (a.cpuUs ?? NaN) / (rawRounds[i].cpuUs ?? NaN))).toFixed(3)),
      },
      connections: opts.connections,
      duration: opts.duration,
      rounds: opts.rounds,
      env: {
        node: process.version,
        cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`,
        server: `${opts.db === 'sqlite' ? 'SQLite' : 'MySQL/MariaDB'} ${v}`,
        commit,
      },
      date: new Date().toISOString(),
    };
    printReport(result);
    const bad = result.app.non2xx + result.app.errors + result.raw.non2xx + result.raw.errors;
    if (bad) {
      console.error(`nominate: ${bad} responses were not 2xx or failed; the figures above are not valid`);
      process.exitCode = 1;
    }
    console.log(`target: app ≥ 0.7 × raw req/s (${result.ratio.rps}×) and p99 ≤ 1.5 × raw (${result.ratio.p99}×)`);
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
