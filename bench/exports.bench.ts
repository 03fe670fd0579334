/** Every .xlsx export at 100,000 rows through the HTTP app: peak RSS growth (target ≤ 50 MB) and time, vs the old in-memory code at 20,000 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ExcelJS from 'exceljs';
import { DataSource, In } from 'typeorm';
import { Certificate } from '@shipei/certificates';
import { Enrolment } from '@shipei/enrolment';
import { maskIdNumber, maskPhone, Organisation, Teacher } from '@shipei/people';
import { addTableSheet, newWorkbook, workbookBuffer } from '@shipei/core';
import { seedExportRows } from '../test/support/export-seed';
import { freshDatabase, resolveOptions, startApp } from './lib';

/** Rows of the big program (each export's size). */
const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
/** Rows of the small program, where the old in-memory code is measured beside the streamed one. */
const BASELINE_ROWS = Number(process.env.BENCH_BASELINE_ROWS ?? 20_000);
const TARGET_MB = 50;

type Kind = 'register' | 'credit-hours' | 'roster' | 'teachers';
const ALL_KINDS: Kind[] = ['register', 'credit-hours', 'roster', 'teachers'];
/** BENCH_EXPORTS=register,roster measures only those. */
const KINDS = process.env.BENCH_EXPORTS
  ? ALL_KINDS.filter((k) => process.env.BENCH_EXPORTS!.split(',').includes(k))
  : ALL_KINDS;

const path = (kind: Kind, programId: number, countyId: number) =>
  ({
    register: `/api/v1/programs/${programId}/certificates.xlsx`,
    'credit-hours': `/api/v1/programs/${programId}/credit-hours.xlsx`,
    roster: `/api/v1/programs/${programId}/roster`,
    // Not per program: every teacher, or one county's.
    teachers: `/api/v1/teachers/export${countyId ? `?countyId=${countyId}` : ''}`,
  })[kind];

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

// ───────────────────────────── the app process ─────────────────────────────
// The app runs in a child so that its memory is the app's alone: the parent seeds and downloads.
// Peak RSS is the kernel's high-water mark (VmHWM), reset before each export (clear_refs 5), so a
// spike between two samples is not missed.

