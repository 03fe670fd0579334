/** Credit compliance list, summary and export at province scale: the maintained credit table vs the source-row statements it replaced */
import { TransactionRunner } from '@shipei/core';
import { rebuildCreditTable } from '@shipei/records';
import { cpus, loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { BenchApp, freshDatabase, startApp } from './lib';

/*
 * `npm run bench -- compliance --db mysql` (BENCH_TEACHERS=1000000 for a province; default 100,000 on
 * MySQL, 20,000 on SQLite; BENCH_EXPLAIN=1 prints the plans). Or directly:
 * `node -r @swc-node/register bench/compliance.bench.ts --db mysql --teachers 1000000 --explain`.
 *
 * Builds a province after the app's own migrations with bulk SQL (INSERT … SELECT over a number
 * table): 16 counties of unequal size (2,000 schools at 1M), N teachers, 0.225·N enrolments (¾
 * completed, 24–60 credit hours, cohorts ending 2019–2026), 0.3·N external credits (6–48 hours,
 * 2019–2026), then fills teacher_count, credit_year and credit_cycle with the rebuild command (timed). Then, sequentially,
 * through HTTP as the city admin: the compliance list (page 1) and summary for a county of about
 * 4 % of the teachers (40k at 1M), the largest county, and the city, for a year and a five-year
 * cycle; and the export of that county. Beside each, the statements the service ran before
 * (the met-set and per-teacher sums from enrolment / cohort / external_credit), timed by the
 * bare driver on the same data, and their answers compared with the app's (must be equal).
 */

type Dialect = 'sqlite' | 'mysql';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith('--') ? next : '1';
}

const DB = (arg('db') ?? 'sqlite') as Dialect;
const TEACHERS = Number(arg('teachers') ?? process.env.BENCH_TEACHERS ?? (DB === 'mysql' ? 100_000 : 20_000));
const SAMPLES = Number(arg('samples') ?? process.env.BENCH_SAMPLES ?? 30);
const BASELINE_SAMPLES = Number(arg('baseline-samples') ?? process.env.BENCH_BASELINE_SAMPLES ?? 5);
const EXPLAIN = arg('explain') !== undefined || process.env.BENCH_EXPLAIN === '1';
const YEAR = 2025;
const CYCLE = 2021;
const NOW = '2026-01-01 00:00:00';

const sql = (d: Dialect) => ({
  cat: (...parts: string[]) => (d === 'mysql' ? `CONCAT(${parts.join(', ')})` : parts.join(' || ')),
  pad: (e: string, n: number) =>
    d === 'mysql' ? `LPAD(${e}, ${n}, '0')` : `substr('${'0'.repeat(n)}' || (${e}), -${n}, ${n})`,
});

const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f1 = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

/** County sizes from 1 to 4.5 (39k–175k at 1M, as the issue measured), schools in proportion. */
function schoolPlan(counties: number[], schools: number): { countyId: number; count: number }[] {
  const w = counties.map((_, i) => 1 + (3.5 * i) / (counties.length - 1));
  const sum = w.reduce((a, b) => a + b, 0);
  return counties.map((countyId, i) => ({ countyId, count: Math.max(1, Math.round((schools * w[i]) / sum)) }));
}

