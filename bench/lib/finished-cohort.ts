import { AttendanceRecord, LeaveRequest, LeaveRequestSession } from '@shipei/attendance';
import { Enrolment } from '@shipei/enrolment';
import { Organisation, Teacher } from '@shipei/people';
import { Cohort, CohortTrainer, Program, TrainingSession } from '@shipei/programs';
import { EntityManager, ObjectLiteral } from 'typeorm';
import type { BenchApp } from './app';

/**
 * A finished city program with one cohort, written in bulk (sessions, attendance, leave, completion
 * results) and its certificates issued through the API: for bench/cohort-archive.bench.ts and
 * bench/heavy-vs-checkin.bench.ts. Every tenth trainee misses three sessions (未结业, no certificate).
 */
export const COHORT_SESSIONS = 10;
const SESSIONS = COHORT_SESSIONS;
const CHUNK = 400;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(serial: number): string {
  const day = new Date(Date.UTC(1975, 0, 1) + Math.floor(serial / 1000) * 86_400_000);
  const body = `371302${day.toISOString().slice(0, 10).replace(/-/g, '')}${String(serial % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = [
  '晓梅',
  '建国',
  '丽',
  '伟',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
];

async function insertAll<T extends ObjectLiteral>(
  em: EntityManager,
  entity: new () => T,
  rows: Partial<T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + CHUNK) as never)
      .updateEntity(false)
      .execute();
}

export async function ok(app: BenchApp, method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await app.request(method, path, { token, body });
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

/** A finished city program with one cohort of `size` trainees: sessions, attendance, leave, completion results, certificates issued through the API. */
export async function seedFinishedCohort(
  app: BenchApp,
  admin: string,
  trainerId: number,
  size: number,
  serial0: number,
): Promise<number> {
  const ds = app.dataSource;
  const now = new Date();
  const [county] = await ds.query(`SELECT id FROM organisation WHERE code = '371302'`);
  const [city] = await ds.query(`SELECT id FROM organisation WHERE type = 'CITY'`);
  return ds
    .transaction(async (em) => {
      await insertAll(
        em,
        Organisation,
        Array.from({ length: 10 }, (_, i) => ({
          type: 'SCHOOL' as const,
          code: null,
          name: `兰山区第${serial0 + i}小学`,
          parentId: county.id,
          countyId: county.id,
          stages: '小学',
          povertyVillage: true,
          receivingSchool: false,
          createdAt: now,
        })),
      );
      const schools = (
        await em.query(`SELECT id FROM organisation WHERE name LIKE '兰山区第%小学' ORDER BY id DESC LIMIT 10`)
      ).map((r: any) => Number(r.id));
      await insertAll(
        em,
        Teacher,
        Array.from({ length: size }, (_, i) => {
          const id = idNumber(serial0 + i);
          return {
            name: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length],
            idNumber: id,
            gender: Number(id[16]) % 2 ? ('M' as const) : ('F' as const),
            birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
            phone: `137${String(serial0 + i).padStart(8, '0')}`,
            schoolId: schools[i % schools.length],
            countyId: county.id,
            backboneLevel: 'NONE' as const,
            appraisalsQualified: true,
            onProbation: false,
            specialPost: false,
            createdAt: now,
            updatedAt: now,
          };
        }),
      );
      const teachers = (await em.query(`SELECT id FROM teacher ORDER BY id DESC LIMIT ${size}`))
        .map((r: any) => Number(r.id))
        .reverse();
      await insertAll(em, Program, [
        {
          kind: 'BACKBONE_SUMMER' as const,
          year: 2019,
          title: `2019年全市贫困村学校骨干教师暑期培训（${size}人）`,
          ownerOrganisationId: city.id,
          ownerCountyId: null,
          seats: size,
          approvedCount: size,
          creditHours: 48,
          attendanceThreshold: 0.8,
          lateGraceMinutes: 15,
          status: 'FINISHED' as const,
          requirePovertyVillage: true,
          stages: '',
          subjects: '',
          certificatePrefix: `LY${size}`,
          certificateTemplate: null,
          certificateSeq: 0,
          startDate: '2019-07-15',
          endDate: '2019-07-24',
          createdAt: now,
          updatedAt: now,
        },
      ]);
      const [{ id: programId }] = await em.query(`SELECT MAX(id) AS id FROM program`);
      await insertAll(em, Cohort, [
        {
          programId: Number(programId),
          name: '一班',
          capacity: size,
          assignedCount: size,
          startDate: '2019-07-15',
          endDate: '2019-07-24',
          venue: '临沂大学',
          createdAt: now,
          updatedAt: now,
        },
      ]);
      const [{ id: cohortId }] = await em.query(`SELECT MAX(id) AS id FROM cohort`);
      await insertAll(em, CohortTrainer, [{ cohortId: Number(cohortId), userId: trainerId, head: true }]);
      await insertAll(
        em,
        TrainingSession,
        Array.from({ length: SESSIONS }, (_, s) => {
          const day = 15 + Math.floor(s / 2);
          const start = new Date(`2019-07-${day}T${s % 2 ? '14' : '08'}:30:00+08:00`);
          return {
            cohortId: Number(cohortId),
            title:
              ['新课标解读', '课堂观察与诊断', '信息技术与教学融合', '教学设计工作坊', '班级管理案例研讨'][s % 5] +
              `（${Math.floor(s / 5) + 1}）`,
            startsAt: start,
            endsAt: new Date(start.getTime() + 3 * 3_600_000),
            hours: 4.8,
            trainerId,
            room: `博文楼 ${201 + (s % 3)}`,
            createdAt: now,
          };
        }),
      );
      const sessions = (
        await em.query(`SELECT id FROM training_session WHERE cohortId = ${Number(cohortId)} ORDER BY startsAt`)
      ).map((r: any) => Number(r.id));
      // 10% miss three sessions (60% → 未结业); 5% on approved leave for one session; the rest present (some late).
      await insertAll(
        em,
        Enrolment,
        teachers.map((teacherId: number, i: number) => {
          const missing = i % 10 === 9;
          return {
            programId: Number(programId),
            teacherId,
            countyId: county.id,
            status: missing ? ('NOT_COMPLETED' as const) : ('COMPLETED' as const),
            cohortId: Number(cohortId),
            attendedHours: missing ? 33.6 : i % 20 === 3 ? 43.2 : 48,
            attendanceRate: missing ? 0.7 : i % 20 === 3 ? 0.9 : 1,
            creditHours: missing ? 0 : 48,
            createdAt: now,
            updatedAt: now,
            approvedAt: now,
            confirmedAt: now,
            assignedAt: now,
            completedAt: now,
          };
        }),
      );
      const enrolments = (
        await em.query(`SELECT id, teacherId FROM enrolment WHERE cohortId = ${Number(cohortId)} ORDER BY id`)
      ).map((r: any) => ({ id: Number(r.id), teacherId: Number(r.teacherId) }));
      const leaves: Partial<LeaveRequest>[] = enrolments
        .filter((_: unknown, i: number) => i % 20 === 3)
        .map((e: { id: number; teacherId: number }) => ({
          enrolmentId: e.id,
          teacherId: e.teacherId,
          cohortId: Number(cohortId),
          type: 'SICK' as const,
          reason: '发烧就医',
          status: 'APPROVED' as const,
          decidedById: trainerId,
          decidedAt: now,
          decisionNote: '同意',
          createdAt: now,
          updatedAt: now,
        }));
      await insertAll(em, LeaveRequest, leaves);
      const leaveRows = (await em.query(
        `SELECT id, enrolmentId FROM leave_request WHERE cohortId = ${Number(cohortId)}`,
      )) as any[];
      await insertAll(
        em,
        LeaveRequestSession,
        leaveRows.map((l) => ({ leaveRequestId: Number(l.id), sessionId: sessions[4] })),
      );
      const leaveOf = new Map(leaveRows.map((l) => [Number(l.enrolmentId), Number(l.id)]));
      const records: Partial<AttendanceRecord>[] = [];
      enrolments.forEach((e: { id: number }, i: number) => {
        sessions.forEach((sessionId: number, s: number) => {
          const status =
            i % 10 === 9 && s < 3
              ? 'ABSENT'
              : leaveOf.has(e.id) && s === 4
                ? 'EXCUSED'
                : i % 13 === 0 && s === 1
                  ? 'LATE'
                  : 'PRESENT';
          records.push({
            sessionId,
            enrolmentId: e.id,
            cohortId: Number(cohortId),
            status,
            source: status === 'EXCUSED' ? 'LEAVE' : status === 'ABSENT' ? 'CLOSE' : 'SELF',
            checkedInAt: status === 'PRESENT' || status === 'LATE' ? now : null,
            reason: null,
            leaveRequestId: status === 'EXCUSED' ? leaveOf.get(e.id)! : null,
            markedById: null,
            createdAt: now,
            updatedAt: now,
          });
        });
      });
      await insertAll(em, AttendanceRecord, records);
      return Number(cohortId);
    })
    .then(async (cohortId) => {
      const issued = await ok(app, 'POST', `/api/v1/cohorts/${cohortId}/certificates`, admin);
      console.log(`  cohort ${cohortId}: ${size} trainees, ${SESSIONS} sessions, ${issued.length} certificates issued`);
      return cohortId;
    });
}