function rssKb(field: 'VmRSS' | 'VmHWM'): number {
  const m = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`));
  return m ? Number(m[1]) : Math.round(process.memoryUsage().rss / 1024);
}

async function serve(url: string): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const app = await startApp(url);
  let before = 0;
  let heap0 = process.memoryUsage();
  let heapPeak = { heapTotal: 0, external: 0 };
  let sampler: NodeJS.Timeout | undefined;
  const send = (m: unknown) => process.send!(m);
  process.on('message', async (m: { cmd: string; kind?: Kind; programId?: number }) => {
    try {
      if (m.cmd === 'start') {
        gc();
        gc();
        before = rssKb('VmRSS');
        writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
        // The JS heap and the memory outside it (buffers), sampled: which of them the growth is.
        heap0 = process.memoryUsage();
        heapPeak = { heapTotal: heap0.heapTotal, external: heap0.external };
        sampler = setInterval(() => {
          const u = process.memoryUsage();
          heapPeak.heapTotal = Math.max(heapPeak.heapTotal, u.heapTotal);
          heapPeak.external = Math.max(heapPeak.external, u.external);
        }, 10);
        send({ before });
      } else if (m.cmd === 'stop') {
        clearInterval(sampler);
        const peak = rssKb('VmHWM');
        gc();
        gc();
        send({
          retainedKb: Math.round((process.memoryUsage().heapUsed - heap0.heapUsed) / 1024),
          before,
          peak,
          heapGrowthKb: Math.round((heapPeak.heapTotal - heap0.heapTotal) / 1024),
          externalGrowthKb: Math.round((heapPeak.external - heap0.external) / 1024),
        });
      } else if (m.cmd === 'baseline') {
        const t0 = performance.now();
        const bytes = await oldExport(app.dataSource, m.kind!, m.programId!);
        send({ ms: performance.now() - t0, bytes });
      } else if (m.cmd === 'exit') {
        await app.close();
        process.exit(0);
      }
    } catch (e) {
      send({ error: (e as Error).stack ?? String(e) });
    }
  });
  send({ ready: true, url: app.url });
}

// ───────────── the old code (before issue 21), kept here as the baseline ─────────────

/** As the registers and the roster were built: every row loaded, then the whole workbook in memory. */
async function oldExport(ds: DataSource, kind: Kind, programId: number): Promise<number> {
  const em = ds.manager;
  if (kind === 'teachers') return oldTeacherExport(ds);
  if (kind === 'roster') {
    const rows = await em.find(Enrolment, { where: { programId }, order: { countyId: 'ASC', id: 'ASC' } });
    const teachers = new Map<number, Teacher>();
    for (let i = 0; i < rows.length; i += 400)
      for (const t of await em.find(Teacher, { where: { id: In(rows.slice(i, i + 400).map((r) => r.teacherId)) } }))
        teachers.set(t.id, t);
    const orgs = new Map((await em.find(Organisation)).map((o) => [o.id, o]));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['花名册']);
    rows.forEach((e, i) => {
      const t = teachers.get(e.teacherId)!;
      const row = ws.addRow([
        i + 1,
        t.name,
        t.gender === 'F' ? '女' : '男',
        maskIdNumber(t.idNumber),
        maskPhone(t.phone),
        orgs.get(t.countyId)?.name,
        orgs.get(t.schoolId)?.name,
        t.stage,
        t.subject,
        t.title,
        '',
        '压测一期',
        e.status,
      ]);
      for (const c of [4, 5]) row.getCell(c).numFmt = '@';
    });
    return (await wb.xlsx.writeBuffer()).byteLength;
  }
  const qb = em
    .createQueryBuilder(Certificate, 'c')
    .where('c.programId = :programId', { programId })
    .orderBy('c.sequence', 'ASC');
  if (kind === 'credit-hours') qb.andWhere(`c.status = 'VALID'`);
  const certificates = await qb.getMany();
  const teachers = new Map<number, Teacher>();
  const ids = certificates.map((c) => c.teacherId);
  for (let i = 0; i < ids.length; i += 500)
    for (const t of await em.find(Teacher, {
      where: { id: In(ids.slice(i, i + 500)) },
      select: { id: true, idNumber: true },
    }))
      teachers.set(t.id, t);
  const orgs = new Map((await em.find(Organisation)).map((o) => [o.id, o]));
  const rows = certificates.map((c, i) => [
    i + 1,
    c.number,
    c.holderName,
    maskIdNumber(teachers.get(c.teacherId)?.idNumber),
    orgs.get(c.countyId)?.name ?? '',
    c.schoolName,
    '压测一期',
    c.startDate,
    c.endDate,
    Number(c.creditHours),
    c.issuer,
    c.issueDate,
    c.status,
    '',
    c.revokeReason ?? '',
  ]);
  const wb = newWorkbook(new Date(), 'register');
  addTableSheet(
    wb,
    'register',
    rows[0].map((_, i) => ({ header: `c${i}`, width: 10 })),
    rows,
  );
  return (await workbookBuffer(wb)).length;
}

/** The teacher export before: the streaming writer, but rows written as fast as read (no backpressure). */
async function oldTeacherExport(ds: DataSource): Promise<number> {
  const out = new PassThrough();
  let bytes = 0;
  out.on('data', (c: Buffer) => (bytes += c.length));
  const done = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('教师名单');
  let after = 0;
  for (;;) {
    const batch = await ds.manager
      .createQueryBuilder(Teacher, 't')
      .where('t.id > :after', { after })
      .orderBy('t.id', 'ASC')
      .limit(1000)
      .getMany();
    if (!batch.length) break;
    for (const t of batch)
      ws.addRow([t.name, maskIdNumber(t.idNumber), maskPhone(t.phone), t.stage, t.subject]).commit();
    after = batch[batch.length - 1].id;
  }
  ws.commit();
  await wb.commit();
  await done;
  return bytes;
}

// ───────────────────────────── the measuring side ─────────────────────────────

interface Measure {
  kind: Kind;
  rows: number;
  how: 'streamed (HTTP)' | 'old (in memory)';
  ms: number;
  firstByteMs: number | null;
  bytes: number;
  rssGrowthMb: number;
  peakRssMb: number;
  /** Growth of the JS heap's size (V8's committed heap) and of the memory outside it (buffers), sampled every 10 ms. */
  heapGrowthMb: number;
  externalGrowthMb: number;
  /** JS heap still in use after the export and a full GC, over before: a leak would show here. */
  retainedMb: number;
}

class AppProcess {
  private waiting: { resolve: (m: any) => void; reject: (e: Error) => void }[] = [];
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: any) => {
      const w = this.waiting.shift();
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve(m);
    });
    child.once('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`app process exited with ${code}`));
    });
  }

  static async start(url: string): Promise<{ proc: AppProcess; url: string }> {
    const child = fork(__filename, ['--serve', url], { stdio: 'inherit' });
    const proc = new AppProcess(child);
    const ready = await proc.next();
    return { proc, url: ready.url };
  }

  next(): Promise<any> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async ask(m: unknown): Promise<any> {
    const reply = this.next();
    this.child.send(m as never);
    return reply;
  }
}

async function measureHttp(app: AppProcess, base: string, token: string, kind: Kind, route: string, rows: number) {
  await app.ask({ cmd: 'start' });
  const t0 = performance.now();
  const res = await fetch(base + route, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${route} → ${res.status} ${await res.text()}`);
  let bytes = 0;
  let firstByteMs: number | null = null;
  let tail = Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    firstByteMs ??= performance.now() - t0;
    bytes += chunk.length;
    tail = Buffer.concat([tail, Buffer.from(chunk)]).subarray(-64);
  }
  const ms = performance.now() - t0;
  // A complete zip ends with its end-of-central-directory record.
  if (tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0) throw new Error(`${route}: not a complete .xlsx`);
  const mem = await app.ask({ cmd: 'stop' });
  return measure(kind, rows, 'streamed (HTTP)', ms, firstByteMs, bytes, mem);
}

