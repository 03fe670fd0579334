/**
 * A small but complete world for the fuzzer and the security checks, built through the real API
 * (in-process app): two counties with schools and teachers, a county admin, a trainer, an open
 * program with quotas, nominations, an approval, a cohort with a session, a talent-support scheme
 * with a placement, and certificates. Steps of modules still being built are tolerated: a step that
 * fails is reported (`problems`), the rest goes on, and the fuzzer then uses random ids there.
 */
import { DataSource } from 'typeorm';
import TestAgent from 'supertest/lib/agent';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher } from '../../support/fixtures';

/** Names the world is built with; the security checks use hostile ones (HTML, formulas). */
export interface WorldNames {
  schoolA: string;
  schoolB: string;
  /** Names of county A's six teachers (the first three are nominated, the first two certified). */
  teachersA: string[];
  subject: string;
  programTitle: string;
  cohortName: string;
}

export const PLAIN_NAMES: WorldNames = {
  schoolA: '沂蒙第一实验小学',
  schoolB: '罗庄册山中学',
  teachersA: ['王秀英', '李桂英', '张志强', '刘建华', '陈海燕', '杨文静'],
  subject: '语文',
  programTitle: '2019年全市贫困村学校骨干教师暑期培训',
  cohortName: '第一期',
};

export interface World {
  admin: string;
  county: string;
  countyA: number;
  countyB: number;
  schoolA: number;
  schoolB: number;
  teachersA: number[];
  teachersB: number[];
  trainerId?: number;
  programId?: number;
  cohortId?: number;
  sessionId?: number;
  enrolmentIds: number[];
  certificateIds: number[];
  schemeId?: number;
  placementId?: number;
  problems: string[];
}

