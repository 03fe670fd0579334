/** GET /api/v1/cohorts/:id/archive.zip of a finished 400-trainee cohort (10 sessions, leave, 360 certificates): build time (target ≤ 5 s) and memory (flat: a 100-trainee cohort for comparison) */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readZipEntries } from '@shipei/records';
import {
  BenchApp,
  COHORT_SESSIONS as SESSIONS,
  freshDatabase,
  ok,
  resolveOptions,
  seedFinishedCohort,
  startApp,
} from './lib';

const SIZES = [100, 400];
const TARGET_MS = 5_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Build {
  ms: number;
  /** CPU time (user + system) of this process during the build: the work, whatever else the machine runs. */
  cpuMs: number;
  bytes: number;
  entries: number;
  peakRss: number;
  peakHeap: number;
  baseRss: number;
  baseHeap: number;
}

/** Downloads the archive to a file (so the ZIP never sits in this process's memory), sampling memory meanwhile. */
async function build(app: BenchApp, token: string, cohortId: number, dir: string): Promise<Build> {
  gc();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const file = join(dir, `cohort-${cohortId}.zip`);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await fetch(`${app.url}/api/v1/cohorts/${cohortId}/archive.zip`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200 || !res.body) throw new Error(`archive → ${res.status} ${await res.text()}`);
  await pipeline(Readable.fromWeb(res.body as any), createWriteStream(file));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sample);
  const bytes = statSync(file).size;
  const entries = readZipEntries(readFileSync(file)).length;
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytes,
    entries,
    peakRss,
    peakHeap,
    baseRss: base.rss,
    baseHeap: base.heapUsed,
  };
}

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

async function main(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'cohort-archive', { rounds: 3 });
  const database = await freshDatabase(opts.db);
  const dir = mkdtempSync(join(tmpdir(), 'cohort-archive-bench-'));
  let app: BenchApp | undefined;
  try {
    app = await startApp(database.url);
    const admin = await app.login('admin', app.adminPassword);
    const trainer = await ok(app, 'POST', '/api/v1/users', admin, {
      username: 'bench_archive_trainer',
      password: 'Init1234x',
      role: 'TRAINER',
      displayName: '刘振华',
    });
    const first = await app.login('bench_archive_trainer', 'Init1234x');
    const token = (
      await ok(app, 'POST', '/api/v1/auth/password', first, {
        currentPassword: 'Init1234x',
        newPassword: 'Trainer1234',
      })
    ).accessToken as string;
    console.log(`cohort-archive · ${opts.db}: seeding…`);
    const cohorts = new Map<number, number>();
    for (const [i, size] of SIZES.entries())
      cohorts.set(size, await seedFinishedCohort(app, admin, trainer.id, size, 10_000 * (i + 1)));

    await build(app, token, cohorts.get(SIZES[0])!, dir); // warm-up: fonts, templates, code paths
    const results: Record<number, Build[]> = {};
    for (let r = 0; r < opts.rounds; r++) {
      for (const size of SIZES) {
        const b = await build(app, token, cohorts.get(size)!, dir);
        (results[size] ??= []).push(b);
        console.log(
          `  round ${r + 1}, ${size} trainees: ${b.ms.toFixed(0)} ms (CPU ${b.cpuMs.toFixed(0)} ms), ${mb(b.bytes)} zip, ${b.entries} entries; peak RSS ${mb(b.peakRss)} (+${mb(b.peakRss - b.baseRss)}), peak heap ${mb(b.peakHeap)} (+${mb(b.peakHeap - b.baseHeap)})`,
        );
      }
    }
    const median = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    };
    const summary = SIZES.map((size) => {
      const bs = results[size];
      return {
        size,
        ms: median(bs.map((b) => b.ms)),
        cpuMs: median(bs.map((b) => b.cpuMs)),
        maxMs: Math.max(...bs.map((b) => b.ms)),
        bytes: bs[0].bytes,
        entries: bs[0].entries,
        peakRss: Math.max(...bs.map((b) => b.peakRss)),
        rssGrowth: Math.max(...bs.map((b) => b.peakRss - b.baseRss)),
        peakHeap: Math.max(...bs.map((b) => b.peakHeap)),
        heapGrowth: Math.max(...bs.map((b) => b.peakHeap - b.baseHeap)),
      };
    });
    console.log('');
    console.log(
      `cohort-archive · ${opts.db} — archive.zip of a finished cohort, ${SESSIONS} sessions, through the full app (download streamed to a file), ${opts.rounds} rounds`,
    );
    console.log('trainees  median ms  CPU ms  max ms  zip size  entries  peak RSS  RSS growth  peak heap  heap growth');
    for (const s of summary)
      console.log(
        `${String(s.size).padStart(8)}  ${s.ms.toFixed(0).padStart(9)}  ${s.cpuMs.toFixed(0).padStart(6)}  ${s.maxMs.toFixed(0).padStart(6)}  ${mb(s.bytes).padStart(8)}  ${String(s.entries).padStart(7)}  ${mb(s.peakRss).padStart(8)}  ${mb(s.rssGrowth).padStart(10)}  ${mb(s.peakHeap).padStart(9)}  ${mb(s.heapGrowth).padStart(11)}`,
      );
    const big = summary[summary.length - 1];
    console.log(
      JSON.stringify({
        bench: 'cohort-archive',
        db: opts.db,
        targetMs: TARGET_MS,
        summary,
        date: new Date().toISOString(),
      }),
    );
    console.log(
      `cohort-archive: ${big.size} trainees in ${big.ms.toFixed(0)} ms (median; CPU ${big.cpuMs.toFixed(0)} ms; target ≤ ${TARGET_MS} ms) — ${big.ms <= TARGET_MS ? 'within' : 'OVER'} target; heap growth ${mb(big.heapGrowth)} at ${big.size} vs ${mb(summary[0].heapGrowth)} at ${summary[0].size} trainees`,
    );
    if (big.ms > TARGET_MS) process.exitCode = 1;
  } finally {
    await app?.close().catch(() => undefined);
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