async function measureOld(app: AppProcess, kind: Kind, programId: number, rows: number) {
  await app.ask({ cmd: 'start' });
  const r = await app.ask({ cmd: 'baseline', kind, programId });
  const mem = await app.ask({ cmd: 'stop' });
  return measure(kind, rows, 'old (in memory)', r.ms, null, r.bytes, mem);
}

function measure(
  kind: Kind,
  rows: number,
  how: Measure['how'],
  ms: number,
  firstByteMs: number | null,
  bytes: number,
  mem: { before: number; peak: number; heapGrowthKb: number; externalGrowthKb: number; retainedKb: number },
): Measure {
  return {
    kind,
    rows,
    how,
    ms: Math.round(ms),
    firstByteMs: firstByteMs == null ? null : Math.round(firstByteMs),
    bytes,
    rssGrowthMb: mb(mem.peak - mem.before),
    peakRssMb: mb(mem.peak),
    heapGrowthMb: mb(mem.heapGrowthKb),
    externalGrowthMb: mb(mem.externalGrowthKb),
    retainedMb: mb(mem.retainedKb),
  };
}

async function run(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'exports');
  const database = await freshDatabase(opts.db);
  let app: AppProcess | undefined;
  try {
    // Migrations and the first admin come from a first start of the app; the rows from bulk SQL.
    const seeder = await startApp(database.url);
    const adminPassword = seeder.adminPassword;
    const t0 = performance.now();
    const big = await seedExportRows(seeder.dataSource, ROWS, 500_000);
    const small = await seedExportRows(seeder.dataSource, BASELINE_ROWS, 2_000_000);
    const [{ n: teachers }] = await seeder.dataSource.query('SELECT COUNT(*) AS n FROM teacher');
    const [{ id: county }] = await seeder.dataSource.query(
      `SELECT countyId AS id FROM teacher GROUP BY countyId ORDER BY COUNT(*) DESC LIMIT 1`,
    );
    const [{ n: inCounty }] = await seeder.dataSource.query('SELECT COUNT(*) AS n FROM teacher WHERE countyId = ?', [
      county,
    ]);
    const validOf = async (programId: number) =>
      Number(
        (
          await seeder.dataSource.query(
            `SELECT COUNT(*) AS n FROM certificate WHERE programId = ? AND status = 'VALID'`,
            [programId],
          )
        )[0].n,
      );
    const counts = (s: typeof big, valid: number): Record<Kind, number> => ({
      register: s.rows,
      'credit-hours': valid,
      roster: s.rows,
      teachers: Number(teachers),
    });
    const bigCounts = counts(big, await validOf(big.programId));
    const smallCounts = counts(small, await validOf(small.programId));
    await seeder.close();
    console.log(
      `exports · ${opts.db}: seeded ${ROWS.toLocaleString('en-US')} + ${BASELINE_ROWS.toLocaleString('en-US')} teachers, enrolments and certificates in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const started = await AppProcess.start(database.url);
    app = started.proc;
    const login = await fetch(`${started.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: adminPassword }),
    });
    const { accessToken: token } = (await login.json()) as { accessToken: string };
    if (!token) throw new Error('login failed');

    const runs: Measure[] = [];
    // Warm-up: the first request of a kind loads code and fills caches that stay.
    for (const kind of KINDS)
      await measureHttp(app, started.url, token, kind, path(kind, small.programId, Number(county)), 0);
    for (const kind of KINDS) {
      if (kind === 'teachers') {
        // Not per program: every seeded teacher, then one county's.
        runs.push(
          await measureHttp(app, started.url, token, kind, path(kind, 0, 0), bigCounts.teachers),
          await measureHttp(app, started.url, token, kind, path(kind, 0, Number(county)), Number(inCounty)),
        );
      } else
        runs.push(
          await measureHttp(app, started.url, token, kind, path(kind, big.programId, 0), bigCounts[kind]),
          await measureHttp(app, started.url, token, kind, path(kind, small.programId, 0), smallCounts[kind]),
        );
    }
    await app.ask({ cmd: 'exit' }).catch(() => undefined);
    // The old code, each in a fresh app process: memory it took and freed stays in the RSS for a while,
    // which would hide what the next one takes.
    for (const kind of process.env.BENCH_BASELINE === '0' ? [] : KINDS) {
      app = (await AppProcess.start(database.url)).proc;
      const rows = kind === 'teachers' ? bigCounts.teachers : smallCounts[kind];
      runs.push(await measureOld(app, kind, small.programId, rows));
      await app.ask({ cmd: 'exit' }).catch(() => undefined);
    }
    app = undefined;
    report(opts.db, runs);
  } finally {
    if (app) app.child.kill();
    await database.drop();
  }
}

