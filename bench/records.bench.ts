/** GET /api/v1/teachers/:id/file (a teacher with 50 programs) and GET /api/v1/credit-compliance (a 100,000-teacher bureau) through the full app vs the same SQL through the bare driver */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { Certificate } from '@shipei/certificates';
import { Enrolment } from '@shipei/enrolment';
import { Organisation, Teacher } from '@shipei/people';
import { Cohort, Program } from '@shipei/programs';
import { ExternalCredit, FILE_SQL } from '@shipei/records';
import { Placement, Scheme } from '@shipei/talent-support';
import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import {
  BenchApp,
  BenchResult,
  freshDatabase,
  LoadResult,
  LoadTarget,
  median,
  printReport,
  RawDb,
  RawHandler,
  RawRequest,
  resolveOptions,
  runLoad,
  startApp,
  startRawServer,
} from './lib';

const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 100_000);
const SCHOOLS = 2_000;
const YEARS = Array.from({ length: 10 }, (_, i) => 2016 + i);
const PROGRAMS_PER_YEAR = 6;
const TRAINEES_PER_PROGRAM = 2_000;
const COHORT_SIZE = 50;
const FILE_PROGRAMS = 50;
const COMPLIANCE_YEAR = 2019;
const CHUNK = 500;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 身份证号 per serial (1,000 serials per birth day from 1970). */
function idNumber(serial: number): string {
  const day = new Date(Date.UTC(1970, 0, 1) + Math.floor(serial / 1000) * 86_400_000);
  const body = `371302${day.toISOString().slice(0, 10).replace(/-/g, '')}${String(serial % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

async function insertAll<T extends ObjectLiteral>(
  em: EntityManager,
  entity: new () => T,
  rows: Partial<T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + CHUNK) as never)
      .updateEntity(false)
      .execute();
  }
}

const ids = async (ds: EntityManager | DataSource, sql: string): Promise<number[]> =>
  (await ds.query(sql)).map((r: { id: number }) => Number(r.id));

interface State {
  cityToken: string;
  countyToken: string;
  fileTeacherId: number;
  fileCountyId: number;
}

/**
 * The bureau: 16 counties, 2,000 schools, 100,000 teachers; 60 city programs over 2016–2025 with
 * 2,000 trainees each in cohorts of 50 (120,000 enrolments, 90% completed); one external credit per
 * teacher. One teacher (the last) took 50 of the programs, holds their certificates, two placements
 * and five external credits. Written straight into the tables (the API would take hours).
 */
async function seed(app: BenchApp): Promise<State> {
  const ds = app.dataSource;
  const now = new Date();
  const started = Date.now();
  const counties = await ids(ds, `SELECT id FROM organisation WHERE type = 'COUNTY' ORDER BY id`);
  const [city] = await ids(ds, `SELECT id FROM organisation WHERE type = 'CITY'`);

  await ds.transaction(async (em) => {
    await insertAll(
      em,
      Organisation,
      Array.from({ length: SCHOOLS }, (_, i) => ({
        type: 'SCHOOL' as const,
        code: null,
        name: `压测学校${i}`,
        parentId: counties[i % counties.length],
        countyId: counties[i % counties.length],
        stages: '小学',
        povertyVillage: i % 3 === 0,
        receivingSchool: i % 50 === 0,
        createdAt: now,
      })),
    );
  });
  const schools = (await ds.query(`SELECT id, countyId FROM organisation WHERE type = 'SCHOOL' ORDER BY id`)).map(
    (r: any) => ({ id: Number(r.id), countyId: Number(r.countyId) }),
  );

  await ds.transaction(async (em) => {
    const rows: Partial<Teacher>[] = [];
    for (let i = 0; i < TEACHERS; i++) {
      const s = schools[i % schools.length];
      const id = idNumber(i);
      rows.push({
        name: `压测教师${i}`,
        idNumber: id,
        gender: Number(id[16]) % 2 ? 'M' : 'F',
        birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
        phone: `13${String(i).padStart(9, '0')}`,
        schoolId: s.id,
        countyId: s.countyId,
        backboneLevel: 'NONE',
        appraisalsQualified: true,
        onProbation: false,
        specialPost: false,
        createdAt: now,
        updatedAt: now,
      });
    }
    await insertAll(em, Teacher, rows);
  });
  const teachers = (await ds.query(`SELECT id, countyId FROM teacher ORDER BY id`)).map((r: any) => ({
    id: Number(r.id),
    countyId: Number(r.countyId),
  }));
  const fileTeacher = teachers[teachers.length - 1];
  const others = teachers.length - 1;

  // Programs and cohorts.
  const plan: { year: number; j: number; hours: number }[] = YEARS.flatMap((year) =>
    Array.from({ length: PROGRAMS_PER_YEAR }, (_, j) => ({ year, j, hours: [24, 36, 48][j % 3] })),
  );
  await ds.transaction(async (em) => {
    await insertAll(
      em,
      Program,
      plan.map((p, k) => ({
        kind: 'BACKBONE_SUMMER' as const,
        year: p.year,
        title: `${p.year}年压测培训项目${p.j + 1}`,
        ownerOrganisationId: city,
        ownerCountyId: null,
        seats: TRAINEES_PER_PROGRAM + 10,
        approvedCount: TRAINEES_PER_PROGRAM + (k < FILE_PROGRAMS ? 1 : 0),
        creditHours: p.hours,
        attendanceThreshold: 0.8,
        lateGraceMinutes: 15,
        status: 'FINISHED' as const,
        requirePovertyVillage: true,
        stages: '',
        subjects: '',
        certificatePrefix: `YC${k}`,
        certificateTemplate: null,
        certificateSeq: k < FILE_PROGRAMS ? 1 : 0,
        startDate: `${p.year}-07-01`,
        endDate: `${p.year}-08-31`,
        createdAt: now,
        updatedAt: now,
      })),
    );
  });
  const programs = await ids(ds, `SELECT id FROM program ORDER BY id`);
  const perProgram = TRAINEES_PER_PROGRAM / COHORT_SIZE;
  await ds.transaction(async (em) => {
    await insertAll(
      em,
      Cohort,
      programs.flatMap((programId, k) =>
        Array.from({ length: perProgram }, (_, c) => {
          const start = new Date(Date.UTC(plan[k].year, 6, 1 + ((plan[k].j * 7 + c) % 50)));
          const end = new Date(start.getTime() + 2 * 86_400_000);
          return {
            programId,
            name: `${c + 1}班`,
            capacity: COHORT_SIZE + 1,
            assignedCount: COHORT_SIZE + (c === 0 && k < FILE_PROGRAMS ? 1 : 0),
            startDate: start.toISOString().slice(0, 10),
            endDate: end.toISOString().slice(0, 10),
            venue: '临沂大学',
            createdAt: now,
            updatedAt: now,
          };
        }),
      ),
    );
  });
  const cohorts = (await ds.query(`SELECT id, programId, endDate FROM cohort ORDER BY id`)).map((r: any) => ({
    id: Number(r.id),
    programId: Number(r.programId),
  }));
  const cohortsOf = new Map<number, number[]>();
  for (const c of cohorts) cohortsOf.set(c.programId, [...(cohortsOf.get(c.programId) ?? []), c.id]);

  // Enrolments: program k takes 2,000 consecutive teachers from a moving start; 10% do not complete.
  await ds.transaction(async (em) => {
    for (let k = 0; k < programs.length; k++) {
      const rows: Partial<Enrolment>[] = [];
      const start = (k * 6_007) % others;
      for (let n = 0; n < TRAINEES_PER_PROGRAM; n++) {
        const t = teachers[(start + n) % others];
        const done = (start + n) % 10 !== 0;
        rows.push({
          programId: programs[k],
          teacherId: t.id,
          countyId: t.countyId,
          status: done ? 'COMPLETED' : 'NOT_COMPLETED',
          cohortId: cohortsOf.get(programs[k])![Math.floor(n / COHORT_SIZE)],
          attendedHours: done ? 30 : 10,
          attendanceRate: done ? 1 : 0.3333,
          creditHours: done ? plan[k].hours : 0,
          createdAt: now,
          updatedAt: now,
          completedAt: now,
        });
      }
      if (k < FILE_PROGRAMS) {
        rows.push({
          programId: programs[k],
          teacherId: fileTeacher.id,
          countyId: fileTeacher.countyId,
          status: k % 7 === 3 ? 'NOT_COMPLETED' : 'COMPLETED',
          cohortId: cohortsOf.get(programs[k])![0],
          attendedHours: 30,
          attendanceRate: 0.9667,
          creditHours: k % 7 === 3 ? 0 : plan[k].hours,
          createdAt: now,
          updatedAt: now,
          completedAt: now,
        });
      }
      await insertAll(em, Enrolment, rows);
    }
  });

  // The file teacher's certificates, placements and external credits; one external credit for everyone else.
  const fileEnrolments = (await ds.query(
    `SELECT e.id, e.programId, e.cohortId, e.creditHours, c.startDate, c.endDate FROM enrolment e JOIN cohort c ON c.id = e.cohortId WHERE e.teacherId = ${fileTeacher.id} AND e.status = 'COMPLETED' ORDER BY e.id`,
  )) as any[];
  const receiving = schools.find((s: { id: number }, i: number) => i % 50 === 0)!;
  await ds.transaction(async (em) => {
    await insertAll(
      em,
      Certificate,
      fileEnrolments.map((e) => {
        const k = programs.indexOf(Number(e.programId));
        const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
        return {
          number: `YC${k}${plan[k].year}-0001`,
          sequence: 1,
          verificationCode: createHash('sha256').update(`cert${e.id}`).digest('base64url').slice(0, 22),
          kind: 'TRAINING' as const,
          status: 'VALID' as const,
          sourceType: 'ENROLMENT' as const,
          sourceId: Number(e.id),
          activeKey: `ENROLMENT:${e.id}`,
          enrolmentId: Number(e.id),
          programId: Number(e.programId),
          cohortId: Number(e.cohortId),
          teacherId: fileTeacher.id,
          countyId: fileTeacher.countyId,
          template: 'default',
          holderName: `压测教师${TEACHERS - 1}`,
          schoolName: '压测学校',
          programTitle: `${plan[k].year}年压测培训项目${plan[k].j + 1}`,
          startDate: day(e.startDate),
          endDate: day(e.endDate),
          creditHours: Number(e.creditHours),
          issuer: '临沂市教育局',
          issueDate: day(e.endDate),
          extra: null,
          issuedAt: now,
          issuedBy: null,
          revokedAt: null,
          revokedBy: null,
          revokeReason: null,
        };
      }),
    );
    await insertAll(
      em,
      Scheme,
      [2019, 2022].map((year) => ({
        kind: 'THREE_DISTRICTS' as const,
        year,
        title: `${year}年三区人才支持计划`,
        places: 10,
        termStart: `${year}-09-01`,
        termEnd: `${year + 1}-07-15`,
        stipendPerYearFen: 2_000_000,
        ruleMinYears: 5,
        ruleMinTitle: '一级教师',
        ruleAppraisals: true,
        ruleNoProbation: true,
        ruleNoSpecialPost: true,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const schemes = await ids(em, `SELECT id FROM scheme ORDER BY id`);
    await insertAll(
      em,
      Placement,
      schemes.map((schemeId, i) => ({
        schemeId,
        teacherId: fileTeacher.id,
        countyId: fileTeacher.countyId,
        homeSchoolId: schools[(TEACHERS - 1) % schools.length].id,
        receivingSchoolId: receiving.id,
        status: i ? ('IN_SERVICE' as const) : ('COMPLETED' as const),
        activeKey: i ? fileTeacher.id : null,
        nominatedAt: now,
        decidedAt: now,
        arrivalDate: `${2019 + i * 3}-09-01`,
        endDate: i ? null : '2020-07-15',
        assessment: i ? null : ('优秀' as const),
        updatedAt: now,
      })),
    );
    const credits: Partial<ExternalCredit>[] = teachers.slice(0, others).map((t: { id: number }, i: number) => ({
      teacherId: t.id,
      programName: '校外网络研修',
      organiser: '山东省教师教育网',
      hours: 12,
      creditDate: `${YEARS[i % YEARS.length]}-05-01`,
      certificateNumber: null,
      dedupeKey: createHash('sha256').update(`x${i}`).digest('hex'),
      importedById: null,
      createdAt: now,
      updatedAt: now,
    }));
    for (let y = 0; y < 5; y++)
      credits.push({
        teacherId: fileTeacher.id,
        programName: `校外专题培训${y + 1}`,
        organiser: '临沂市教师发展中心',
        hours: 8.5,
        creditDate: `${2019 + y}-10-20`,
        certificateNumber: `EXT${y}`,
        dedupeKey: createHash('sha256').update(`file${y}`).digest('hex'),
        importedById: null,
        createdAt: now,
        updatedAt: now,
      });
    await insertAll(em, ExternalCredit, credits);
  });
  if (ds.options.type === 'better-sqlite3') await ds.query('ANALYZE');
  else
    for (const table of ['organisation', 'teacher', 'program', 'cohort', 'enrolment', 'certificate', 'external_credit'])
      await ds.query(`ANALYZE TABLE ${table}`);
  const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM enrolment');
  console.log(
    `seeded ${TEACHERS.toLocaleString('en-US')} teachers, ${Number(n).toLocaleString('en-US')} enrolments, ${cohorts.length} cohorts in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const cityToken = await app.login('admin', app.adminPassword);
  const username = 'bench_records_county';
  const created = await app.request('POST', '/api/v1/users', {
    token: cityToken,
    body: { username, password: 'Init1234x', role: 'COUNTY_ADMIN', organisationId: fileTeacher.countyId },
  });
  if (created.status !== 201) throw new Error(`county admin: ${created.status} ${JSON.stringify(created.body)}`);
  const first = await app.login(username, 'Init1234x');
  const changed = await app.request('POST', '/api/v1/auth/password', {
    token: first,
    body: { currentPassword: 'Init1234x', newPassword: 'County1234' },
  });
  return {
    cityToken,
    countyToken: changed.body.accessToken,
    fileTeacherId: fileTeacher.id,
    fileCountyId: fileTeacher.countyId,
  };
}

