/**
 * Certificate numbers under concurrent issuing (issue 6): every certificate number of a program is
 * unique and the series has no gap, and an enrolment never holds two valid certificates — with many
 * requests at once in one process (both engines) and, on MySQL/MariaDB, from two further app
 * processes on the same database (test/support/spawn-certificates-app.ts).
 *
 * Programs, cohorts and COMPLETED enrolments are inserted directly: completion belongs to attendance.
 */
import { DataSource } from 'typeorm';
import { adminToken, countyIdByCode, createSchool, createTeacher } from './support/fixtures';
import { spawnApp, SpawnedApp } from './support/spawn-certificates-app';
import { startTestApp, TEST_JWT_SECRET, TestApp, ADMIN_PASSWORD } from './support/test-app';
import { mysqlServerUrl } from './support/test-database';

async function seedProgram(db: DataSource, ownerOrganisationId: number, prefix: string): Promise<number> {
  const now = new Date();
  const res = await db
    .createQueryBuilder()
    .insert()
    .into('program')
    .values({
      kind: 'BACKBONE_SUMMER',
      year: 2019,
      title: `${prefix} 并发颁证测试项目`,
      ownerOrganisationId,
      ownerCountyId: null,
      seats: 400,
      approvedCount: 0,
      creditHours: 48,
      attendanceThreshold: 0.8,
      lateGraceMinutes: 15,
      status: 'RUNNING',
      requirePovertyVillage: true,
      stages: '',
      subjects: '',
      certificatePrefix: prefix,
      certificateTemplate: null,
      certificateSeq: 0,
      startDate: '2019-07-01',
      endDate: '2019-08-15',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return Number(res.identifiers[0].id);
}

/** `cohorts` cohorts of `perCohort` COMPLETED enrolments each; returns cohort ids and enrolment ids. */
async function seedCohorts(db: DataSource, programId: number, teachers: number[], cohorts: number, perCohort: number) {
  const now = new Date();
  const cohortIds: number[] = [];
  const enrolmentIds: number[] = [];
  for (let c = 0; c < cohorts; c++) {
    const res = await db
      .createQueryBuilder()
      .insert()
      .into('cohort')
      .values({
        programId,
        name: `第${c + 1}期`,
        capacity: 50,
        assignedCount: 0,
        startDate: '2019-07-08',
        endDate: '2019-07-17',
        venue: '',
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const cohortId = Number(res.identifiers[0].id);
    cohortIds.push(cohortId);
    for (const teacherId of teachers.slice(c * perCohort, (c + 1) * perCohort)) {
      const [t] = await db.query(`SELECT countyId FROM teacher WHERE id = ?`, [teacherId]);
      const e = await db
        .createQueryBuilder()
        .insert()
        .into('enrolment')
        .values({
          programId,
          teacherId,
          countyId: Number(t.countyId),
          status: 'COMPLETED',
          cohortId,
          attendedHours: 48,
          attendanceRate: 1,
          creditHours: 48,
          createdAt: now,
          updatedAt: now,
          completedAt: now,
        })
        .execute();
      enrolmentIds.push(Number(e.identifiers[0].id));
    }
  }
  return { cohortIds, enrolmentIds };
}

/** What the database holds for a program: every number unique, the series 1..n, one valid per enrolment. */
async function assertGapless(
  db: DataSource,
  programId: number,
  prefix: string,
  expectedTotal: number,
  enrolmentIds: number[],
) {
  const rows: { number: string; sequence: number; status: string; enrolmentId: number }[] = await db.query(
    `SELECT number, sequence, status, enrolmentId FROM certificate WHERE programId = ? ORDER BY sequence`,
    [programId],
  );
  expect(rows).toHaveLength(expectedTotal);
  expect(rows.map((r) => Number(r.sequence))).toEqual(Array.from({ length: expectedTotal }, (_, i) => i + 1));
  expect(rows.map((r) => r.number)).toEqual(
    Array.from({ length: expectedTotal }, (_, i) => `${prefix}2019-${String(i + 1).padStart(4, '0')}`),
  );
  expect(new Set(rows.map((r) => r.number)).size).toBe(expectedTotal);
  const valid = rows
    .filter((r) => r.status === 'VALID')
    .map((r) => Number(r.enrolmentId))
    .sort((a, b) => a - b);
  expect(valid).toEqual([...enrolmentIds].sort((a, b) => a - b));
  const [{ seq }] = await db.query(`SELECT certificateSeq AS seq FROM program WHERE id = ?`, [programId]);
  expect(Number(seq)).toBe(expectedTotal);
}

const isMysql = mysqlServerUrl() !== null;

// Also when run together with unit specs (jest's per-project testTimeout then does not apply), and on a busy machine.
jest.setTimeout(120_000);

describe('certificate numbering under concurrent issuing', () => {
  let t: TestApp;
  let admin: string;
  let cityOrg: number;
  const teachers: number[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    const lanshan = await countyIdByCode(t.db, '371302');
    [{ id: cityOrg }] = await t.db.query(`SELECT id FROM organisation WHERE type = 'CITY'`);
    cityOrg = Number(cityOrg);
    const school = await createSchool(t.http, admin, lanshan, '并发测试小学');
    for (let i = 0; i < 40; i++) teachers.push(await createTeacher(t.http, admin, school, 63_000 + i));
  }, 120_000);

  afterAll(async () => t?.close());

  it('in one process: concurrent cohort and single issues leave no gap and no duplicate', async () => {
    const programId = await seedProgram(t.db, cityOrg, 'BFA');
    const { cohortIds, enrolmentIds } = await seedCohorts(t.db, programId, teachers, 3, 8);
    const calls = [
      ...cohortIds.flatMap((id) => [`/api/v1/cohorts/${id}/certificates`, `/api/v1/cohorts/${id}/certificates`]),
      ...enrolmentIds.map((id) => `/api/v1/enrolments/${id}/certificate`),
    ];
    const replies = await Promise.all(calls.map((path) => t.http.post(path).auth(admin, { type: 'bearer' })));
    expect(replies.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
    await assertGapless(t.db, programId, 'BFA', 24, enrolmentIds);
    // Every answer names the one valid certificate of its enrolment.
    const singles = replies.slice(cohortIds.length * 2).map((r) => r.body.number);
    expect(new Set(singles).size).toBe(24);
  });

  (isMysql ? describe : describe.skip)('from two app processes on one MySQL database', () => {
    let apps: SpawnedApp[] = [];

    beforeAll(async () => {
      const env = {
        DATABASE_URL: t.database.url,
        JWT_SECRET: TEST_JWT_SECRET,
        ADMIN_PASSWORD,
        PUBLIC_BASE_URL: t.config.publicBaseUrl,
      };
      apps = await Promise.all([spawnApp(env), spawnApp(env)]);
    }, 180_000);

    afterAll(async () => {
      await Promise.all(apps.map((a) => a.close()));
    });

    const post = async (app: SpawnedApp, path: string, body?: unknown) => {
      const res = await fetch(app.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as { number?: string } };
    };

    it('gives gapless, unique numbers, also for re-issues after revocation', async () => {
      expect(apps.map((a) => a.pid)).not.toContain(process.pid);
      const programId = await seedProgram(t.db, cityOrg, 'BFB');
      const { cohortIds, enrolmentIds } = await seedCohorts(t.db, programId, teachers, 4, 10);

      // Wave 1: each cohort issued by both processes at once, plus every enrolment singly, alternating.
      const wave1 = await Promise.all([
        ...cohortIds.flatMap((id) => apps.map((app) => post(app, `/api/v1/cohorts/${id}/certificates`))),
        ...enrolmentIds.map((id, i) => post(apps[i % 2], `/api/v1/enrolments/${id}/certificate`)),
      ]);
      expect(wave1.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      await assertGapless(t.db, programId, 'BFB', 40, enrolmentIds);

      // Wave 2: revoke 8, then re-issue each from both processes at once (and their cohorts again).
      const revoked = enrolmentIds.filter((_, i) => i % 5 === 0);
      const ids: { id: number }[] = await t.db.query(
        `SELECT id FROM certificate WHERE status = 'VALID' AND enrolmentId IN (${revoked.map(() => '?').join(',')})`,
        revoked,
      );
      for (const { id } of ids)
        expect((await post(apps[0], `/api/v1/certificates/${id}/revoke`, { reason: '并发测试撤销' })).status).toBe(200);
      const wave2 = await Promise.all([
        ...revoked.flatMap((id) => apps.map((app) => post(app, `/api/v1/enrolments/${id}/certificate`))),
        ...cohortIds.map((id, i) => post(apps[i % 2], `/api/v1/cohorts/${id}/certificates`)),
      ]);
      expect(wave2.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
      await assertGapless(t.db, programId, 'BFB', 48, enrolmentIds);
      // Both processes answered each re-issued enrolment with the same new certificate.
      const pairs = revoked.map((_, i) => [wave2[2 * i].body.number, wave2[2 * i + 1].body.number]);
      for (const [a, b] of pairs) expect(a).toBe(b);
    }, 180_000);
  });
});