export async function buildWorld(
  http: TestAgent,
  db: DataSource,
  serialBase: number,
  names: WorldNames = PLAIN_NAMES,
): Promise<World> {
  const problems: string[] = [];
  const admin = await adminToken(http);
  const countyA = await countyIdByCode(db, '371302');
  const countyB = await countyIdByCode(db, '371311');
  const county = await countyAdmin(http, admin, countyA, `fuzz_county_${serialBase}`);
  const schoolA = await createSchool(http, county, countyA, names.schoolA);
  const schoolB = await createSchool(http, admin, countyB, names.schoolB, { receivingSchool: true });
  const teachersA: number[] = [];
  const teachersB: number[] = [];
  for (let i = 0; i < 6; i++) {
    teachersA.push(
      await createTeacher(http, admin, schoolA, serialBase + i, {
        name: names.teachersA[i],
        title: '一级教师',
        teachingStartYear: 2005,
        appraisalsQualified: true,
        subject: names.subject,
      }),
    );
  }
  for (let i = 0; i < 3; i++) teachersB.push(await createTeacher(http, admin, schoolB, serialBase + 10 + i));
  const world: World = {
    admin,
    county,
    countyA,
    countyB,
    schoolA,
    schoolB,
    teachersA,
    teachersB,
    enrolmentIds: [],
    certificateIds: [],
    problems,
  };

  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message.slice(0, 300)}`);
    }
  };
  const api = async (token: string, method: 'get' | 'post' | 'put' | 'patch', path: string, body?: unknown) => {
    const req = http[method](path).auth(token, { type: 'bearer' });
    const res = body === undefined ? await req : await req.send(body as object);
    if (res.status >= 300)
      throw new Error(`${method.toUpperCase()} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };

  await step('trainer', async () => {
    world.trainerId = (
      await api(admin, 'post', '/api/v1/users', {
        username: `trainer_${serialBase}`,
        password: 'Trainer1234',
        role: 'TRAINER',
      })
    ).id;
  });
  const trainerId = () => world.trainerId;
  await step('program, quotas, nominations, approval', async () => {
    const program = await api(admin, 'post', '/api/v1/programs', {
      kind: 'BACKBONE_SUMMER',
      year: 2019,
      title: names.programTitle,
      seats: 40,
      creditHours: 48,
      attendanceThreshold: 0.8,
      nominationDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      certificatePrefix: 'FUZZ',
      startDate: '2019-07-08',
      endDate: '2019-07-17',
    });
    world.programId = program.id;
    await api(admin, 'post', `/api/v1/programs/${program.id}/open`);
    await api(admin, 'put', `/api/v1/programs/${program.id}/quotas`, [
      { countyId: countyA, seats: 4 },
      { countyId: countyB, seats: 2 },
    ]);
    for (const teacherId of teachersA.slice(0, 3))
      world.enrolmentIds.push(
        (await api(county, 'post', `/api/v1/programs/${program.id}/enrolments`, { teacherId })).id,
      );
    await api(admin, 'post', `/api/v1/enrolments/${world.enrolmentIds[0]}/approve`);
    await api(admin, 'post', `/api/v1/enrolments/${world.enrolmentIds[1]}/approve`);
  });
  await step('cohort and session', async () => {
    if (!world.programId) throw new Error('no program');
    const trainers = trainerId() ? [trainerId()] : [];
    const cohort = await api(admin, 'post', `/api/v1/programs/${world.programId}/cohorts`, {
      name: names.cohortName,
      capacity: 50,
      startDate: '2019-07-08',
      endDate: '2019-07-17',
      venue: '临沂大学',
      trainerIds: trainers,
    });
    world.cohortId = cohort.id;
    await api(admin, 'post', `/api/v1/cohorts/${cohort.id}/assignments`, {
      enrolmentIds: world.enrolmentIds.slice(0, 2),
    });
    const session = await api(admin, 'post', `/api/v1/cohorts/${cohort.id}/sessions`, {
      title: '开班式',
      startsAt: '2019-07-08T01:00:00.000Z',
      endsAt: '2019-07-08T03:00:00.000Z',
      hours: 2,
      ...(trainers.length ? { trainerId: trainers[0] } : {}),
    });
    world.sessionId = session.id;
  });
  // Before the certificates: items added to a program with decided trainees would re-decide them.
  await step('assessment items', async () => {
    if (!world.programId) throw new Error('no program');
    await api(admin, 'put', `/api/v1/programs/${world.programId}/assessment`, {
      items: [
        { name: '结业考试', passMark: 60, maxScore: 100 },
        { name: '研修作业', passMark: 6, maxScore: 10 },
      ],
    });
  });
  await step('certificates', async () => {
    if (!world.programId || !world.cohortId) throw new Error('no cohort');
    const now = new Date();
    // Completion belongs to attendance (sessions must have ended): the two assigned trainees are made COMPLETED directly.
    for (const id of world.enrolmentIds.slice(0, 2)) {
      await db.query(
        `UPDATE enrolment SET status = 'COMPLETED', attendedHours = 2, attendanceRate = 1, creditHours = 48, completedAt = ? WHERE id = ? AND cohortId = ?`,
        [dbTime(db, now), id, world.cohortId],
      );
    }
    const issued = await api(admin, 'post', `/api/v1/cohorts/${world.cohortId}/certificates`);
    world.certificateIds = issued.map((c: { id: number }) => c.id);
  });
  await step('scheme and placement', async () => {
    const scheme = await api(admin, 'post', '/api/v1/schemes', {
      kind: 'THREE_DISTRICTS',
      year: 2019,
      places: 10,
      termStart: '2019-09-01',
      termEnd: '2020-07-15',
    });
    world.schemeId = scheme.id;
    await api(admin, 'put', `/api/v1/schemes/${scheme.id}/quotas`, [{ countyId: countyA, places: 5 }]);
    world.placementId = (
      await api(county, 'post', `/api/v1/schemes/${scheme.id}/placements`, {
        teacherId: teachersA[5],
        receivingSchoolId: schoolB,
      })
    ).id;
  });
  return world;
}

/** A Date as the driver stores datetimes (SQLite: UTC text). */
export function dbTime(db: DataSource, d: Date): Date | string {
  return db.options.type === 'better-sqlite3' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}