function report(db: string, runs: Measure[]): void {
  console.log('');
  console.log(
    [
      'export'.padEnd(14),
      'how'.padEnd(17),
      'rows'.padStart(9),
      'ms'.padStart(8),
      'rows/s'.padStart(9),
      '1st byte'.padStart(9),
      'MB out'.padStart(8),
      'RSS growth MB'.padStart(14),
      'peak RSS MB'.padStart(12),
      'heap +MB'.padStart(9),
      'ext +MB'.padStart(8),
      'kept MB'.padStart(8),
    ].join(' '),
  );
  for (const r of runs)
    console.log(
      [
        r.kind.padEnd(14),
        r.how.padEnd(17),
        String(r.rows).padStart(9),
        String(r.ms).padStart(8),
        String(Math.round((r.rows / r.ms) * 1000)).padStart(9),
        String(r.firstByteMs ?? '–').padStart(9),
        (r.bytes / 1048576).toFixed(1).padStart(8),
        String(r.rssGrowthMb).padStart(14),
        String(r.peakRssMb).padStart(12),
        String(r.heapGrowthMb).padStart(9),
        String(r.externalGrowthMb).padStart(8),
        String(r.retainedMb).padStart(8),
      ].join(' '),
    );
  console.log('(the app process alone; growth = its peak RSS (VmHWM) over its RSS just before the export, after a GC)');
  console.log('');
  let met = true;
  for (const kind of KINDS) {
    const streamed = runs.filter((r) => r.kind === kind && r.how === 'streamed (HTTP)');
    const largest = streamed.reduce((a, b) => (b.rows > a.rows ? b : a));
    const old = runs.find((r) => r.kind === kind && r.how === 'old (in memory)');
    const same = streamed.find((r) => r.rows === old?.rows);
    const ok = largest.rssGrowthMb <= TARGET_MB;
    met &&= ok;
    console.log(
      `${kind}: ${largest.rows.toLocaleString('en-US')} rows streamed in ${largest.ms} ms with +${largest.rssGrowthMb} MB ` +
        `(target ≤ ${TARGET_MB} MB: ${ok ? 'met' : 'NOT met'})` +
        (old && same
          ? `; at ${old.rows.toLocaleString('en-US')} rows old/new: RSS growth ${ratio(old.rssGrowthMb, same.rssGrowthMb)}×, time ${ratio(old.ms, same.ms)}×`
          : ''),
    );
  }
  const result = {
    bench: 'exports',
    db,
    rows: ROWS,
    baselineRows: BASELINE_ROWS,
    targetMb: TARGET_MB,
    met,
    runs,
    node: process.version,
    date: new Date().toISOString(),
  };
  const json = JSON.stringify(result);
  console.log(json);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `exports-${db}.json`), json + '\n');
  if (!met) process.exitCode = 1;
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(1) : '∞');

const serveAt = process.argv.indexOf('--serve');
(serveAt >= 0 ? serve(process.argv[serveAt + 1]) : run()).catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
  if (serveAt >= 0) process.exit(1);
});
