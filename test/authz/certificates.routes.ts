/**
 * Authorisation rows of certificates (issue 6): issuing, printing, revocation, registers and the
 * public verification. county A = 兰山区, county B = 罗庄区; base fixtures in context.ts.
 *
 * Fixtures: a city program (cohort X, trained by the `trainer` actor) with COMPLETED enrolments of
 * teacherSelf, teacherA and teacherB and a CONFIRMED one, and a county A thematic program (cohort Y).
 * Programs, cohorts and enrolments are inserted through ctx.db: COMPLETED is set by the attendance
 * module's completion, which this file does not depend on. Certificates are issued through the API.
 */
import * as ExcelJS from 'exceljs';
import { AuthzContext, Call, Reply, RouteRow } from './authz';

async function insert(ctx: AuthzContext, table: string, values: Record<string, unknown>): Promise<number> {
  const res = await ctx.db.createQueryBuilder().insert().into(table).values(values).execute();
  return Number(res.identifiers[0].id);
}

async function program(
  ctx: AuthzContext,
  owner: { org: number; county: number | null },
  prefix: string,
  title: string,
): Promise<number> {
  const now = new Date();
  return insert(ctx, 'program', {
    kind: owner.county ? 'COUNTY_THEMATIC' : 'BACKBONE_SUMMER',
    year: 2019,
    title,
    ownerOrganisationId: owner.org,
    ownerCountyId: owner.county,
    seats: 100,
    approvedCount: 0,
    creditHours: 24,
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
    endDate: '2019-07-31',
    createdAt: now,
    updatedAt: now,
  });
}

async function cohort(ctx: AuthzContext, programId: number, name: string, trainerUserId?: number): Promise<number> {
  const now = new Date();
  const id = await insert(ctx, 'cohort', {
    programId,
    name,
    capacity: 50,
    assignedCount: 0,
    startDate: '2019-07-08',
    endDate: '2019-07-12',
    venue: '',
    createdAt: now,
    updatedAt: now,
  });
  if (trainerUserId)
    await ctx.db
      .createQueryBuilder()
      .insert()
      .into('cohort_trainer')
      .values({ cohortId: id, userId: trainerUserId, head: true })
      .execute();
  return id;
}

async function enrolment(
  ctx: AuthzContext,
  programId: number,
  cohortId: number,
  teacherId: number,
  status = 'COMPLETED',
): Promise<number> {
  const [t] = await ctx.db.query(`SELECT countyId FROM teacher WHERE id = ?`, [teacherId]);
  const now = new Date();
  const done = status === 'COMPLETED';
  return insert(ctx, 'enrolment', {
    programId,
    teacherId,
    countyId: Number(t.countyId),
    status,
    cohortId,
    attendedHours: done ? 24 : null,
    attendanceRate: done ? 1 : null,
    creditHours: done ? 24 : null,
    createdAt: now,
    updatedAt: now,
    completedAt: done ? now : null,
  });
}

/** A fresh COMPLETED enrolment of a new county A teacher in cohort X or Y. */
const freshEnrolment =
  (which: 'X' | 'Y') =>
  async ({ ctx }: Omit<Call, 'vars'>) => {
    const programId = which === 'X' ? ctx.ids.certProgramCity : ctx.ids.certProgramCounty;
    const cohortId = which === 'X' ? ctx.ids.certCohortX : ctx.ids.certCohortY;
    return { fresh: await enrolment(ctx, programId, cohortId, await ctx.newTeacher(ctx.ids.schoolA)) };
  };

/** A fresh valid certificate (issued by the city) of a new county A teacher in cohort X or Y. */
const freshCertificate = (which: 'X' | 'Y') => async (c: Omit<Call, 'vars'>) => {
  const { fresh } = await freshEnrolment(which)(c);
  return { fresh: (await c.ctx.api('city', 'POST', `/api/v1/enrolments/${fresh}/certificate`)).id };
};

