/**
 * Authorisation rows of training records (issue 10): the teacher file (一人一档) and its exports,
 * the credit-compliance lists, summary and export, the external-credit template and import, and the
 * cohort archive (一期一档). county A = 兰山区, county B = 罗庄区; base fixtures in context.ts.
 *
 * Fixtures, through the API on the real clock: an open city program with a cohort that ended in 2025
 * (trainer: the `trainer` actor) and one that ends next year; a county A thematic program with a
 * cohort that ended in 2025 (no trainer). The archive is for the program's owner and the cohort's
 * trainers: a county that only reads the city's cohort gets 403, a county that cannot see it 404.
 */
import * as ExcelJS from 'exceljs';
import { AuthzContext, Call, Reply, RouteRow, Upload } from './authz';

export async function setup(ctx: AuthzContext): Promise<void> {
  const ids = ctx.ids;
  const nextYear = new Date().getUTCFullYear() + 1;
  const program = await ctx.api('city', 'POST', '/api/v1/programs', {
    kind: 'BACKBONE_SUMMER',
    year: 2025,
    title: '矩阵档案项目',
    seats: 10,
    creditHours: 24,
    certificatePrefix: 'AZRC',
  });
  ids.recProgram = program.id;
  await ctx.api('city', 'PUT', `/api/v1/programs/${program.id}/quotas`, [{ countyId: ids.countyA, seats: 10 }]);
  await ctx.api('city', 'POST', `/api/v1/programs/${program.id}/open`); // counties now read its cohorts
  const cohort = (
    programId: number,
    actor: 'city' | 'countyA',
    name: string,
    startDate: string,
    endDate: string,
    trainerIds: number[] = [],
  ) =>
    ctx.api(actor, 'POST', `/api/v1/programs/${programId}/cohorts`, {
      name,
      capacity: 10,
      startDate,
      endDate,
      venue: '矩阵教室',
      trainerIds,
    });
  ids.recCohortDone = (
    await cohort(program.id, 'city', '档案已结束班', '2025-07-01', '2025-07-02', [ids.userTrainer])
  ).id;
  ids.recCohortOpen = (
    await cohort(program.id, 'city', '档案进行中班', `${nextYear}-07-01`, `${nextYear}-07-02`, [ids.userTrainer])
  ).id;
  const county = await ctx.api('countyA', 'POST', '/api/v1/programs', {
    kind: 'COUNTY_THEMATIC',
    year: 2025,
    title: '矩阵兰山区档案专题',
    seats: 10,
    creditHours: 12,
    certificatePrefix: 'AZRL',
  });
  ids.recCountyCohort = (await cohort(county.id, 'countyA', '兰山档案班', '2025-07-01', '2025-07-02')).id;
  const [teacherA] = await ctx.db.query('SELECT idNumber FROM teacher WHERE id = ?', [ids.teacherA]);
  ctx.fx.recTeacherAIdNumber = teacherA.idNumber;
}

const isPdf = (res: Reply) => {
  if (res.raw.subarray(0, 5).toString() !== '%PDF-') throw new Error('not a PDF');
};
const isZip = (res: Reply) => {
  if (res.raw.subarray(0, 4).toString('latin1') !== 'PK\x03\x04') throw new Error('not a ZIP');
};

/** Every row of a compliance list is of the caller's county (no scope leak). */
const ownCountyOnly = (res: Reply, { ctx, actor }: Call) => {
  if (actor !== 'countyA' && actor !== 'countyB') return;
  const own = ctx.ids[actor];
  const stray = (res.body?.items ?? []).filter((i: { countyId: number }) => i.countyId !== own);
  if (stray.length) throw new Error(`${actor} sees teachers of another county: ${JSON.stringify(stray[0])}`);
};

/** Every sheet row of the compliance export is of the caller's county (column 4 is 县区). */
const exportOwnCounty = async (res: Reply, { actor }: Call) => {
  if (res.raw.subarray(0, 2).toString() !== 'PK') throw new Error('not an .xlsx');
  if (actor !== 'countyA' && actor !== 'countyB') return;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw as never);
  const own = actor === 'countyA' ? '兰山区' : '罗庄区';
  wb.getWorksheet('未达标教师')!.eachRow((row, n) => {
    if (n > 3 && row.getCell(4).value !== own)
      throw new Error(`${actor} export holds a teacher of ${String(row.getCell(4).value)}`);
  });
};

/** Summary rows: a county sees its own schools only. */
const summaryOwnCounty = async (res: Reply, { ctx, actor }: Call) => {
  if (actor !== 'countyA' && actor !== 'countyB') return;
  const ids = (res.body?.rows ?? []).map((r: { organisationId: number }) => r.organisationId);
  if (!ids.length) return;
  const rows = await ctx.db.query(`SELECT id, countyId FROM organisation WHERE id IN (${ids.map(Number).join(',')})`);
  const stray = rows.filter((r: { countyId: number }) => Number(r.countyId) !== ctx.ids[actor]);
  if (stray.length) throw new Error(`${actor} summary holds organisation ${stray[0].id} of another county`);
};

