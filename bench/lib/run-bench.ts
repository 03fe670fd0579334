import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { startApp, BenchApp } from './app';
import { freshDatabase } from './database';
import { withCpu, profileIfAsked } from './cpu';
import { LoadResult, LoadTarget, runLoad } from './load';
import { BenchOptions, resolveOptions } from './options';
import { RawHandler, startRawServer, sqlHandler } from './raw-server';
import { BenchResult, median, printReport, SideSummary } from './report';

/** One request as autocannon sends it, on every connection, for the whole run. */
export interface RequestSpec {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with content-type application/json). */
  body?: unknown;
  /** The status every response must have (default: any 2xx). Checked once before measuring. */
  expectStatus?: number;
}

/**
 * The floor's side: what the raw server runs per request. By default it is sent the same
 * method, headers and body as the app (path `/`), so both sides parse the same request.
 */
export interface RawSpec extends Partial<RequestSpec> {
  /** Shorthand for a handler that runs one statement and answers its rows. */
  sql?: string;
  params?: unknown[];
  handle?: RawHandler;
}

export interface BenchSpec<S = void> {
  /** One line on what the pair measures, printed above the table. */
  title: string;
  /**
   * Runs once the app is up on its fresh database, before any load: seed data (through
   * `app.request` or `app.dataSource`), log in (`app.login('admin', app.adminPassword)`), and
   * return whatever `app` and `raw` need, e.g. `{ token, programId }`.
   */
  setup?: (app: BenchApp) => Promise<S>;
  app: RequestSpec | ((state: S, app: BenchApp) => RequestSpec);
  raw: RawSpec | ((state: S, app: BenchApp) => RawSpec);
  /** Extra environment for the app's config (e.g. JWT_EXPIRES_IN). */
  appEnv?: Record<string, string>;
  /** Options used when the command line gives none. */
  defaults?: Partial<Pick<BenchOptions, 'duration' | 'connections' | 'rounds'>>;
}

function toTarget(base: string, spec: Partial<RequestSpec>, path: string): LoadTarget {
  const headers: Record<string, string> = { ...spec.headers };
  let body: string | undefined;
  if (spec.body !== undefined) {
    body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  return { url: base + path, method: spec.method ?? 'GET', headers, body };
}

async function checkOnce(label: string, t: LoadTarget, expectStatus?: number): Promise<void> {
  const res = await fetch(t.url, { method: t.method, headers: t.headers, body: t.body });
  const text = await res.text();
  const ok = expectStatus ? res.status === expectStatus : res.status >= 200 && res.status < 300;
  if (!ok)
    throw new Error(
      `${label} ${t.method} ${t.url} answered ${res.status} (expected ${expectStatus ?? '2xx'}): ${text.slice(0, 500)}`,
    );
}

const round3 = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(3)) : n);

function summarise(rounds: LoadResult[]): SideSummary {
  return {
    rps: round3(median(rounds.map((r) => r.rps))),
    p50: round3(median(rounds.map((r) => r.p50))),
    p99: round3(median(rounds.map((r) => r.p99))),
    cpuUs: round3(median(rounds.map((r) => r.cpuUs ?? NaN))),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors + r.timeouts, 0),
    rounds,
  };
}

