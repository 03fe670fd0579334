/**
 * Authorisation rows of 考核 (issue 19 point 2): a program's items, a cohort's scores (JSON, template,
 * import), a trainee's assessment and submissions. county A = 兰山区, county B = 罗庄区.
 *
 * Fixtures: a city program (open) with two items and a cohort run by the `trainer` actor, the teacher
 * actor nominated by county A, approved, confirmed and placed in it; a county A thematic program
 * (draft) with an item and a cohort without trainer or trainees.
 * Items are the owner's to set; scores belong to the cohort's trainers and the owner (a county that
 * reads a city cohort gets 403, another county's 404); a submission is uploaded by its trainee only
 * and read by them and who runs the cohort.
 */
import * as ExcelJS from 'exceljs';
import { AuthzContext, Reply, RouteRow } from './authz';

const ITEMS = [
  { name: '结业考试', passMark: 60, maxScore: 100 },
  { name: '研修作业', passMark: 6, maxScore: 10 },
];
const staff = (trainer: number, city: number, countyA = 403, countyB = 403) => ({
  anonymous: 401,
  teacher: 403,
  trainer,
  countyB,
  countyA,
  city,
});
const isXlsx = (res: Reply) => {
  if (res.raw.subarray(0, 2).toString() !== 'PK') throw new Error('not an .xlsx (zip)');
};

export async function setup(ctx: AuthzContext): Promise<void> {
  const ids = ctx.ids;
  const program = await ctx.api('city', 'POST', '/api/v1/programs', {
    kind: 'BACKBONE_SUMMER',
    year: 2026,
    title: '矩阵考核项目',
    seats: 10,
    creditHours: 24,
    certificatePrefix: 'AZKH',
  });
  ids.asProgram = program.id;
  await ctx.api('city', 'PUT', `/api/v1/programs/${program.id}/quotas`, [{ countyId: ids.countyA, seats: 10 }]);
  await ctx.api('city', 'POST', `/api/v1/programs/${program.id}/open`);
  const items = (await ctx.api('city', 'PUT', `/api/v1/programs/${program.id}/assessment`, { items: ITEMS })).items;
  ids.asItem = items[0].id;
  const enrolment = await ctx.api('countyA', 'POST', `/api/v1/programs/${program.id}/enrolments`, {
    teacherId: ids.teacherSelf,
  });
  ids.asEnrolment = enrolment.id;
  await ctx.api('city', 'POST', `/api/v1/enrolments/${enrolment.id}/approve`);
  await ctx.api('teacher', 'POST', `/api/v1/enrolments/${enrolment.id}/confirm`);
  ids.asCohort = (
    await ctx.api('city', 'POST', `/api/v1/programs/${program.id}/cohorts`, {
      name: '考核矩阵班',
      capacity: 10,
      startDate: '2026-07-01',
      endDate: '2026-07-02',
      venue: '矩阵教室',
      trainerIds: [ids.userTrainer],
    })
  ).id;
  await ctx.api('city', 'POST', `/api/v1/cohorts/${ids.asCohort}/assignments`, { enrolmentIds: [enrolment.id] });

  const county = await ctx.api('countyA', 'POST', '/api/v1/programs', {
    kind: 'COUNTY_THEMATIC',
    year: 2026,
    title: '矩阵兰山区考核专题',
    seats: 10,
    creditHours: 12,
    certificatePrefix: 'AZKL',
  });
  ids.asCountyProgram = county.id;
  await ctx.api('countyA', 'PUT', `/api/v1/programs/${county.id}/assessment`, { items: ITEMS.slice(0, 1) });
  ids.asCountyCohort = (
    await ctx.api('countyA', 'POST', `/api/v1/programs/${county.id}/cohorts`, {
      name: '兰山考核班',
      capacity: 10,
      startDate: '2026-07-01',
      endDate: '2026-07-02',
    })
  ).id;
}

async function scoreSheet(enrolmentId: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('成绩');
  ws.addRow(['报名编号', '结业考试']);
  ws.addRow([enrolmentId, 75]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const routes: RouteRow[] = [
  {
    method: 'GET',
    path: '/api/v1/programs/{asProgram}/assessment',
    name: 'items of an open city program: whoever reads the program',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 200, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{asCountyProgram}/assessment',
    name: 'items of a county A draft program: county A and the city',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'PUT',
    path: '/api/v1/programs/{asProgram}/assessment',
    name: 'set the items of a city program: the city only (counties read it: 403)',
    body: { items: ITEMS },
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 403, countyA: 403, city: 200 },
  },
  {
    method: 'PUT',
    path: '/api/v1/programs/{asCountyProgram}/assessment',
    name: 'set the items of a county A program: county A and the city',
    body: { items: ITEMS.slice(0, 1) },
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{asCohort}/scores',
    name: 'scores of a city cohort: its trainer and the city',
    expect: staff(200, 200),
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{asCountyCohort}/scores',
    name: 'scores of a county A cohort: county A and the city; an unassigned trainer and county B do not see it',
    expect: staff(404, 200, 200, 404),
  },
  {
    method: 'PUT',
    path: '/api/v1/cohorts/{asCohort}/scores',
    name: 'enter a score in a city cohort: its trainer and the city',
    body: ({ ctx }) => ({ scores: [{ enrolmentId: ctx.ids.asEnrolment, itemId: ctx.ids.asItem, score: 80 }] }),
    expect: staff(200, 200),
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{asCohort}/scores/template',
    name: 'score template of a city cohort',
    expect: staff(200, 200),
    check: isXlsx,
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{asCohort}/scores/import',
    name: 'import scores into a city cohort',
    upload: async ({ ctx }) => ({
      field: 'file',
      content: await scoreSheet(ctx.ids.asEnrolment),
      filename: '成绩.xlsx',
    }),
    expect: staff(200, 200),
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{asCountyCohort}/scores/import',
    name: 'import scores into a county A cohort: county B and an unassigned trainer do not see it',
    upload: async ({ ctx }) => ({
      field: 'file',
      content: await scoreSheet(ctx.ids.asEnrolment),
      filename: '成绩.xlsx',
    }),
    // county A and the city reach the cohort: the sheet names a trainee of another cohort (400, nothing written)
    expect: staff(404, 400, 400, 404),
  },
  {
    method: 'PUT',
    path: '/api/v1/enrolments/{asEnrolment}/submissions/{asItem}',
    name: 'upload a submission: the trainee only',
    upload: () => ({ field: 'file', content: Buffer.from('%PDF-1.4\n%%EOF\n'), filename: '研修成果.pdf' }),
    expect: { anonymous: 401, teacher: 200, trainer: 403, countyB: 403, countyA: 403, city: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments/{asEnrolment}/submissions/{asItem}',
    name: 'download a submission: the trainee, the cohort’s trainer, the owner; the trainee’s county does not',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 403, city: 200 },
    check: (res) => {
      if (res.raw.subarray(0, 5).toString() !== '%PDF-') throw new Error('not the PDF');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments/{asEnrolment}/assessment',
    name: 'a trainee’s items, scores and submissions: the same readers',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 403, city: 200 },
  },
];