async function build(ds: DataSource, d: Dialect, cycleStartYear: number): Promise<{ county: number; largest: number }> {
  const q = (s: string, p: unknown[] = []) => ds.query(s, p);
  const { cat, pad } = sql(d);
  const counties: number[] = (await q(`SELECT id FROM organisation WHERE type = 'COUNTY' ORDER BY id`)).map((r: any) =>
    Number(r.id),
  );
  const [city] = await q(`SELECT id FROM organisation WHERE type = 'CITY'`);
  const schools = Math.max(counties.length, Math.round(TEACHERS / 500));
  const plan = schoolPlan(counties, schools);

  // A number table 0 … 10^k − 1 ≥ every count needed.
  const need = Math.max(TEACHERS, 10);
  const digits = Math.ceil(Math.log10(need));
  await q('CREATE TABLE bench_digit (d INTEGER NOT NULL PRIMARY KEY)');
  await q('INSERT INTO bench_digit (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)');
  await q('CREATE TABLE bench_seq (n INTEGER NOT NULL PRIMARY KEY)');
  const terms = Array.from({ length: digits }, (_, i) => `${10 ** i} * d${i}.d`).join(' + ');
  const from = Array.from({ length: digits }, (_, i) => `bench_digit d${i}`).join(' CROSS JOIN ');
  await q(`INSERT INTO bench_seq (n) SELECT ${terms} FROM ${from}`);

  // Schools, and k → (school, county) for spreading the teachers over them.
  await q(
    'CREATE TABLE bench_school (k INTEGER NOT NULL PRIMARY KEY, schoolId INTEGER NOT NULL, countyId INTEGER NOT NULL)',
  );
  let k = 0;
  for (const c of plan) {
    for (let part = 0; part < c.count; part += 500) {
      const n = Math.min(500, c.count - part);
      const tuples = Array.from({ length: n }, () => `('SCHOOL', ?, ?, ?, '', 1, 0, ?)`);
      const params = Array.from({ length: n }, (_, i) => [
        `压测学校${c.countyId}-${part + i}`,
        c.countyId,
        c.countyId,
        NOW,
      ]).flat();
      await q(
        `INSERT INTO organisation (type, name, parentId, countyId, stages, povertyVillage, receivingSchool, createdAt) VALUES ${tuples.join(', ')}`,
        params,
      );
    }
    const ids = await q(`SELECT id FROM organisation WHERE type = 'SCHOOL' AND countyId = ? ORDER BY id`, [c.countyId]);
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      await q(
        `INSERT INTO bench_school (k, schoolId, countyId) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`,
        part.flatMap((r: any) => [k++, Number(r.id), c.countyId]),
      );
    }
  }

  const [tTeachers] = await time(() =>
    q(
      `INSERT INTO teacher (name, idNumber, gender, birthDate, phone, schoolId, countyId, backboneLevel, appraisalsQualified, onProbation, specialPost, createdAt, updatedAt)
       SELECT ${cat(`'教师'`, 's.n')}, ${cat(`'B'`, pad('s.n', 17))}, 'F', '1985-06-01', ${cat(`'1'`, pad('s.n', 10))}, b.schoolId, b.countyId, 'NONE', 1, 0, 0, ?, ?
         FROM bench_seq s JOIN bench_school b ON b.k = s.n % ? WHERE s.n < ? ORDER BY s.n`,
      [NOW, NOW, k, TEACHERS],
    ),
  );
  const [range] = await q('SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM teacher');
  const t0 = Number(range.lo);
  if (Number(range.hi) - t0 + 1 !== Number(range.n)) throw new Error('teacher ids are not consecutive');

  const programs = Math.max(8, Math.round(TEACHERS / 1250));
  for (let i = 0; i < programs; i += 200) {
    const n = Math.min(200, programs - i);
    const rows = Array.from({ length: n }, (_, j) => i + j);
    await q(
      `INSERT INTO program (kind, year, title, ownerOrganisationId, seats, creditHours, status, certificatePrefix, createdAt, updatedAt) VALUES ${rows.map(() => `('OTHER', ?, ?, ?, 1000, ?, 'FINISHED', ?, ?, ?)`).join(', ')}`,
      rows.flatMap((p) => [
        2019 + (p % 8),
        `压测项目${p}`,
        Number(city.id),
        [24, 36, 48, 60][p % 4],
        `BP${p}`,
        NOW,
        NOW,
      ]),
    );
  }
  const [p0] = await q('SELECT MIN(id) AS lo FROM program');
  await q(
    `INSERT INTO cohort (programId, name, capacity, assignedCount, startDate, endDate, venue, createdAt, updatedAt)
     SELECT p.id, '一班', 1000, 0, ${cat('p.year', `'-07-15'`)}, ${cat('p.year', `'-07-20'`)}, '临沂', ?, ? FROM program p ORDER BY p.id`,
    [NOW, NOW],
  );
  const [c0] = await q('SELECT MIN(id) AS lo FROM cohort');
  const enrolments = Math.round(TEACHERS * 0.225);
  const [tEnrol] = await time(() =>
    q(
      `INSERT INTO enrolment (programId, teacherId, countyId, status, cohortId, attendedHours, attendanceRate, creditHours, createdAt, updatedAt)
       SELECT ? + s.n % ?, t.id, t.countyId, CASE WHEN s.n % 4 = 3 THEN 'NOT_COMPLETED' ELSE 'COMPLETED' END, ? + s.n % ?, 30, 1,
              CASE WHEN s.n % 4 = 3 THEN 0 ELSE CASE (s.n % ?) % 4 WHEN 0 THEN 24 WHEN 1 THEN 36 WHEN 2 THEN 48 ELSE 60 END END, ?, ?
         FROM bench_seq s JOIN teacher t ON t.id = ? + (s.n * 7919) % ? WHERE s.n < ?`,
      [Number(p0.lo), programs, Number(c0.lo), programs, programs, NOW, NOW, t0, TEACHERS, enrolments],
    ),
  );
  const externals = Math.round(TEACHERS * 0.3);
  const [tExternal] = await time(() =>
    q(
      `INSERT INTO external_credit (teacherId, programName, organiser, hours, creditDate, dedupeKey, createdAt, updatedAt)
       SELECT ? + (s.n * 104729) % ?, '校外培训', '山东省教育厅', CASE s.n % 6 WHEN 0 THEN 6 WHEN 1 THEN 8 WHEN 2 THEN 12 WHEN 3 THEN 24 WHEN 4 THEN 30 ELSE 48 END,
              ${cat(`2019 + s.n % 8`, `'-03-01'`)}, ${cat(`'k'`, 's.n')}, ?, ?
         FROM bench_seq s WHERE s.n < ?`,
      [t0, TEACHERS, NOW, NOW, externals],
    ),
  );
  for (const t of ['bench_seq', 'bench_digit', 'bench_school']) await q(`DROP TABLE ${t}`);
  const [tRebuild, rows] = await time(() => rebuildCreditTable(new TransactionRunner(ds), cycleStartYear));
  if (d === 'mysql')
    await q(
      'ANALYZE TABLE teacher, enrolment, cohort, external_credit, credit_year, credit_cycle, teacher_count, organisation',
    );
  else await q('ANALYZE');
  console.log(
    `built: ${TEACHERS.toLocaleString('en-US')} teachers in ${(tTeachers / 1000).toFixed(1)} s, ${enrolments.toLocaleString('en-US')} enrolments in ${(tEnrol / 1000).toFixed(1)} s, ${externals.toLocaleString('en-US')} external credits in ${(tExternal / 1000).toFixed(1)} s; credits:rebuild wrote ${rows.toLocaleString('en-US')} credit_year rows in ${(tRebuild / 1000).toFixed(1)} s`,
  );
  const sizes = await q('SELECT countyId, COUNT(*) AS n FROM teacher GROUP BY countyId ORDER BY n');
  const target = TEACHERS * 0.04;
  const county = sizes.reduce((best: any, r: any) =>
    Math.abs(Number(r.n) - target) < Math.abs(Number(best.n) - target) ? r : best,
  );
  return { county: Number(county.countyId), largest: Number(sizes[sizes.length - 1].countyId) };
}

