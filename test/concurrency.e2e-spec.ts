/**
 * Invariants under concurrency (spec §4, issue 4). On MySQL: two app processes on one
 * database, requests spread over both. On SQLite: the same bursts against one process.
 * Everything is enforced by the database (conditional updates, unique keys, row locks), so
 * the counts must be exact whatever the interleaving.
 */
import { Agent, request as httpRequest } from 'node:http';
import { ENTITIES, MIGRATIONS } from '@shipei/api/database/schema';
import { dataSourceOptions, loadAppConfig, openDataSource } from '@shipei/core';
import { Teacher } from '@shipei/people';
import { DataSource } from 'typeorm';
import { makeIdNumber, makePhone } from './support/fixtures';
import { spawnApp, SpawnedApp } from './support/spawn-app';
import { ADMIN_PASSWORD } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

interface Reply {
  status: number;
  body: any;
}

/** Keep-alive HTTP with a cap on sockets per app process (the pool queues the rest). */
const agent = new Agent({ keepAlive: true, maxSockets: 150 });

function call(app: SpawnedApp, method: string, path: string, token?: string, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: app.port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            body: text && (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text,
          });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function ok(r: Promise<Reply>, status = 200): Promise<any> {
  const res = await r;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const tally = (replies: Reply[]) =>
  replies.reduce<Record<string, number>>((acc, r) => {
    const key = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.code}`;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

describe('concurrency: quota, seats, capacity, one enrolment per teacher (issue 4)', () => {
  let database: TestDatabase;
  let apps: SpawnedApp[] = [];
  let ds: DataSource;
  let admin: string;
  let county: string;
  let countyId: number;
  let schoolId: number;
  let teacherIds: number[];
  /** Round-robin over the app processes. */
  const app = (i: number) => apps[i % apps.length];
  const TEACHERS = 1100;
  const QUOTA = 300;

  beforeAll(async () => {
    database = await createTestDatabase();
    const processes = database.dialect === 'mysql' ? 2 : 1;
    // The first process migrates; the others start on the migrated database.
    apps = [await spawnApp({ databaseUrl: database.url })];
    for (let i = 1; i < processes; i++) apps.push(await spawnApp({ databaseUrl: database.url }));
    ds = await openDataSource(
      dataSourceOptions({
        config: loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }),
        entities: ENTITIES,
        migrations: MIGRATIONS,
      }),
    );

    admin = (
      await ok(call(app(0), 'POST', '/api/v1/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD }))
    ).accessToken;
    [{ id: countyId }] = await ds.query(`SELECT id FROM organisation WHERE code = '371302'`);
    countyId = Number(countyId);
    await ok(
      call(app(0), 'POST', '/api/v1/users', admin, {
        username: 'lanshan',
        password: 'Init1234x',
        role: 'COUNTY_ADMIN',
        organisationId: countyId,
      }),
      201,
    );
    const first = (
      await ok(call(app(0), 'POST', '/api/v1/auth/login', undefined, { username: 'lanshan', password: 'Init1234x' }))
    ).accessToken;
    county = (
      await ok(
        call(app(0), 'POST', '/api/v1/auth/password', first, {
          currentPassword: 'Init1234x',
          newPassword: 'County1234',
        }),
      )
    ).accessToken;
    schoolId = (
      await ok(
        call(app(0), 'POST', '/api/v1/organisations', county, {
          type: 'SCHOOL',
          name: '兰山区贫困村小学',
          parentId: countyId,
          povertyVillage: true,
          receivingSchool: false,
        }),
        201,
      )
    ).id;

    // Thousands of teachers straight into the database (chunks < 500 rows for SQLite).
    const now = new Date();
    const rows = Array.from({ length: TEACHERS + 200 }, (_, i) => ({
      name: `并发教师${i}`,
      idNumber: makeIdNumber(50_000 + i),
      gender: 'M' as const,
      birthDate: '1980-01-01',
      phone: makePhone(50_000 + i),
      schoolId,
      countyId,
      subject: ['语文', '数学', '英语'][i % 3],
      backboneLevel: 'NONE' as const,
      appraisalsQualified: true,
      onProbation: false,
      specialPost: false,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += 400)
      await ds
        .createQueryBuilder()
        .insert()
        .into(Teacher)
        .values(rows.slice(i, i + 400))
        .execute();
    teacherIds = (await ds.query(`SELECT id FROM teacher WHERE countyId = ? ORDER BY id`, [countyId])).map(
      (r: { id: number }) => Number(r.id),
    );
    if (teacherIds.length !== TEACHERS + 200) throw new Error(`seeded ${teacherIds.length} teachers`);
  }, 180_000);

  afterAll(async () => {
    agent.destroy();
    await Promise.all(apps.map((a) => a.stop()));
    await ds?.destroy();
    await database?.drop();
  }, 60_000);

  const createProgram = async (seats: number, quota: number): Promise<number> => {
    const p = await ok(
      call(app(0), 'POST', '/api/v1/programs', admin, {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '并发测试项目',
        seats,
        creditHours: 48,
        nominationDeadline: new Date(Date.now() + 86_400_000).toISOString(),
        certificatePrefix: 'BF',
      }),
      201,
    );
    await ok(call(app(0), 'PUT', `/api/v1/programs/${p.id}/quotas`, admin, [{ countyId, seats: quota }]));
    await ok(call(app(0), 'POST', `/api/v1/programs/${p.id}/open`, admin));
    return p.id;
  };

  let program: number;

  it(`${TEACHERS} concurrent nominations into a county quota of ${QUOTA}: exactly ${QUOTA} NOMINATED, the rest WAITLISTED, none twice`, async () => {
    program = await createProgram(400, QUOTA);
    const started = Date.now();
    const replies = await Promise.all(
      teacherIds
        .slice(0, TEACHERS)
        .map((teacherId, i) => call(app(i), 'POST', `/api/v1/programs/${program}/enrolments`, county, { teacherId })),
    );
    const took = Date.now() - started;
    expect(tally(replies)).toEqual({ 201: TEACHERS });
    const statuses = replies.map((r) => r.body.status);
    expect(statuses.filter((s) => s === 'NOMINATED')).toHaveLength(QUOTA);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(TEACHERS - QUOTA);

    const rows = await ds.query(
      `SELECT status, COUNT(*) AS n, COUNT(DISTINCT teacherId) AS t FROM enrolment WHERE programId = ? GROUP BY status ORDER BY status`,
      [program],
    );
    expect(rows.map((r: any) => [r.status, Number(r.n), Number(r.t)])).toEqual([
      ['NOMINATED', QUOTA, QUOTA],
      ['WAITLISTED', TEACHERS - QUOTA, TEACHERS - QUOTA],
    ]);
    const [q] = await ds.query(`SELECT seats, nominatedCount FROM county_quota WHERE programId = ? AND countyId = ?`, [
      program,
      countyId,
    ]);
    expect(Number(q.nominatedCount)).toBe(QUOTA);
    process.stderr.write(`[${database.dialect}, ${apps.length} process(es)] ${TEACHERS} nominations in ${took} ms\n`);
  }, 60_000);

  it('concurrent re-nominations of one teacher: one wins, the others get 409', async () => {
    const teacherId = teacherIds[TEACHERS];
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(app(i), 'POST', `/api/v1/programs/${program}/enrolments`, county, { teacherId }),
      ),
    );
    expect(tally(replies)).toEqual({ 201: 1, '409 ALREADY_ENROLLED': 39 });
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM enrolment WHERE programId = ? AND teacherId = ?`, [
      program,
      teacherId,
    ]);
    expect(Number(n)).toBe(1);
  }, 60_000);

  it('concurrent approvals (each twice) never exceed the program seats', async () => {
    // Quotas keep nominations within the seats, so to make approvals race for seats the test
    // lowers the seats under the nominations behind the app's back: the guard must still hold.
    const SEATS = 250;
    await ds.query(`UPDATE program SET seats = ? WHERE id = ?`, [SEATS, program]);
    const nominated = (
      await ds.query(`SELECT id FROM enrolment WHERE programId = ? AND status = 'NOMINATED' ORDER BY id`, [program])
    ).map((r: any) => Number(r.id));
    expect(nominated).toHaveLength(QUOTA);
    const jobs = [...nominated, ...nominated].map((id, i) =>
      call(app(i + 1), 'POST', `/api/v1/enrolments/${id}/approve`, admin),
    );
    const replies = await Promise.all(jobs);
    const t = tally(replies);
    expect(t['200']).toBe(SEATS);
    expect((t['409 SEATS_FULL'] ?? 0) + (t['409 INVALID_TRANSITION'] ?? 0)).toBe(2 * QUOTA - SEATS);
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM enrolment WHERE programId = ? AND status = 'APPROVED'`, [
      program,
    ]);
    expect(Number(n)).toBe(SEATS);
    const [p] = await ds.query(`SELECT approvedCount FROM program WHERE id = ?`, [program]);
    expect(Number(p.approvedCount)).toBe(SEATS);
  }, 60_000);

  it('concurrent withdrawals hand each freed seat to the next alternate, first come first served', async () => {
    const approved: number[] = (
      await ds.query(`SELECT id FROM enrolment WHERE programId = ? AND status = 'APPROVED' ORDER BY id LIMIT 60`, [
        program,
      ])
    ).map((r: any) => Number(r.id));
    const firstAlternates: number[] = (
      await ds.query(`SELECT id FROM enrolment WHERE programId = ? AND status = 'WAITLISTED' ORDER BY id LIMIT 60`, [
        program,
      ])
    ).map((r: any) => Number(r.id));
    const replies = await Promise.all(
      approved.map((id, i) =>
        call(app(i), 'POST', `/api/v1/enrolments/${id}/withdraw`, county, { reason: '并发撤回' }),
      ),
    );
    expect(tally(replies)).toEqual({ 200: 60 });
    const promoted: number[] = (
      await ds.query(`SELECT id FROM enrolment WHERE programId = ? AND status = 'NOMINATED' ORDER BY id`, [program])
    ).map((r: any) => Number(r.id));
    // The 50 left NOMINATED by the seat race, plus exactly the first 60 alternates.
    expect(promoted.filter((id: number) => firstAlternates.includes(id))).toEqual(firstAlternates);
    const [q] = await ds.query(`SELECT nominatedCount FROM county_quota WHERE programId = ?`, [program]);
    const [{ held }] = await ds.query(
      `SELECT COUNT(*) AS held FROM enrolment WHERE programId = ? AND status IN ('NOMINATED','APPROVED','CONFIRMED')`,
      [program],
    );
    expect(Number(q.nominatedCount)).toBe(QUOTA);
    expect(Number(held)).toBe(QUOTA);
    const [p] = await ds.query(`SELECT approvedCount FROM program WHERE id = ?`, [program]);
    expect(Number(p.approvedCount)).toBe(250 - 60);
  }, 60_000);

  it('concurrent cohort assignments never exceed the capacity, nor put a teacher in two overlapping cohorts', async () => {
    const approved = (
      await ds.query(`SELECT id, teacherId FROM enrolment WHERE programId = ? AND status = 'APPROVED' ORDER BY id`, [
        program,
      ])
    ).map((r: any) => ({ id: Number(r.id), teacherId: Number(r.teacherId) }));
    expect(approved.length).toBe(190);
    const cohort = await ok(
      call(app(0), 'POST', `/api/v1/programs/${program}/cohorts`, admin, {
        name: '一班',
        capacity: 100,
        startDate: '2030-07-15',
        endDate: '2030-07-24',
      }),
      201,
    );
    const replies = await Promise.all(
      approved.map((e: { id: number }, i: number) =>
        call(app(i), 'POST', `/api/v1/cohorts/${cohort.id}/assignments`, admin, { enrolmentIds: [e.id] }),
      ),
    );
    expect(tally(replies)).toEqual({ 201: 100, '409 COHORT_FULL': 90 });
    const [c] = await ds.query(`SELECT assignedCount FROM cohort WHERE id = ?`, [cohort.id]);
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM enrolment WHERE cohortId = ?`, [cohort.id]);
    expect([Number(c.assignedCount), Number(n)]).toEqual([100, 100]);

    // 30 teachers still unplaced are approved in a second program too; each teacher's placement
    // in this program's second cohort and in the other program's cohort (overlapping dates) race
    // on different processes: exactly one of the two may win.
    const unplacedRows = await ds.query(
      `SELECT id, teacherId FROM enrolment WHERE programId = ? AND status = 'APPROVED' AND cohortId IS NULL ORDER BY id LIMIT 30`,
      [program],
    );
    const unplaced: number[] = unplacedRows.map((r: any) => Number(r.id));
    const teachers: number[] = unplacedRows.map((r: any) => Number(r.teacherId));
    const other = await createProgram(50, 50);
    const inOther: number[] = [];
    for (const teacherId of teachers)
      inOther.push(
        (await ok(call(app(0), 'POST', `/api/v1/programs/${other}/enrolments`, county, { teacherId }), 201)).id,
      );
    await Promise.all(inOther.map((id, i) => ok(call(app(i), 'POST', `/api/v1/enrolments/${id}/approve`, admin))));
    const second = await ok(
      call(app(0), 'POST', `/api/v1/programs/${other}/cohorts`, admin, {
        name: '重叠班',
        capacity: 50,
        startDate: '2030-07-20',
        endDate: '2030-07-30',
      }),
      201,
    );
    const third = await ok(
      call(app(0), 'POST', `/api/v1/programs/${program}/cohorts`, admin, {
        name: '二班',
        capacity: 100,
        startDate: '2030-07-18',
        endDate: '2030-07-28',
      }),
      201,
    );
    const race = await Promise.all(
      teachers.flatMap((_teacher, i) => [
        call(app(i), 'POST', `/api/v1/cohorts/${third.id}/assignments`, admin, { enrolmentIds: [unplaced[i]] }),
        call(app(i + 1), 'POST', `/api/v1/cohorts/${second.id}/assignments`, admin, { enrolmentIds: [inOther[i]] }),
      ]),
    );
    expect(tally(race)).toEqual({ 201: 30, '409 COHORT_OVERLAP': 30 });
    const doubles = await ds.query(
      `SELECT e.teacherId, COUNT(*) AS n FROM enrolment e WHERE e.cohortId IN (?, ?) GROUP BY e.teacherId HAVING COUNT(*) > 1`,
      [second.id, third.id],
    );
    expect(doubles).toEqual([]);
  }, 60_000);
});
