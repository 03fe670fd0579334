/** Check-in p99 idle vs while a 400-page certificate PDF and a cohort archive are being built (target ≤ 1.5×), and RSS growth of a 5,000-page PDF (target ≤ 50 MB) */
import { fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Certificate, CertificatePrinter, CertificateRenderer, toCertificateView } from '@shipei/certificates';
import { BenchApp, freshDatabase, ok, resolveOptions, runLoad, seedCheckin, seedFinishedCohort, startApp } from './lib';

/**
 * Spec §16: heavy work (PDF batches, archives) runs in worker threads, so the light requests sharing
 * the process keep their latency. Alternating rounds load POST /sessions/:id/checkins with autocannon
 * (a separate process) once on an idle app and once while another process downloads, over and over,
 * the 400-page certificate PDF of a cohort and the archive (一期一档) of a 400-trainee cohort; both p99
 * and their ratio are printed. Then a 5,000-page certificate PDF is downloaded (by another process)
 * while this process's RSS is sampled: the growth through the worker, and, for comparison, the growth
 * of the same PDF drawn on the event loop as before (CertificateRenderer in this thread).
 */
const TARGET_RATIO = 1.5;
const TARGET_GROWTH_MB = 50;
// Every tenth trainee of a seeded cohort misses sessions: 444 trainees → 400 certificates, 5,556 → 5,001.
const PDF_COHORT = 444;
const ARCHIVE_COHORT = 400;
const BIG_COHORT = 5_556;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const mb = (n: number) => Math.round((n / 1_048_576) * 10) / 10;
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** In a child process: downloads each URL in a loop (all at once), reporting finished downloads, until told to stop. */
async function heavyClient(urls: string[], token: string): Promise<void> {
  let stop = false;
  let done = 0;
  let bytes = 0;
  process.on('message', (m) => {
    if (m === 'stop') stop = true;
  });
  const loop = async (url: string) => {
    while (!stop) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200 || !res.body) throw new Error(`${url} → ${res.status} ${await res.text()}`);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      done++;
      process.send?.({ done, bytes });
    }
  };
  process.send?.({ started: true });
  await Promise.all(urls.map(loop));
  process.send?.({ stopped: true, done, bytes }, () => process.exit(0));
}

interface Heavy {
  stop(): Promise<{ done: number; bytes: number }>;
}

function startHeavy(urls: string[], token: string): Promise<Heavy> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--heavy-client', token, ...urls], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let last = { done: 0, bytes: 0 };
    let stopped: ((r: { done: number; bytes: number }) => void) | undefined;
    child.on('message', (m: { started?: boolean; stopped?: boolean; done?: number; bytes?: number }) => {
      if (m.started) resolve({ stop: () => new Promise((r) => ((stopped = r), child.send('stop'))) });
      else if (m.stopped) stopped?.({ done: m.done!, bytes: m.bytes! });
      else last = { done: m.done!, bytes: m.bytes! };
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`heavy client exited with ${code}`));
      stopped?.(last);
    });
  });
}

/** Samples this process's RSS every 5 ms while `work` runs: the growth of the peak over the (collected) start. */
async function rssGrowth(work: () => Promise<unknown>): Promise<{ ms: number; growthMb: number; peakMb: number }> {
  gc();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms: Math.round(ms), growthMb: mb(peak - before), peakMb: mb(peak) };
}

/** Downloads `url` in another process (so the client's buffers are not this process's). */
function downloadElsewhere(url: string, token: string): Promise<{ done: number; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--download-once', token, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: { done: number; bytes: number; ms: number }) => resolve(m));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`download exited with ${code}`))));
  });
}

async function downloadOnce(token: string, url: string): Promise<void> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  process.send?.({ done: 1, bytes, ms: Math.round(performance.now() - t0) }, () => process.exit(0));
}

async function trainerToken(app: BenchApp, admin: string): Promise<{ id: number; token: string }> {
  const trainer = await ok(app, 'POST', '/api/v1/users', admin, {
    username: 'bench_heavy_trainer',
    password: 'Init1234x',
    role: 'TRAINER',
    displayName: '刘振华',
  });
  const first = await app.login('bench_heavy_trainer', 'Init1234x');
  const token = (
    await ok(app, 'POST', '/api/v1/auth/password', first, { currentPassword: 'Init1234x', newPassword: 'Trainer1234' })
  ).accessToken as string;
  return { id: trainer.id, token };
}

