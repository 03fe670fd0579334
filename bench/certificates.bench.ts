/** Certificates: 400 into one PDF and single PDFs through the service (pdfkit) vs headless Chromium printing the same layout */
//
// npm run bench -- certificates [--db sqlite|mysql|both] [--rounds n]
//
// 1. Starts the full app on a fresh database, seeds one program with a cohort of 400 COMPLETED
//    enrolments and issues their certificates through CertificateIssuer (timed).
// 2. pdfkit, warm: CertificatePrinter.printCohort → one 400-page PDF, streamed into a counting sink
//    (median of --rounds runs); then CertificatePrinter.printOne in a loop for single certificates.
// 3. Chromium (/usr/bin/chromium via playwright-core, one page reused): the same certificates, laid out
//    by the same Handlebars template, in HTML/CSS with the same font files, one page.pdf() each.
// Targets (issue 6): 400 pages ≤ 2 s warm, ≤ 40 KB a page, pdfkit ≥ 20× faster per certificate.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  benchCertificates,
  CertificateIssuer,
  CertificatePrinter,
  CertificateTemplates,
  CertificateView,
  renderBatch,
  toCertificateView,
} from '@shipei/certificates';
import { Actor, cjkFontFiles } from '@shipei/core';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { freshDatabase, median, resolveOptions, startApp } from './lib';

const BATCH = 400;
const SINGLES = 200;
const CHROMIUM_PAGES = 40;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