/** The statements the service ran before credit_year (removed from compliance.service.ts), for the baseline. */
function oldStatements(period: { from: string; to: string; required: number }, countyId?: number) {
  const credits =
    "SELECT e.teacherId AS teacherId, e.creditHours AS h FROM enrolment e WHERE e.status = 'COMPLETED' AND e.cohortId IN (SELECT c.id FROM cohort c WHERE c.endDate BETWEEN ? AND ?)" +
    ' UNION ALL SELECT x.teacherId AS teacherId, x.hours AS h FROM external_credit x WHERE x.creditDate BETWEEN ? AND ?';
  const met = `SELECT u.teacherId FROM (${credits}) u GROUP BY u.teacherId HAVING ROUND(SUM(u.h), 1) >= ?`;
  const mp = [period.from, period.to, period.from, period.to, period.required];
  const where = countyId === undefined ? '1 = 1' : 't.countyId = ?';
  const wp = countyId === undefined ? [] : [countyId];
  const cr = 'ROUND(COALESCE(ie.h, 0) + COALESCE(xe.h, 0), 1)';
  const column = countyId === undefined ? 't.countyId' : 't.schoolId';
  return {
    page: {
      sql: `SELECT t.id AS id FROM teacher t WHERE ${where} AND t.id NOT IN (${met}) ORDER BY t.id ASC LIMIT 20`,
      params: [...wp, ...mp],
    },
    all: { sql: `SELECT COUNT(*) AS n FROM teacher t WHERE ${where}`, params: wp },
    met: { sql: `SELECT COUNT(*) AS n FROM teacher t WHERE ${where} AND t.id IN (${met})`, params: [...wp, ...mp] },
    summary: {
      sql: `SELECT ${column} AS orgId, COUNT(*) AS teachers, SUM(CASE WHEN ${cr} < ? THEN 1 ELSE 0 END) AS short, SUM(CASE WHEN ${cr} < ? THEN ? - ${cr} ELSE 0 END) AS missing
        FROM teacher t
        LEFT JOIN (SELECT e.teacherId AS teacherId, SUM(e.creditHours) AS h FROM enrolment e WHERE e.status = 'COMPLETED' AND e.cohortId IN (SELECT c.id FROM cohort c WHERE c.endDate BETWEEN ? AND ?) GROUP BY e.teacherId) ie ON ie.teacherId = t.id
        LEFT JOIN (SELECT x.teacherId AS teacherId, SUM(x.hours) AS h FROM external_credit x WHERE x.creditDate BETWEEN ? AND ? GROUP BY x.teacherId) xe ON xe.teacherId = t.id
        WHERE ${where} GROUP BY ${column} ORDER BY ${column}`,
      params: [
        period.required,
        period.required,
        period.required,
        period.from,
        period.to,
        period.from,
        period.to,
        ...wp,
      ],
    },
  };
}