function describeEnv(serverVersion: string): Record<string, string> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    /* not a git checkout */
  }
  const cpu = cpus();
  return {
    node: process.version,
    cpus: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}`,
    server: serverVersion,
    commit,
  };
}

/**
 * Runs a paired benchmark: the full app and a raw floor server on one fresh database, loaded
 * alternately (app, raw, raw, app, …) with the same connections on loopback, after a warm-up;
 * reports medians and app/raw ratios. Everything it created is removed at the end, also on Ctrl-C.
 */
export async function runBench<S = void>(spec: BenchSpec<S>): Promise<BenchResult> {
  const fallback = basename(process.argv[1] ?? 'bench').replace(/\.bench\.[jt]s$/, '');
  const opts: BenchOptions = resolveOptions(process.argv.slice(2), fallback, spec.defaults);

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((e) => console.error('cleanup:', e));
  };
  // Nest's shutdown hooks also listen, close the app and re-raise the signal: stay registered
  // (ignoring repeats) until the database is dropped, then exit.
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.error(`${opts.name}: interrupted, cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const database = await freshDatabase(opts.db);
    cleanups.push(database.drop);
    const app = await startApp(database.url, spec.appEnv);
    cleanups.push(app.close);
    const state = spec.setup ? await spec.setup(app) : (undefined as S);

    const appSpec = typeof spec.app === 'function' ? spec.app(state, app) : spec.app;
    const rawSpec = typeof spec.raw === 'function' ? spec.raw(state, app) : spec.raw;
    const handler = rawSpec.handle ?? (rawSpec.sql ? sqlHandler(rawSpec.sql, rawSpec.params) : undefined);
    if (!handler) throw new Error('raw side needs `sql` or `handle`');
    const raw = await startRawServer(database.url, handler);
    cleanups.push(raw.close);

    const appTarget = toTarget(app.url, appSpec, appSpec.path);
    const rawTarget = toTarget(
      raw.url,
      { method: appSpec.method, headers: appSpec.headers, body: appSpec.body, ...rawSpec },
      rawSpec.path ?? '/',
    );
    await checkOnce('app', appTarget, appSpec.expectStatus);
    await checkOnce('raw', rawTarget, rawSpec.expectStatus ?? appSpec.expectStatus);

    const [versionRow] = await raw.db.query(
      raw.db.dialect === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SELECT VERSION() AS v',
    );
    const env = describeEnv(`${raw.db.dialect === 'sqlite' ? 'SQLite' : 'MySQL/MariaDB'} ${versionRow.v}`);

    const load = { connections: opts.connections };
    const warm = Math.min(3, opts.duration);
    console.log(
      `${opts.name} · ${opts.db}: warm-up ${warm} s each, then ${opts.rounds} paired rounds of ${opts.duration} s with ${opts.connections} connections…`,
    );
    await runLoad(appTarget, { ...load, duration: warm });
    await runLoad(rawTarget, { ...load, duration: warm });

    const appRounds: LoadResult[] = [];
    const rawRounds: LoadResult[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      const order = i % 2 === 0 ? (['app', 'raw'] as const) : (['raw', 'app'] as const);
      for (const side of order) {
        const r = await withCpu(() =>
          runLoad(side === 'app' ? appTarget : rawTarget, { ...load, duration: opts.duration }),
        );
        (side === 'app' ? appRounds : rawRounds).push(r);
        console.log(
          `  round ${i + 1} ${side}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, cpu ${r.cpuUs} µs/req${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`,
        );
      }
    }

    for (const side of ['app', 'raw'] as const) {
      await profileIfAsked(side, join(__dirname, '..', 'results', `${opts.name}-${opts.db}-${side}.cpuprofile`), () =>
        runLoad(side === 'app' ? appTarget : rawTarget, { ...load, duration: opts.duration }),
      );
    }

    const result: BenchResult = {
      bench: opts.name,
      db: opts.db,
      title: spec.title,
      app: { method: appTarget.method!, path: appSpec.path, ...summarise(appRounds) },
      raw: { method: rawTarget.method!, path: rawSpec.path ?? '/', ...summarise(rawRounds) },
      ratio: {
        rps: round3(median(appRounds.map((a, i) => a.rps / rawRounds[i].rps))),
        p50: round3(median(appRounds.map((a, i) => a.p50 / rawRounds[i].p50))),
        p99: round3(median(appRounds.map((a, i) => a.p99 / rawRounds[i].p99))),
        cpuUs: round3(median(appRounds.map((a, i) => (a.cpuUs ?? NaN) / (rawRounds[i].cpuUs ?? NaN)))),
      },
      connections: opts.connections,
      duration: opts.duration,
      rounds: opts.rounds,
      env,
      date: new Date().toISOString(),
    };
    printReport(result);
    const bad = result.app.non2xx + result.app.errors + result.raw.non2xx + result.raw.errors;
    if (bad) {
      console.error(
        `${opts.name}: ${bad} responses were not 2xx or failed; the figures above are not valid (throttled? see statusCodes in the JSON)`,
      );
      process.exitCode = 1;
    }
    return result;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Entry point for a `*.bench.ts` file: runs the spec and exits non-zero on failure. */
export function main<S>(spec: BenchSpec<S>): void {
  runBench(spec).catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