const CITY: Actor = { userId: 0, role: 'CITY_ADMIN', organisationId: null, countyId: null, teacherId: null };

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
/** CPU time of this process since `start` (user + system, all threads), ms: less disturbed by a busy machine than wall time. */
const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** A valid 身份证号 (GB 11643) for serial n. */
function idNumber(n: number): string {
  const body = `371302${19700101 + (n % 28)}${String(n % 1000).padStart(3, '0')}`.slice(0, 17);
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** One program, one cohort, 400 COMPLETED enrolments of distinct teachers (names vary, as in real batches). */
async function seed(db: DataSource): Promise<{ cohortId: number }> {
  const now = new Date();
  const [{ id: cityId }] = await db.query(`SELECT id FROM organisation WHERE type = 'CITY'`);
  const [{ id: countyId }] = await db.query(`SELECT id FROM organisation WHERE code = '371302'`);
  const ins = async (table: string, values: Record<string, unknown> | Record<string, unknown>[]) =>
    (await db.createQueryBuilder().insert().into(table).values(values).execute()).identifiers.map((i) => Number(i.id));
  const schools = await ins(
    'organisation',
    [
      '临沂第一中学',
      '兰山区第一实验小学',
      '罗庄区册山街道中心小学',
      '沂水县第三中学',
      '费县实验中学',
      '平邑县地方镇中心幼儿园',
    ].map((name) => ({
      type: 'SCHOOL',
      name,
      parentId: countyId,
      countyId,
      stages: '',
      povertyVillage: true,
      receivingSchool: false,
      createdAt: now,
    })),
  );
  const views = benchCertificates(BATCH);
  const teachers: number[] = [];
  for (let i = 0; i < BATCH; i += 100) {
    const rows = views.slice(i, i + 100).map((v, k) => ({
      name: v.holderName,
      idNumber: idNumber(i + k),
      gender: 'F',
      birthDate: '1980-01-01',
      phone: `139${String(i + k).padStart(8, '0')}`,
      schoolId: schools[(i + k) % schools.length],
      countyId,
      backboneLevel: 'NONE',
      appraisalsQualified: true,
      onProbation: false,
      specialPost: false,
      createdAt: now,
      updatedAt: now,
    }));
    teachers.push(...(await ins('teacher', rows)));
  }
  const [programId] = await ins('program', {
    kind: 'BACKBONE_SUMMER',
    year: 2019,
    title: '2019年临沂市中小学骨干教师能力提升培训',
    ownerOrganisationId: Number(cityId),
    ownerCountyId: null,
    seats: BATCH,
    approvedCount: 0,
    creditHours: 24,
    attendanceThreshold: 0.8,
    lateGraceMinutes: 15,
    status: 'RUNNING',
    requirePovertyVillage: true,
    stages: '',
    subjects: '',
    certificatePrefix: 'LYGG',
    certificateTemplate: null,
    certificateSeq: 0,
    startDate: '2019-07-01',
    endDate: '2019-07-10',
    createdAt: now,
    updatedAt: now,
  });
  const [cohortId] = await ins('cohort', {
    programId,
    name: '第一期',
    capacity: BATCH,
    assignedCount: 0,
    startDate: '2019-07-01',
    endDate: '2019-07-10',
    venue: '临沂大学',
    createdAt: now,
    updatedAt: now,
  });
  for (let i = 0; i < BATCH; i += 100) {
    await ins(
      'enrolment',
      teachers.slice(i, i + 100).map((teacherId) => ({
        programId,
        teacherId,
        countyId,
        status: 'COMPLETED',
        cohortId,
        attendedHours: 24,
        attendanceRate: 1,
        creditHours: 24,
        createdAt: now,
        updatedAt: now,
        completedAt: now,
      })),
    );
  }
  return { cohortId };
}

// ——— Chromium side: the same layout (template lines, geometry, fonts, QR) in HTML/CSS ———

/** The little of the DOM the page function uses (it runs in the browser; Node's types have no DOM). */
interface DomElement {
  className: string;
  textContent: string;
  innerHTML: string;
  replaceChildren(...nodes: DomElement[]): void;
}
declare const document: {
  getElementById(id: string): DomElement | null;
  createElement(tag: string): DomElement;
  fonts: { ready: Promise<unknown> };
};

function chromiumTemplate(): string {
  const fonts = cjkFontFiles();
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@font-face{font-family:CertSerif;font-weight:400;src:url('${pathToFileURL(fonts.regular).href}')}
@font-face{font-family:CertSerif;font-weight:700;src:url('${pathToFileURL(fonts.bold).href}')}
@page{size:841.89pt 595.28pt;margin:0}
html,body{margin:0;padding:0}
body{font-family:CertSerif;color:#1f1f1f}
.page{position:relative;width:841.89pt;height:595.28pt;overflow:hidden}
.f1{position:absolute;left:22pt;top:22pt;right:22pt;bottom:22pt;border:2.4pt solid #9b1c1c}
.f2{position:absolute;left:30pt;top:30pt;right:30pt;bottom:30pt;border:.8pt solid #b8912f}
.flow{position:absolute;left:110pt;right:110pt;top:80pt}
.title{font-weight:700;font-size:38pt;color:#9b1c1c;text-align:center;letter-spacing:.4em;margin-bottom:16pt}
.lead{font-weight:700;font-size:20pt;margin-bottom:14pt}
.body{font-size:18pt;line-height:28pt;text-indent:2em;margin-bottom:8pt}
.meta{position:absolute;left:84pt;bottom:58pt;font-size:11pt;line-height:18pt}
.sign{position:absolute;right:172pt;bottom:84pt;width:240pt;text-align:center;font-size:18pt;line-height:30pt}
.qr{position:absolute;right:52pt;bottom:66pt;width:96pt;height:96pt;background:#fff}
.qr svg{width:96pt;height:96pt;display:block}
.cap{position:absolute;right:52pt;bottom:54pt;width:96pt;text-align:center;font-size:9pt;color:#555}
</style></head><body><div class="page"><div class="f1"></div><div class="f2"></div>
<div class="flow" id="flow"></div><div class="meta" id="meta"></div><div class="sign" id="sign"></div>
<div class="qr" id="qr"></div><div class="cap">扫码验证</div></div></body></html>`;
}

interface HtmlCertificate {
  flow: { kind: string; text: string }[];
  meta: string[];
  sign: string[];
  qr: string;
}

async function htmlCertificate(templates: CertificateTemplates, view: CertificateView): Promise<HtmlCertificate> {
  const layout = templates.builtin('default').render(view);
  const qr = await QRCode.toString(view.verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return { flow: layout.flow, meta: layout.meta, sign: layout.sign, qr };
}

async function chromiumRun(
  views: CertificateView[],
): Promise<{ msPerCertificate: number; bytesPerPdf: number; pages: number; version: string } | { skipped: string }> {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} not installed` };
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'cert-chromium-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const file = join(dir, 'certificate.html');
    writeFileSync(file, chromiumTemplate());
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const templates = new CertificateTemplates();
    const fill = (c: HtmlCertificate) =>
      page.evaluate((d) => {
        const flow = document.getElementById('flow')!;
        flow.replaceChildren(
          ...d.flow
            .filter((l) => l.kind !== 'space')
            .map((l) => Object.assign(document.createElement('div'), { className: l.kind, textContent: l.text })),
        );
        document
          .getElementById('meta')!
          .replaceChildren(...d.meta.map((t) => Object.assign(document.createElement('div'), { textContent: t })));
        document
          .getElementById('sign')!
          .replaceChildren(...d.sign.map((t) => Object.assign(document.createElement('div'), { textContent: t })));
        document.getElementById('qr')!.innerHTML = d.qr;
        return document.fonts.ready.then(() => undefined);
      }, c);
    const printOne = async (view: CertificateView) => {
      await fill(await htmlCertificate(templates, view));
      return page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
    };
    for (const v of views.slice(0, 3)) await printOne(v); // warm-up: fonts, layout, PDF backend
    let bytes = 0;
    const start = process.hrtime.bigint();
    for (const v of views.slice(0, CHROMIUM_PAGES)) bytes += (await printOne(v)).length;
    const total = ms(start);
    return {
      msPerCertificate: total / CHROMIUM_PAGES,
      bytesPerPdf: bytes / CHROMIUM_PAGES,
      pages: CHROMIUM_PAGES,
      version: browser.version(),
    };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'certificates', { rounds: 5 });
  const database = await freshDatabase(opts.db);
  const app = await startApp(database.url, { PUBLIC_BASE_URL: 'https://shipei.example.cn' });
  try {
    console.log(`certificates · ${opts.db}: seeding ${BATCH} completed enrolments…`);
    const { cohortId } = await seed(app.dataSource);
    const issuer = app.nest.get(CertificateIssuer);
    const printer = app.nest.get(CertificatePrinter);

    let start = process.hrtime.bigint();
    const issued = await issuer.issueForCohort(CITY, cohortId);
    const issueMs = ms(start);
    if (issued.length !== BATCH || !issued.every((o) => o.created))
      throw new Error(`expected ${BATCH} new certificates, got ${issued.length}`);

    // Warm: fonts parsed, template compiled, JIT warm (two full batches).
    for (let i = 0; i < 2; i++) await drain((await printer.printCohort(CITY, cohortId)).stream);

    const batchRuns: { ms: number; cpuMs: number; bytes: number }[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const { stream } = await printer.printCohort(CITY, cohortId);
      const bytes = await drain(stream);
      batchRuns.push({ ms: ms(start), cpuMs: cpuMs(cpu), bytes });
      console.log(
        `  batch ${i + 1}: ${BATCH} pages in ${round(batchRuns[i].ms)} ms (CPU ${round(batchRuns[i].cpuMs)} ms), ${round(bytes / 1024)} KB`,
      );
    }
    const batchMs = median(batchRuns.map((r) => r.ms));
    const batchCpuMs = median(batchRuns.map((r) => r.cpuMs));
    // The renderer alone (no database, no HTTP-side stream), interleaved the same way, to show the service's share.
    const rendererRuns: number[] = [];
    for (let i = 0; i < opts.rounds; i++) rendererRuns.push((await renderBatch(BATCH)).ms);
    const rendererMs = median(rendererRuns);
    console.log(`  renderer only: ${BATCH} pages in ${round(rendererMs)} ms (median)`);
    const batchBytes = batchRuns[0].bytes;

    const ids = issued.map((o) => o.certificate.id);
    for (const id of ids.slice(0, 20)) await drain((await printer.printOne(CITY, id)).stream);
    start = process.hrtime.bigint();
    const singleCpu = process.cpuUsage();
    let singleBytes = 0;
    for (let i = 0; i < SINGLES; i++)
      singleBytes += await drain((await printer.printOne(CITY, ids[i % ids.length])).stream);
    const singleMs = ms(start) / SINGLES;
    const singleCpuMs = cpuMs(singleCpu) / SINGLES;
    console.log(
      `  single: ${SINGLES} certificates, ${round(singleMs, 2)} ms each (${round(1000 / singleMs)} /s), ${round(singleBytes / SINGLES / 1024)} KB each`,
    );

    // The same certificates as the service prints them, for the Chromium side.
    const certificates = await printer.cohortCertificates(cohortId);
    const views = certificates.map((c) => toCertificateView(c, app.config.publicBaseUrl));
    console.log(`  chromium: ${CHROMIUM_PAGES} certificates, one PDF each, page reused…`);
    const chromium = await chromiumRun(views);

    const perPage = batchMs / BATCH;
    const result = {
      bench: 'certificates',
      db: opts.db,
      issue: { certificates: BATCH, ms: round(issueMs) },
      pdfkit: {
        batch: {
          pages: BATCH,
          ms: round(batchMs),
          msPerPage: round(perPage, 2),
          kbPerPage: round(batchBytes / BATCH / 1024, 1),
          mb: round(batchBytes / 1024 / 1024, 2),
          cpuMs: round(batchCpuMs),
          runs: batchRuns.map((r) => round(r.ms)),
          rendererOnlyMs: round(rendererMs),
        },
        single: {
          count: SINGLES,
          msPerCertificate: round(singleMs, 2),
          perSecond: round(1000 / singleMs),
          cpuMsPerCertificate: round(singleCpuMs, 2),
          kbPerPdf: round(singleBytes / SINGLES / 1024, 1),
        },
      },
      chromium:
        'skipped' in chromium
          ? chromium
          : {
              ...chromium,
              msPerCertificate: round(chromium.msPerCertificate, 1),
              kbPerPdf: round(chromium.bytesPerPdf / 1024, 1),
            },
      ratio:
        'skipped' in chromium
          ? null
          : {
              chromiumSingleVsPdfkitBatchPage: round(chromium.msPerCertificate / perPage, 1),
              chromiumSingleVsPdfkitSingle: round(chromium.msPerCertificate / singleMs, 1),
            },
      targets: {
        batchUnder2s: batchMs <= 2000,
        under40kbPerPage: batchBytes / BATCH <= 40 * 1024,
        pdfkit20xFaster: 'skipped' in chromium ? null : chromium.msPerCertificate / perPage >= 20,
      },
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
      `certificates · ${opts.db} — pdfkit through CertificatePrinter vs headless Chromium (${'skipped' in chromium ? chromium.skipped : chromium.version}); load average ${result.env.loadavg} on ${result.env.cpus}`,
    );
    console.log(`issue ${BATCH} certificates (one transaction, gapless numbers): ${result.issue.ms} ms`);
    console.log(
      `pdfkit batch   ${BATCH} pages in one PDF: ${result.pdfkit.batch.ms} ms (median of ${opts.rounds}), ${result.pdfkit.batch.msPerPage} ms/page, CPU ${result.pdfkit.batch.cpuMs} ms, ${result.pdfkit.batch.kbPerPage} KB/page, ${result.pdfkit.batch.mb} MB; renderer alone ${round(rendererMs)} ms`,
    );
    console.log(
      `pdfkit single  ${result.pdfkit.single.msPerCertificate} ms/certificate = ${result.pdfkit.single.perSecond} certificates/s (sequential; CPU ${result.pdfkit.single.cpuMsPerCertificate} ms each), ${result.pdfkit.single.kbPerPdf} KB each`,
    );
    if (!('skipped' in chromium)) {
      console.log(
        `chromium       ${result.chromium && 'msPerCertificate' in result.chromium ? result.chromium.msPerCertificate : '–'} ms/certificate (page reused), ${round(chromium.bytesPerPdf / 1024, 1)} KB each`,
      );
      console.log(
        `ratio          chromium/pdfkit: ${result.ratio!.chromiumSingleVsPdfkitBatchPage}× per batch page, ${result.ratio!.chromiumSingleVsPdfkitSingle}× per single certificate`,
      );
    } else console.log(`chromium       skipped: ${chromium.skipped}`);
    const mark = (ok: boolean | null) => (ok === null ? '–' : ok ? '✓' : '✗');
    console.log(
      `targets        ${mark(result.targets.batchUnder2s)} 400 pages ≤ 2 s   ${mark(result.targets.under40kbPerPage)} ≤ 40 KB/page   ${mark(result.targets.pdfkit20xFaster)} pdfkit ≥ 20× faster`,
    );
    console.log(JSON.stringify(result));
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `certificates-${opts.db}.json`), JSON.stringify(result, null, 2) + '\n');
    if (Object.values(result.targets).some((v) => v === false)) process.exitCode = 1;
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