/** The statements GET /api/v1/teachers/:id/file runs for a county admin, through the bare driver. */
function teacherFileFloor(s: State): RawHandler {
  return async (db: RawDb) => {
    const [teacher] = await db.query(
      'SELECT t.id AS id, t.name AS name, t.idNumber AS idNumber, t.gender AS gender, t.schoolId AS schoolId, t.countyId AS countyId, t.stage AS stage, t.subject AS subject, t.title AS title, ts.name AS schoolName, tc.name AS countyName ' +
        'FROM teacher t INNER JOIN organisation ts ON ts.id = t.schoolId INNER JOIN organisation tc ON tc.id = t.countyId WHERE (t.countyId = ?) AND t.id = ?',
      [s.fileCountyId, s.fileTeacherId],
    );
    const [trainings, certificates, placements, externalCredits] = await Promise.all([
      db.query(FILE_SQL.enrolments, [teacher.id]),
      db.query(FILE_SQL.certificates, [teacher.id]),
      db.query(FILE_SQL.placements, [teacher.id]),
      db.query(FILE_SQL.externalCredits, [teacher.id]),
    ]);
    return { body: { teacher, trainings, certificates, placements, externalCredits } };
  };
}

const PERIOD_CREDITS =
  "SELECT e.teacherId AS teacherId, e.creditHours AS h FROM enrolment e WHERE e.status = 'COMPLETED' AND e.cohortId IN (SELECT c.id FROM cohort c WHERE c.endDate BETWEEN ? AND ?)" +
  ' UNION ALL SELECT x.teacherId AS teacherId, x.hours AS h FROM external_credit x WHERE x.creditDate BETWEEN ? AND ?';