interface Line {
  what: string;
  p50: number;
  p99: number;
  /** Median CPU ms of this process (the app and the bench client) per request: what the machine's load does not inflate. */
  cpu?: number;
  old50?: number;
  same?: boolean;
}

async function measure(app: BenchApp, token: string, scopes: { name: string; countyId?: number }[]): Promise<Line[]> {
  const ds = app.dataSource;
  const lines: Line[] = [];
  const periods = [
    { name: `year ${YEAR}`, query: `year=${YEAR}`, from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, required: 48 },
    {
      name: `cycle ${CYCLE}–${CYCLE + 4}`,
      query: `cycle=${CYCLE}`,
      from: `${CYCLE}-01-01`,
      to: `${CYCLE + 4}-12-31`,
      required: 360,
    },
  ];
  const get = async (path: string) => {
    const r = await app.request('GET', path, { token });
    if (r.status !== 200) throw new Error(`${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  };
  let cpu: number[] = [];
  const samples = async (n: number, f: () => Promise<unknown>) => {
    await f(); // warm
    const out: number[] = [];
    cpu = [];
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      out.push((await time(f))[0]);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    return out;
  };
  for (const scope of scopes) {
    for (const p of periods) {
      const filter = scope.countyId === undefined ? '' : `&countyId=${scope.countyId}`;
      const old = oldStatements(p, scope.countyId);
      const listPath = `/api/v1/credit-compliance?${p.query}${filter}&pageSize=20`;
      const list = await get(listPath);
      const oldList = async () => {
        const [page, all, met] = await Promise.all([
          ds.query(old.page.sql, old.page.params),
          ds.query(old.all.sql, old.all.params),
          ds.query(old.met.sql, old.met.params),
        ]);
        return { ids: page.map((r: any) => Number(r.id)), total: Number(all[0].n) - Number(met[0].n) };
      };
      const expected = await oldList();
      const listTimes = await samples(SAMPLES, () => get(listPath));
      const listCpu = pct(cpu, 50);
      const oldListTimes = await samples(BASELINE_SAMPLES, oldList);
      lines.push({
        what: `list    ${scope.name}, ${p.name}`,
        p50: pct(listTimes, 50),
        p99: pct(listTimes, 99),
        cpu: listCpu,
        old50: pct(oldListTimes, 50),
        same:
          list.total === expected.total &&
          JSON.stringify(list.items.map((i: any) => i.teacherId)) === JSON.stringify(expected.ids),
      });

      const sumPath = `/api/v1/credit-compliance/summary?${p.query}${filter}`;
      const summary = await get(sumPath);
      const oldSummary = () => ds.query(old.summary.sql, old.summary.params);
      const want = (await oldSummary()).map((r: any) => [
        Number(r.orgId),
        Number(r.teachers),
        Number(r.short),
        Math.round(Number(r.missing) * 10) / 10,
      ]);
      const sumTimes = await samples(SAMPLES, () => get(sumPath));
      const sumCpu = pct(cpu, 50);
      const oldSumTimes = await samples(BASELINE_SAMPLES, oldSummary);
      lines.push({
        what: `summary ${scope.name}, ${p.name}`,
        p50: pct(sumTimes, 50),
        p99: pct(sumTimes, 99),
        cpu: sumCpu,
        old50: pct(oldSumTimes, 50),
        same:
          JSON.stringify(summary.rows.map((r: any) => [r.organisationId, r.teachers, r.short, r.shortfallHours])) ===
          JSON.stringify(want),
      });
    }
  }
  return lines;
}

async function exportTimes(app: BenchApp, token: string, countyId: number): Promise<Line> {
  const path = `/api/v1/credit-compliance/export?year=${YEAR}&countyId=${countyId}`;
  const once = async () => {
    const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`export → ${res.status}`);
    return (await res.arrayBuffer()).byteLength;
  };
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const [ms, b] = await time(once);
    const c = process.cpuUsage(c0);
    times.push(ms);
    cpu.push((c.user + c.system) / 1000);
    bytes = b;
  }
  return {
    what: `export  county ${countyId}, year ${YEAR} (${(bytes / 1e6).toFixed(1)} MB)`,
    p50: pct(times, 50),
    p99: Math.max(...times),
    cpu: pct(cpu, 50),
  };
}

async function explain(ds: DataSource, d: Dialect, countyId: number): Promise<void> {
  const plans: [string, string, unknown[]][] = [
    [
      'met set, county, year',
      'SELECT cy.teacherId FROM credit_year cy WHERE cy.year = ? AND cy.countyId = ? AND cy.hours >= 48',
      [YEAR, countyId],
    ],
    [
      'met set, city, cycle',
      'SELECT cy.teacherId FROM credit_cycle cy WHERE cy.cycle = ? AND cy.hours >= 360',
      [CYCLE],
    ],
    [
      'list page, county, year',
      'SELECT t.id FROM teacher t WHERE t.countyId = ? AND t.id NOT IN (SELECT cy.teacherId FROM credit_year cy WHERE cy.year = ? AND cy.countyId = ? AND cy.hours >= 48) ORDER BY t.id LIMIT 20',
      [countyId, YEAR, countyId],
    ],
    [
      'summary per county, city, cycle',
      'SELECT cy.countyId, SUM(CASE WHEN cy.hours >= 360 THEN 1 ELSE 0 END), SUM(CASE WHEN cy.hours < 360 THEN cy.hours ELSE 0 END) FROM credit_cycle cy WHERE cy.cycle = ? GROUP BY cy.countyId',
      [CYCLE],
    ],
    [
      'teachers per county, city',
      'SELECT tc.countyId, SUM(tc.teachers) FROM teacher_count tc WHERE 1 = 1 GROUP BY tc.countyId HAVING SUM(tc.teachers) > 0',
      [],
    ],
    [
      "export: a school's credits",
      "SELECT cy.teacherId, cy.hours FROM credit_year cy WHERE cy.year = ? AND cy.countyId = ? AND cy.schoolId = (SELECT MIN(id) FROM organisation WHERE countyId = ? AND type = 'SCHOOL')",
      [YEAR, countyId, countyId],
    ],
    [
      "export: a school's teachers",
      "SELECT t.id, t.name FROM teacher t WHERE t.schoolId = (SELECT MIN(id) FROM organisation WHERE countyId = ? AND type = 'SCHOOL') AND t.id > 0 ORDER BY t.id LIMIT 5000",
      [countyId],
    ],
  ];
  for (const [name, text, params] of plans) {
    const rows = await ds.query(`${d === 'mysql' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${text}`, params);
    console.log(`\nEXPLAIN ${name}:`);
    for (const r of rows)
      console.log(
        d === 'mysql'
          ? `  ${r.select_type} ${r.table} type=${r.type} key=${r.key} rows=${r.rows} ${r.Extra ?? ''}`
          : `  ${r.detail}`,
      );
  }
}

async function main(): Promise<void> {
  const database = await freshDatabase(DB);
  const app = await startApp(database.url);
  try {
    const started = performance.now();
    const { county, largest } = await build(app.dataSource, DB, app.config.creditCycleStartYear);
    console.log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const token = await app.login('admin', app.adminPassword);
    const [sizes] = await Promise.all([
      app.dataSource.query('SELECT countyId, COUNT(*) AS n FROM teacher WHERE countyId IN (?, ?) GROUP BY countyId', [
        county,
        largest,
      ]),
    ]);
    const size = (id: number) =>
      Number(sizes.find((r: any) => Number(r.countyId) === id)?.n ?? 0).toLocaleString('en-US');
    if (EXPLAIN) await explain(app.dataSource, DB, county);
    const lines = await measure(app, token, [
      { name: `county ${county} (${size(county)})`, countyId: county },
      { name: `largest ${largest} (${size(largest)})`, countyId: largest },
      { name: 'city' },
    ]);
    lines.push(await exportTimes(app, token, county));
    console.log(
      `\ncompliance on ${DB}, ${TEACHERS.toLocaleString('en-US')} teachers, ms; app = HTTP through the credit tables (${SAMPLES} sequential requests), cpu = this process's CPU per request (app + client, not the database), old = the replaced statements alone through the driver (${BASELINE_SAMPLES} runs, no HTTP); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    );
    const width = Math.max(...lines.map((l) => l.what.length));
    console.log(`${'route'.padEnd(width)}  app p50   app p99   cpu p50   old p50   old/app  same answer`);
    for (const l of lines)
      console.log(
        `${l.what.padEnd(width)}  ${f1(l.p50).padStart(7)}   ${f1(l.p99).padStart(7)}   ${l.cpu === undefined ? '      –' : f1(l.cpu).padStart(7)}   ${l.old50 === undefined ? '      –' : f1(l.old50).padStart(7)}   ${l.old50 === undefined ? '     –' : `${(l.old50 / l.p50).toFixed(1)}×`.padStart(6)}  ${l.same === undefined ? '–' : l.same ? 'yes' : 'NO'}`,
      );
    console.log(JSON.stringify({ bench: 'compliance', db: DB, teachers: TEACHERS, lines }));
    if (lines.some((l) => l.same === false)) process.exitCode = 1;
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