/** An external-credit sheet with one row for teacherA (county A). */
const creditSheet = async ({ ctx }: Call): Promise<Upload> => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('校外学时');
  ws.addRow(['身份证号', '培训项目名称', '主办单位', '学时', '培训日期', '证书编号']);
  ws.addRow([ctx.fx.recTeacherAIdNumber, '矩阵校外培训', '矩阵主办单位', 6, '2024-05-01', 'AZRC-EXT-1']);
  return { field: 'file', filename: 'credits.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) };
};

const staff = (countyA: number, countyB: number) => ({
  anonymous: 401,
  teacher: 403,
  trainer: 403,
  countyB,
  countyA,
  city: 200,
});

export const routes: RouteRow[] = [
  // ——— teacher file: the teacher, their county, the city ———
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherSelf}/file',
    name: 'the teacher actor’s own file',
    expect: { anonymous: 401, teacher: 200, trainer: 404, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherSelf}/file.xlsx',
    expect: { anonymous: 401, teacher: 200, trainer: 404, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherSelf}/file.pdf',
    expect: { anonymous: 401, teacher: 200, trainer: 404, countyB: 404, countyA: 200, city: 200 },
    check: isPdf,
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherA}/file',
    name: 'another county A teacher’s file',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherB}/file',
    name: 'a county B teacher’s file',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 200, countyA: 404, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherB}/file.xlsx',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 200, countyA: 404, city: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherB}/file.pdf',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 200, countyA: 404, city: 200 },
    check: isPdf,
  },

  // ——— compliance lists: city and counties (own county only) ———
  {
    method: 'GET',
    path: '/api/v1/credit-compliance?year=2024',
    name: 'compliance list, no filter: a county sees only its own teachers',
    expect: staff(200, 200),
    check: ownCountyOnly,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance?cycle=2021&countyId={countyA}',
    name: 'compliance list of county A',
    expect: staff(200, 404),
    check: ownCountyOnly,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance?year=2024&countyId={countyB}',
    name: 'compliance list of county B',
    expect: staff(404, 200),
    check: ownCountyOnly,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance?year=2024&schoolId={schoolA}',
    name: 'compliance list of school A',
    expect: staff(200, 404),
    check: ownCountyOnly,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance?year=2024&schoolId={schoolB}',
    name: 'compliance list of school B',
    expect: staff(404, 200),
    check: ownCountyOnly,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance/summary?year=2024',
    name: 'compliance summary: per county for the city, per own school for a county',
    expect: staff(200, 200),
    check: summaryOwnCounty,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance/summary?year=2024&countyId={countyB}',
    expect: staff(404, 200),
    check: summaryOwnCounty,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance/export?cycle=2021',
    name: 'compliance export: a county’s sheet holds only its own teachers',
    expect: staff(200, 200),
    check: exportOwnCounty,
  },
  {
    method: 'GET',
    path: '/api/v1/credit-compliance/export?year=2024&countyId={countyA}',
    expect: staff(200, 404),
    check: exportOwnCounty,
  },

  // ——— external credits ———
  { method: 'GET', path: '/api/v1/external-credits/import-template', expect: staff(200, 200) },
  {
    method: 'POST',
    path: '/api/v1/external-credits/import',
    name: 'import a credit of a county A teacher: county B gets a row error and nothing is written',
    upload: creditSheet,
    expect: { anonymous: 401, teacher: 403, trainer: 403, countyB: 400, countyA: 200, city: 200 },
  },

  // ——— cohort archive: the program's owner and the cohort's trainers ———
  {
    method: 'GET',
    path: '/api/v1/cohorts/{recCohortDone}/archive.zip',
    name: 'archive of a finished city cohort: counties read it but do not run it',
    expect: { anonymous: 401, teacher: 403, trainer: 200, countyB: 403, countyA: 403, city: 200 },
    check: isZip,
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{recCountyCohort}/archive.zip',
    name: 'archive of a finished county A cohort',
    expect: { anonymous: 401, teacher: 403, trainer: 404, countyB: 404, countyA: 200, city: 200 },
    check: isZip,
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{recCohortOpen}/archive.zip',
    name: 'archive of a cohort that has not ended: 409 for those who may',
    expect: { anonymous: 401, teacher: 403, trainer: 409, countyB: 403, countyA: 403, city: 409 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/999999999/archive.zip',
    name: 'archive of a cohort that does not exist',
    expect: { anonymous: 401, teacher: 403, trainer: 404, countyB: 404, countyA: 404, city: 404 },
  },
];