const MET = `SELECT u.teacherId FROM (${PERIOD_CREDITS}) u GROUP BY u.teacherId HAVING ROUND(SUM(u.h), 1) >= 48`;

/** The statements GET /api/v1/credit-compliance?year=2019 runs for the city, through the bare driver. */
const complianceFloor: RawHandler = async (db: RawDb) => {
  const from = `${COMPLIANCE_YEAR}-01-01`;
  const to = `${COMPLIANCE_YEAR}-12-31`;
  const [rows, [all], [met]] = await Promise.all([
    db.query(
      `SELECT t.id AS id, t.name AS name, t.idNumber AS idNumber, t.countyId AS countyId, t.schoolId AS schoolId FROM teacher t WHERE t.id NOT IN (${MET}) ORDER BY t.id ASC LIMIT 20`,
      [from, to, from, to],
    ),
    db.query('SELECT COUNT(*) AS n FROM teacher t'),
    db.query(`SELECT COUNT(*) AS n FROM teacher t WHERE t.id IN (${MET})`, [from, to, from, to]),
  ]);
  const ids = rows.map((r: any) => r.id);
  const list = ids.map(() => '?').join(', ');
  const orgIds = [...new Set(rows.flatMap((r: any) => [r.countyId, r.schoolId]))];
  const [credits, names] = await Promise.all([
    db.query(
      `SELECT u.teacherId AS teacherId, SUM(u.h) AS h FROM (SELECT e.teacherId AS teacherId, e.creditHours AS h FROM enrolment e WHERE e.teacherId IN (${list}) AND e.status = 'COMPLETED' AND e.cohortId IN (SELECT c.id FROM cohort c WHERE c.endDate BETWEEN ? AND ?)` +
        ` UNION ALL SELECT x.teacherId AS teacherId, x.hours AS h FROM external_credit x WHERE x.teacherId IN (${list}) AND x.creditDate BETWEEN ? AND ?) u GROUP BY u.teacherId`,
      [...ids, from, to, ...ids, from, to],
    ),
    db.query(
      `SELECT o.id AS id, o.name AS name FROM organisation o WHERE o.id IN (${orgIds.map(() => '?').join(', ')})`,
      orgIds,
    ),
  ]);
  return { body: { items: rows, credits, names, total: Number(all.n) - Number(met.n), page: 1, pageSize: 20 } };
};