async function sheetNames(res: Reply): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw as never);
  const names: string[] = [];
  // Column 3 of the register is 姓名.
  wb.worksheets[0].eachRow((row, n) => {
    if (n > 1) names.push(String(row.getCell(3).value));
  });
  return names;
}

export async function setup(ctx: AuthzContext): Promise<void> {
  const ids = ctx.ids;
  ids.certProgramCity = await program(ctx, { org: ids.cityOrg, county: null }, 'AZCT', '矩阵市级培训项目');
  ids.certProgramCounty = await program(ctx, { org: ids.countyA, county: ids.countyA }, 'AZLS', '矩阵兰山区专题培训');
  ids.certCohortX = await cohort(ctx, ids.certProgramCity, '矩阵X班', ids.userTrainer);
  ids.certCohortY = await cohort(ctx, ids.certProgramCounty, '矩阵Y班');
  await enrolment(ctx, ids.certProgramCity, ids.certCohortX, ids.teacherSelf);
  await enrolment(ctx, ids.certProgramCity, ids.certCohortX, ids.teacherA);
  await enrolment(ctx, ids.certProgramCity, ids.certCohortX, ids.teacherB);
  ids.certEnrolmentOpen = await enrolment(
    ctx,
    ids.certProgramCity,
    ids.certCohortX,
    await ctx.newTeacher(ids.schoolA),
    'CONFIRMED',
  );
  await enrolment(ctx, ids.certProgramCounty, ids.certCohortY, await ctx.newTeacher(ids.schoolA));

  await ctx.api('city', 'POST', `/api/v1/cohorts/${ids.certCohortX}/certificates`);
  await ctx.api('countyA', 'POST', `/api/v1/cohorts/${ids.certCohortY}/certificates`);
  const certOf = async (teacherId: number) =>
    (await ctx.api('city', 'GET', `/api/v1/certificates?teacherId=${teacherId}`)).items[0];
  const self = await certOf(ids.teacherSelf);
  ids.certSelf = self.id;
  ctx.fx.certSelfCode = self.verificationCode;
  ids.certB = (await certOf(ids.teacherB)).id;
  ids.certY = (await ctx.api('city', 'GET', `/api/v1/certificates?cohortId=${ids.certCohortY}`)).items[0].id;
  const [yinan] = await ctx.db.query(`SELECT id FROM organisation WHERE code = '371321'`);
  ids.certReceiving = (
    await ctx.api('city', 'POST', '/api/v1/organisations', {
      type: 'SCHOOL',
      name: '矩阵证书沂南受援小学',
      parentId: Number(yinan.id),
      povertyVillage: false,
      receivingSchool: true,
    })
  ).id;
  ids.certScheme = (
    await ctx.api('city', 'POST', '/api/v1/schemes', {
      kind: 'WESTERN_BELT',
      year: 2019,
      places: 100,
      termStart: '2019-09-01',
      termEnd: '2020-07-15',
    })
  ).id;
  await ctx.api('city', 'PUT', `/api/v1/schemes/${ids.certScheme}/quotas`, [{ countyId: ids.countyA, places: 50 }]);
  ctx.fx.certTeacherNames = Object.fromEntries(
    await Promise.all(
      ['teacherA', 'teacherB', 'teacherSelf'].map(async (k) => [
        k,
        (await ctx.api('city', 'GET', `/api/v1/teachers/${ids[k]}`)).name,
      ]),
    ),
  );
}

const SERVICE_ELIGIBLE = { title: '一级教师', teachingStartYear: 2010, appraisalsQualified: true };

/** A fresh COMPLETED placement (2019–2020 term, long past) of a new county A teacher, for the 支教证明 row. */
const freshCompletedPlacement = async ({ ctx }: Omit<Call, 'vars'>) => {
  const teacherId = await ctx.newTeacher(ctx.ids.schoolA, SERVICE_ELIGIBLE);
  const p = await ctx.api('countyA', 'POST', `/api/v1/schemes/${ctx.ids.certScheme}/placements`, {
    teacherId,
    receivingSchoolId: ctx.ids.certReceiving,
  });
  await ctx.api('city', 'POST', `/api/v1/placements/${p.id}/approve`);
  await ctx.api('countyA', 'POST', `/api/v1/placements/${p.id}/arrive`, { arrivalDate: '2019-09-02' });
  await ctx.api('countyA', 'POST', `/api/v1/placements/${p.id}/complete`, { assessment: '合格', comment: '完成任务' });
  return { fresh: p.id };
};

