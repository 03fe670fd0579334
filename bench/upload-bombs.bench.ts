/** POST /api/v1/teachers/import of the two zip bombs (3.8 MB → 1.5 GB of shared strings; 410 KB → one 400 MB string): time to refuse (target ≤ 2 s), RSS growth (≤ 100 MB), /api/health during it vs idle */
import { longStringBomb, manyStringsBomb } from '../test/support/zip-bombs';
import { freshDatabase, parseBenchArgs, startApp } from './lib';

/*
 * npm run bench -- upload-bombs [--db sqlite|mysql|both]
 *
 * The bombs are generated here (never committed). Each is uploaded three times while RSS is sampled
 * every 20 ms and /api/health is asked every 100 ms; the baseline is /api/health on the idle app just
 * before, so the ratio shows what a bomb being refused costs the requests beside it.
 */
const RUNS = 3;

async function health(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/health`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`/api/health → ${res.status}`);
  return performance.now() - t0;
}

async function run(): Promise<void> {
  const { db = 'sqlite' } = parseBenchArgs(process.argv.slice(2));
  const database = await freshDatabase(db);
  const app = await startApp(database.url);
  try {
    const admin = await app.login('admin', app.adminPassword);
    const [county] = await app.dataSource.query(`SELECT id FROM organisation WHERE code = '371302'`);
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) {
      idle.push(await health(app.url));
      await new Promise((r) => setTimeout(r, 20));
    }
    const idleMax = Math.max(...idle);
    console.log(`upload bombs · ${db} — idle /api/health: max ${idleMax.toFixed(1)} ms over ${idle.length}`);
    for (const [name, make] of [
      ['3.8 MB, 1.5 GB of shared strings', manyStringsBomb],
      ['410 KB, one 400 MB shared string', longStringBomb],
    ] as const) {
      const bomb = make();
      for (let r = 0; r < RUNS; r++) {
        global.gc?.();
        const baseline = process.memoryUsage().rss;
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
        let probing = true;
        const probes: number[] = [];
        const prober = (async () => {
          while (probing) {
            probes.push(await health(app.url));
            await new Promise((res) => setTimeout(res, 100));
          }
        })();
        const form = new FormData();
        form.append('file', new Blob([bomb]), 'teachers.xlsx');
        const t0 = performance.now();
        const res = await fetch(`${app.url}/api/v1/teachers/import?countyId=${county.id}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}` },
          body: form,
        });
        const body = (await res.json()) as { code?: string };
        const ms = performance.now() - t0;
        probing = false;
        await prober;
        clearInterval(sampler);
        if (res.status !== 400 || body.code !== 'IMPORT_TOO_LARGE')
          throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
        const slowest = Math.max(...probes);
        const growthMb = (peak - baseline) / 1024 / 1024;
        console.log(
          `${name.padEnd(34)} (${(bomb.length / 1024).toFixed(0)} KB) refused in ${ms.toFixed(0).padStart(5)} ms` +
            `  RSS +${growthMb.toFixed(1)} MB  /api/health ${probes.length}× max ${slowest.toFixed(1)} ms` +
            ` (${(slowest / idleMax).toFixed(2)}× idle max)` +
            (ms > 2000 || growthMb > 100 ? '  — over target' : ''),
        );
        console.log(
          JSON.stringify({ bench: 'upload-bombs', db, bomb: name, ms, growthMb, healthMaxMs: slowest, idleMax }),
        );
      }
    }
  } finally {
    await app.close();
    await database.drop();
  }
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