async function check(label: string, t: LoadTarget): Promise<string> {
  const res = await fetch(t.url, { method: t.method, headers: t.headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${label} ${t.url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

async function main(): Promise<void> {
  const opts = resolveOptions(process.argv.slice(2), 'records', { duration: 5, rounds: 3 });
  const database = await freshDatabase(opts.db);
  let app: BenchApp | undefined;
  const servers: { close(): Promise<void> }[] = [];
  try {
    app = await startApp(database.url);
    const state = await seed(app);
    if (process.env.BENCH_SEED_ONLY) return;
    const handlers: Record<string, RawHandler> = { '/file': teacherFileFloor(state), '/compliance': complianceFloor };
    const raw = await startRawServer(database.url, (db, req: RawRequest) => handlers[req.url](db, req));
    servers.push(raw);
    const [version] = await raw.db.query(
      raw.db.dialect === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SELECT VERSION() AS v',
    );
    const env = {
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`,
      server: `${raw.db.dialect === 'sqlite' ? 'SQLite' : 'MySQL/MariaDB'} ${version.v}`,
      commit: 'working tree',
    };

    const pairs = [
      {
        bench: 'records-teacher-file',
        title: `GET /api/v1/teachers/:id/file as the county (teacher with ${FILE_PROGRAMS} programs, certificates, 2 placements, 5 external credits) vs its 5 statements through the driver`,
        app: `/api/v1/teachers/${state.fileTeacherId}/file`,
        token: state.countyToken,
        raw: '/file',
      },
      {
        bench: 'records-compliance',
        title: `GET /api/v1/credit-compliance?year=${COMPLIANCE_YEAR} as the city (${TEACHERS.toLocaleString('en-US')} teachers, page 1 of the short list + total) vs its 5 statements through the driver`,
        app: `/api/v1/credit-compliance?year=${COMPLIANCE_YEAR}`,
        token: state.cityToken,
        raw: '/compliance',
      },
    ];
    // BENCH_ONLY=records-teacher-file (or records-compliance) runs one pair.
    for (const pair of pairs.filter((p) => !process.env.BENCH_ONLY || p.bench === process.env.BENCH_ONLY)) {
      const appTarget: LoadTarget = {
        url: app.url + pair.app,
        method: 'GET',
        headers: { authorization: `Bearer ${pair.token}` },
      };
      const rawTarget: LoadTarget = {
        url: raw.url + pair.raw,
        method: 'GET',
        headers: { authorization: `Bearer ${pair.token}` },
      };
      const body = JSON.parse(await check('app', appTarget));
      await check('raw', rawTarget);
      console.log(
        pair.raw === '/file'
          ? `  file: ${body.trainings.length} trainings, ${body.years.length} years, ${body.cycles.length} cycles`
          : `  compliance: ${body.total.toLocaleString('en-US')} teachers short in ${COMPLIANCE_YEAR}`,
      );
      console.log(
        `${pair.bench} · ${opts.db}: warm-up, then ${opts.rounds} paired rounds of ${opts.duration} s with ${opts.connections} connections…`,
      );
      const warm = Math.min(3, opts.duration);
      await runLoad(appTarget, { connections: opts.connections, duration: warm });
      await runLoad(rawTarget, { connections: opts.connections, duration: warm });
      const appRounds: LoadResult[] = [];
      const rawRounds: LoadResult[] = [];
      for (let i = 0; i < opts.rounds; i++) {
        for (const side of i % 2 === 0 ? (['app', 'raw'] as const) : (['raw', 'app'] as const)) {
          const r = await runLoad(side === 'app' ? appTarget : rawTarget, {
            connections: opts.connections,
            duration: opts.duration,
          });
          (side === 'app' ? appRounds : rawRounds).push(r);
          console.log(
            `  round ${i + 1} ${side}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`,
          );
        }
      }
      const side = (rounds: typeof appRounds) => ({
        rps: median(rounds.map((r) => r.rps)),
        p50: median(rounds.map((r) => r.p50)),
        p99: median(rounds.map((r) => r.p99)),
        non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
        errors: rounds.reduce((a, r) => a + r.errors + r.timeouts, 0),
        rounds,
      });
      const result: BenchResult = {
        bench: pair.bench,
        db: opts.db,
        title: pair.title,
        app: { method: 'GET', path: pair.app, ...side(appRounds) },
        raw: { method: 'GET', path: pair.raw, ...side(rawRounds) },
        ratio: {
          rps: median(appRounds.map((a, i) => a.rps / rawRounds[i].rps)),
          p50: median(appRounds.map((a, i) => a.p50 / rawRounds[i].p50)),
          p99: median(appRounds.map((a, i) => a.p99 / rawRounds[i].p99)),
        },
        connections: opts.connections,
        duration: opts.duration,
        rounds: opts.rounds,
        env,
        date: new Date().toISOString(),
      };
      printReport(result);
      const verdict = result.ratio.p99 <= 1.5 ? 'within' : 'OVER';
      console.log(`${pair.bench}: p99 app/raw ${result.ratio.p99.toFixed(2)}× — ${verdict} the 1.5× budget`);
      if (result.app.non2xx + result.app.errors + result.raw.non2xx + result.raw.errors) process.exitCode = 1;
    }
  } finally {
    for (const s of servers) await s.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    if (process.env.BENCH_KEEP_DB) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