async function run(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'heavy-vs-checkin', { rounds: 3, duration: 8 });
  const database = await freshDatabase(opts.db);
  let app: BenchApp | undefined;
  try {
    app = await startApp(database.url);
    const admin = await app.login('admin', app.adminPassword);
    const trainer = await trainerToken(app, admin);
    console.log(
      `heavy-vs-checkin · ${opts.db}: seeding cohorts (${PDF_COHORT}, ${ARCHIVE_COHORT}, ${BIG_COHORT} trainees)…`,
    );
    const pdfCohort = await seedFinishedCohort(app, admin, trainer.id, PDF_COHORT, 100_000);
    const archiveCohort = await seedFinishedCohort(app, admin, trainer.id, ARCHIVE_COHORT, 200_000);
    const bigCohort = await seedFinishedCohort(app, admin, trainer.id, BIG_COHORT, 300_000);
    // Last: it fixes the app's clock inside the session's check-in window.
    const checkin = await seedCheckin(app);
    const pdfUrl = `${app.url}/api/v1/cohorts/${pdfCohort}/certificates/pdf`;
    const archiveUrl = `${app.url}/api/v1/cohorts/${archiveCohort}/archive.zip`;
    const pages = await app.dataSource.query(
      `SELECT COUNT(*) AS n FROM certificate WHERE cohortId = ? AND status = 'VALID'`,
      [pdfCohort],
    );
    console.log(`  ${pages[0].n}-page certificate PDF, archive of ${ARCHIVE_COHORT} trainees`);

    const target = {
      url: `${app.url}/api/v1/sessions/${checkin.sessionId}/checkins`,
      method: 'POST',
      headers: { authorization: `Bearer ${checkin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: checkin.code }),
    };
    const load = { connections: opts.connections, duration: opts.duration };
    // Warm-up: the worker threads' fonts and templates, and the check-in path.
    await downloadElsewhere(pdfUrl, trainer.token);
    await downloadElsewhere(archiveUrl, trainer.token);
    await runLoad(target, { connections: opts.connections, duration: 2 });

    const idle: number[] = [];
    const heavy: number[] = [];
    const rows: string[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      const quiet = await runLoad(target, load);
      if (quiet.non2xx || quiet.errors) throw new Error(`idle check-ins failed: ${JSON.stringify(quiet.statusCodes)}`);
      const h = await startHeavy([pdfUrl, archiveUrl], trainer.token);
      const busy = await runLoad(target, load);
      const built = await h.stop();
      if (busy.non2xx || busy.errors)
        throw new Error(`check-ins under load failed: ${JSON.stringify(busy.statusCodes)}`);
      idle.push(quiet.p99);
      heavy.push(busy.p99);
      rows.push(
        `  round ${r + 1}: idle p99 ${quiet.p99.toFixed(2)} ms (p50 ${quiet.p50.toFixed(2)}, ${quiet.rps} req/s); while building p99 ${busy.p99.toFixed(2)} ms (p50 ${busy.p50.toFixed(2)}, ${busy.rps} req/s), ${built.done} PDFs/archives finished (${mb(built.bytes)} MB)`,
      );
      console.log(rows[rows.length - 1]);
    }
    const idleP99 = median(idle);
    const heavyP99 = median(heavy);
    const ratio = heavyP99 / idleP99;

    // The 5,000-page PDF: through the worker (as served), then drawn on this thread as before, for comparison.
    const bigPages = await app.dataSource.query(
      `SELECT COUNT(*) AS n FROM certificate WHERE cohortId = ? AND status = 'VALID'`,
      [bigCohort],
    );
    let download = { done: 0, bytes: 0, ms: 0 };
    const worker = await rssGrowth(async () => {
      download = await downloadElsewhere(`${app!.url}/api/v1/cohorts/${bigCohort}/certificates/pdf`, trainer.token);
    });
    worker.ms = download.ms; // the download itself, not the client process's start
    const certificates = await app.nest.get(CertificatePrinter).cohortCertificates(bigCohort);
    const views = certificates.map((c: Certificate) => toCertificateView(c, app!.config.publicBaseUrl));
    const renderer = app.nest.get(CertificateRenderer);
    const discard = () =>
      new Writable({
        write(_chunk, _enc, done) {
          setImmediate(done); // a client reading at loopback speed
        },
      });
    const inline = await rssGrowth(() => renderer.renderToStream(views, discard()));

    console.log('');
    console.log(
      `heavy-vs-checkin · ${opts.db} — check-in (${opts.connections} connections, ${opts.duration} s × ${opts.rounds} rounds), WORKER_THREADS=${app.config.workerThreads}`,
    );
    console.log(
      `  check-in p99 idle ${idleP99.toFixed(2)} ms, while a ${pages[0].n}-page PDF and an archive are built ${heavyP99.toFixed(2)} ms:`,
    );
    console.log(
      `  ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) — ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  ${bigPages[0].n}-page PDF through the worker: ${worker.ms} ms, ${mb(download.bytes)} MB, RSS growth ${worker.growthMb} MB (target ≤ ${TARGET_GROWTH_MB} MB) — ${worker.growthMb <= TARGET_GROWTH_MB ? 'met' : 'NOT met'}; drawn on the event loop as before: ${inline.ms} ms, RSS growth ${inline.growthMb} MB`,
    );
    const result = {
      bench: 'heavy-vs-checkin',
      db: opts.db,
      idleP99,
      heavyP99,
      ratio,
      rounds: { idle, heavy },
      bigPdf: { pages: Number(bigPages[0].n), worker, inline },
      workerThreads: app.config.workerThreads,
      date: new Date().toISOString(),
    };
    console.log(JSON.stringify(result));
    if (ratio > TARGET_RATIO || worker.growthMb > TARGET_GROWTH_MB) process.exitCode = 1;
  } finally {
    await app?.close().catch(() => undefined);
    await database.drop();
  }
}

const heavyAt = process.argv.indexOf('--heavy-client');
const onceAt = process.argv.indexOf('--download-once');
(heavyAt >= 0
  ? heavyClient(process.argv.slice(heavyAt + 2), process.argv[heavyAt + 1])
  : onceAt >= 0
    ? downloadOnce(process.argv[onceAt + 1], process.argv[onceAt + 2])
    : run()
).catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