const isPdf = (res: Reply) => {
  if (res.headers['content-type'] !== 'application/pdf' || res.raw.subarray(0, 5).toString() !== '%PDF-')
    throw new Error('not a PDF');
};

export const routes: RouteRow[] = [
  // ——— issuing ———
  // Cohort rows first: later rows leave completed enrolments without certificates, which these would issue (201).
  {
    method: 'POST',
    path: '/api/v1/cohorts/{certCohortX}/certificates',
    name: 'issue for the city cohort (already issued: returned as they are)',
    expect: { anonymous: 401, teacher: 403, trainer: 200, countyB: 403, countyA: 403, city: 200 },
    check: (res) => {
      if (
        !Array.isArray(res.body) ||
        !res.body.every((c: any) => c.status === 'VALID' && /^AZCT2019-\d{4}$/.test(c.number))
      )
        throw new Error('bad list');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{certCohortY}/certificates',
    name: 'issue for the county A cohort',
    expect: { anonymous: 401, teacher: 403, trainer: 404, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/certificate',
    name: 'issue for a completed county A enrolment in the city cohort',
    setup: freshEnrolment('X'),
    expect: { anonymous: 401, teacher: 403, trainer: 201, countyB: 404, countyA: 403, city: 201 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/certificate',
    name: 'issue for a completed enrolment of the county A program',
    setup: freshEnrolment('Y'),
    expect: { anonymous: 401, teacher: 403, trainer: 404, countyB: 404, countyA: 201, city: 201 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{certEnrolmentOpen}/certificate',
    name: 'issue for an enrolment not completed → 409',
    expect: { anonymous: 401, teacher: 403, trainer: 409, countyB: 404, countyA: 403, city: 409 },
  },

  // ——— printing ———
  {
    method: 'GET',
    path: '/api/v1/cohorts/{certCohortX}/certificates/pdf',
    name: 'print the city cohort',
    expect: { anonymous: 401, teacher: 403, trainer: 200, countyB: 403, countyA: 403, city: 200 },
    check: isPdf,
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{certCohortY}/certificates/pdf',
    name: 'print the county A cohort',
    expect: { anonymous: 401, teacher: 403, trainer: 404, countyB: 404, countyA: 200, city: 200 },
    check: isPdf,
  },
  {
    method: 'GET',
    path: '/api/v1/certificates/{certSelf}/pdf',
    name: "the teacher's own certificate PDF",
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 403, city: 200 },
    check: isPdf,
  },
  {
    method: 'GET',
    path: '/api/v1/certificates/{certB}/pdf',
    name: 'a county B teacher certificate PDF',
    expect: { anonymous: 401, teacher: 404, trainer: 200, countyB: 403, countyA: 404, city: 200 },
    check: isPdf,
  },
  {
    method: 'GET',
    path: '/api/v1/certificates/{certY}/pdf',
    name: 'a county A program certificate PDF',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 404, countyA: 200, city: 200 },
    check: isPdf,
  },

  // ——— records ———
  {
    method: 'GET',
    path: '/api/v1/certificates/{certSelf}',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/certificates/{certB}',
    expect: { anonymous: 401, teacher: 404, trainer: 200, countyB: 200, countyA: 404, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/certificates?pageSize=200',
    name: 'list certificates (scoped)',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 200, countyA: 200, city: 200 },
    check: (res, { actor, ctx }) => {
      const teachers = new Set(res.body.items.map((c: any) => c.teacherId));
      if (actor === 'teacher' && [...teachers].some((id) => id !== ctx.ids.teacherSelf))
        throw new Error('teacher sees others');
      if (actor === 'countyA' && teachers.has(ctx.ids.teacherB)) throw new Error('county A sees a county B teacher');
      if (actor === 'countyB' && (teachers.has(ctx.ids.teacherA) || teachers.has(ctx.ids.teacherSelf)))
        throw new Error('county B sees county A teachers');
      if (actor === 'trainer' && res.body.items.some((c: any) => c.cohortId !== ctx.ids.certCohortX))
        throw new Error('trainer sees other cohorts');
      if (JSON.stringify(res.body).match(/\d{17}[\dX]/)) throw new Error('an ID number in the list');
    },
  },

  // ——— revocation ———
  {
    method: 'POST',
    path: '/api/v1/certificates/{fresh}/revoke',
    name: 'revoke a city program certificate of a county A teacher',
    setup: freshCertificate('X'),
    body: { reason: '矩阵测试撤销' },
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 404, countyA: 403, city: 200 },
    check: (res) => {
      if (res.body.status !== 'REVOKED') throw new Error('not revoked');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/certificates/{fresh}/revoke',
    name: 'revoke a county A program certificate',
    setup: freshCertificate('Y'),
    body: { reason: '矩阵测试撤销' },
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 404, countyA: 200, city: 200 },
  },

  // ——— public verification ———
  {
    method: 'GET',
    path: '/api/v1/certificates/verify/{code}',
    name: 'verify a certificate (public, JSON)',
    setup: async ({ ctx }) => ({ code: ctx.fx.certSelfCode }),
    expect: { anonymous: 200, teacher: 200, trainer: 200, countyB: 200, countyA: 200, city: 200 },
    check: (res) => {
      if (res.body.status !== 'VALID' || 'idNumber' in res.body || 'phone' in res.body || 'schoolName' in res.body)
        throw new Error(`unexpected answer ${JSON.stringify(res.body)}`);
    },
  },
  {
    method: 'GET',
    path: '/verify/{code}',
    name: 'verification page (public, HTML)',
    setup: async ({ ctx }) => ({ code: ctx.fx.certSelfCode }),
    expect: { anonymous: 200, teacher: 200, trainer: 200, countyB: 200, countyA: 200, city: 200 },
    check: (res) => {
      if (!String(res.headers['content-type']).startsWith('text/html') || !res.raw.toString().includes('有效'))
        throw new Error('not the page');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAA',
    name: 'verify an unknown code',
    expect: { anonymous: 404, teacher: 404, trainer: 404, countyB: 404, countyA: 404, city: 404 },
    // The lookup counts against the address's verification throttle (rate_counter, shared by processes).
    writesWhenDenied: true,
  },

  // ——— registers ———
  {
    method: 'GET',
    path: '/api/v1/programs/{certProgramCity}/certificates.xlsx',
    name: 'certificate register of the city program (counties: own teachers)',
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 200, countyA: 200, city: 200 },
    check: async (res, { actor, ctx }) => {
      const names = await sheetNames(res);
      const n = ctx.fx.certTeacherNames;
      if (actor === 'countyA' && names.includes(n.teacherB)) throw new Error('county A gets a county B teacher');
      if (actor === 'countyB' && (names.includes(n.teacherA) || names.includes(n.teacherSelf)))
        throw new Error('county B gets county A teachers');
      if (actor === 'city' && !names.includes(n.teacherB)) throw new Error('city misses a teacher');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{certProgramCounty}/certificates.xlsx',
    name: 'certificate register of the county A program',
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{certProgramCity}/credit-hours.xlsx',
    name: 'credit-hour list of the city program',
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 200, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{certProgramCounty}/credit-hours.xlsx',
    name: 'credit-hour list of the county A program',
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 404, countyA: 200, city: 200 },
  },

  // ——— 支教证明: the city or the placement's county ———
  {
    method: 'POST',
    path: '/api/v1/placements/{fresh}/service-certificate',
    name: 'service certificate of a completed county A placement',
    setup: freshCompletedPlacement,
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 404, countyA: 201, city: 201 },
  },
];
