/**
 * Authorisation rows of enrolment (issue 4): nominations (single and .xlsx), transitions, lists,
 * 分班, roster and figures. county A = 兰山区, county B = 罗庄区; base fixtures in context.ts.
 *
 * Fixtures: a city program (open, quotas A and B) with enrolments of teacherA (county A),
 * teacherB (county B) and teacherSelf (approved, placed in a cohort taught by the `trainer`
 * actor, dates in 2032 so it never overlaps other files' cohorts); a county A thematic program
 * with a cohort. Rows that consume an enrolment make a fresh one per actor in `setup`.
 * The program's owner approves/rejects; the teacher's county withdraws; the teacher confirms or
 * declines; other counties get 404, other roles 403.
 */
import * as ExcelJS from 'exceljs';
import { AuthzContext, Call, makeIdNumber, makePhone, RouteRow } from './authz';

const cityProgram = {
  kind: 'BACKBONE_SUMMER',
  year: 2032,
  title: '矩阵推荐项目',
  seats: 400,
  creditHours: 24,
  certificatePrefix: 'AZEN',
};

/** A new teacher at the school (city creates it); returns its id and 身份证号. */
async function teacherAt(ctx: AuthzContext, school: 'schoolA' | 'schoolB'): Promise<{ id: number; idNumber: string }> {
  const n = ctx.serial();
  const idNumber = makeIdNumber(n);
  const res = await ctx.api('city', 'POST', '/api/v1/teachers', {
    name: `矩阵${n}`,
    idNumber,
    phone: makePhone(n),
    schoolId: ctx.ids[school],
  });
  return { id: res.id, idNumber };
}

/** A fresh enrolment in the city program: nominated by the teacher's county, optionally approved. */
async function enrolment(ctx: AuthzContext, county: 'A' | 'B', approved = false): Promise<number> {
  const t = await teacherAt(ctx, county === 'A' ? 'schoolA' : 'schoolB');
  const e = await ctx.api(
    county === 'A' ? 'countyA' : 'countyB',
    'POST',
    `/api/v1/programs/${ctx.ids.enrProg}/enrolments`,
    { teacherId: t.id },
  );
  if (approved) await ctx.api('city', 'POST', `/api/v1/enrolments/${e.id}/approve`);
  return e.id;
}

/** The teacher actor's own enrolment in a new city program (one enrolment per program). */
async function ownEnrolment(ctx: AuthzContext, approved: boolean): Promise<number> {
  const p = await ctx.api('city', 'POST', '/api/v1/programs', { ...cityProgram, title: `矩阵本人项目${ctx.serial()}` });
  await ctx.api('city', 'PUT', `/api/v1/programs/${p.id}/quotas`, [{ countyId: ctx.ids.countyA, seats: 5 }]);
  await ctx.api('city', 'POST', `/api/v1/programs/${p.id}/open`);
  const e = await ctx.api('countyA', 'POST', `/api/v1/programs/${p.id}/enrolments`, { teacherId: ctx.ids.teacherSelf });
  if (approved) await ctx.api('city', 'POST', `/api/v1/enrolments/${e.id}/approve`);
  return e.id;
}

async function sheet(idNumber: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('推荐名单');
  ws.addRow(['矩阵推荐名单']);
  ws.addRow(['身份证号']);
  ws.addRow([idNumber]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function setup(ctx: AuthzContext): Promise<void> {
  const ids = ctx.ids;
  ids.enrProg = (await ctx.api('city', 'POST', '/api/v1/programs', cityProgram)).id;
  await ctx.api('city', 'PUT', `/api/v1/programs/${ids.enrProg}/quotas`, [
    { countyId: ids.countyA, seats: 150 },
    { countyId: ids.countyB, seats: 150 },
  ]);
  await ctx.api('city', 'POST', `/api/v1/programs/${ids.enrProg}/open`);
  ids.enrA = (
    await ctx.api('countyA', 'POST', `/api/v1/programs/${ids.enrProg}/enrolments`, { teacherId: ids.teacherA })
  ).id;
  ids.enrB = (
    await ctx.api('countyB', 'POST', `/api/v1/programs/${ids.enrProg}/enrolments`, { teacherId: ids.teacherB })
  ).id;
  ids.enrSelf = (
    await ctx.api('countyA', 'POST', `/api/v1/programs/${ids.enrProg}/enrolments`, { teacherId: ids.teacherSelf })
  ).id;
  await ctx.api('city', 'POST', `/api/v1/enrolments/${ids.enrSelf}/approve`);
  ids.enrCohort = (
    await ctx.api('city', 'POST', `/api/v1/programs/${ids.enrProg}/cohorts`, {
      name: '矩阵推荐班',
      capacity: 300,
      startDate: '2032-07-15',
      endDate: '2032-07-25',
      trainerIds: [ids.userTrainer],
    })
  ).id;
  await ctx.api('city', 'POST', `/api/v1/cohorts/${ids.enrCohort}/assignments`, { enrolmentIds: [ids.enrSelf] });
  ids.enrProgA = (
    await ctx.api('countyA', 'POST', '/api/v1/programs', {
      kind: 'COUNTY_THEMATIC',
      year: 2032,
      title: '矩阵兰山推荐专题',
      seats: 50,
      creditHours: 12,
      certificatePrefix: 'AZEA',
    })
  ).id;
  await ctx.api('countyA', 'POST', `/api/v1/programs/${ids.enrProgA}/open`);
  await ctx.api('countyA', 'POST', `/api/v1/programs/${ids.enrProgA}/cohorts`, {
    name: '矩阵兰山班',
    capacity: 50,
    startDate: '2032-08-01',
    endDate: '2032-08-05',
  });
}

/** Every enrolment in the reply belongs to what the actor may see. */
const scoped = (res: { body: any }, { ctx, actor }: Call) => {
  const items: any[] = res.body.items;
  if (actor === 'countyA' && items.some((e) => e.countyId !== ctx.ids.countyA))
    throw new Error('county A sees other counties');
  if (actor === 'countyB' && items.some((e) => e.countyId !== ctx.ids.countyB))
    throw new Error('county B sees other counties');
  if (actor === 'teacher' && items.some((e) => e.teacherId !== ctx.ids.teacherSelf))
    throw new Error('the teacher sees others');
  if (actor === 'trainer' && items.some((e) => e.cohortId === null))
    throw new Error('the trainer sees trainees outside its cohorts');
  if (items.some((e) => !String(e.idNumber).includes('*'))) throw new Error('身份证号 not masked');
};

const fresh =
  (county: 'A' | 'B', approved = false) =>
  async ({ ctx }: Omit<Call, 'vars'>) => ({ fresh: await enrolment(ctx, county, approved) });
const freshTeacher =
  (school: 'schoolA' | 'schoolB') =>
  async ({ ctx }: Omit<Call, 'vars'>) => {
    const t = await teacherAt(ctx, school);
    return { teacherId: t.id, idNumber: t.idNumber };
  };

/**
 * A fresh city program (per actor's call) with approved trainees: one of county A (`ta`) and, unless
 * `onlyB`, one of county B (`tb`), for opening the trainees' accounts (spec §12).
 */
const approvedProgram =
  (onlyB = false) =>
  async ({ ctx }: Omit<Call, 'vars'>) => {
    const p = await ctx.api('city', 'POST', '/api/v1/programs', {
      ...cityProgram,
      title: `矩阵开通账号${ctx.serial()}`,
    });
    await ctx.api('city', 'PUT', `/api/v1/programs/${p.id}/quotas`, [
      { countyId: ctx.ids.countyA, seats: 5 },
      { countyId: ctx.ids.countyB, seats: 5 },
    ]);
    await ctx.api('city', 'POST', `/api/v1/programs/${p.id}/open`);
    const vars: Record<string, number> = { program: p.id };
    for (const [key, county, school] of [
      ['ta', 'countyA', 'schoolA'],
      ['tb', 'countyB', 'schoolB'],
    ] as const) {
      if (onlyB && key === 'ta') continue;
      const t = await teacherAt(ctx, school);
      const e = await ctx.api(county, 'POST', `/api/v1/programs/${p.id}/enrolments`, { teacherId: t.id });
      await ctx.api('city', 'POST', `/api/v1/enrolments/${e.id}/approve`);
      vars[key] = t.id;
    }
    return vars;
  };

/** The opened accounts are the actor's own county's trainees (all of them for the city). */
const openedInScope = (res: { body: any }, { actor, vars }: Call) => {
  const got = (res.body as { teacherId: number }[]).map((a) => a.teacherId).sort();
  const want = (actor === 'countyA' ? [vars.ta] : actor === 'countyB' ? [vars.tb] : [vars.ta, vars.tb])
    .filter((v) => v !== undefined)
    .sort();
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`${actor} opened the accounts of teachers ${got}, expected ${want}`);
};

export const routes: RouteRow[] = [
  // ——— nominating ———
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProg}/enrolments',
    name: 'nominate a county A teacher (county A only)',
    setup: freshTeacher('schoolA'),
    body: ({ vars }) => ({ teacherId: vars.teacherId }),
    expect: { anonymous: 401, city: 403, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProg}/enrolments',
    name: 'nominate a county B teacher (county B only)',
    setup: freshTeacher('schoolB'),
    body: ({ vars }) => ({ teacherId: vars.teacherId }),
    expect: { anonymous: 401, city: 403, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProgA}/enrolments',
    name: 'nominate into county A’s own thematic program',
    setup: freshTeacher('schoolA'),
    body: ({ vars }) => ({ teacherId: vars.teacherId }),
    expect: { anonymous: 401, city: 403, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProg}/enrolments/import',
    name: 'bulk-nominate a county A teacher from .xlsx (county B: no such teacher → 400, nothing written)',
    setup: freshTeacher('schoolA'),
    upload: async ({ vars }) => ({ field: 'file', filename: '推荐名单.xlsx', content: await sheet(vars.idNumber) }),
    expect: { anonymous: 401, city: 403, countyA: 201, countyB: 400, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProg}/enrolments/import-template',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 403, teacher: 403 },
  },

  // ——— reading ———
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProg}/enrolments',
    name: 'a program’s enrolments (scoped, masked)',
    check: scoped,
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProgA}/enrolments',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments',
    name: 'all enrolments the actor may see',
    check: scoped,
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments?countyId={countyB}',
    name: 'county B’s enrolments (county A sees none)',
    check: scoped,
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments/{enrA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments/{enrB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/enrolments/{enrSelf}',
    name: 'the teacher’s own enrolment (also its cohort’s trainer)',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 200, teacher: 200 },
  },

  // ——— transitions ———
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/approve',
    name: 'approve a county A nomination (owner: the city)',
    setup: fresh('A'),
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/approve',
    name: 'approve a county B nomination',
    setup: fresh('B'),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/reject',
    name: 'reject a county A nomination',
    setup: fresh('A'),
    body: { reason: '矩阵不通过' },
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/withdraw',
    name: 'withdraw a county A nomination (county A only)',
    setup: fresh('A'),
    body: { reason: '矩阵撤回' },
    expect: { anonymous: 401, city: 403, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/withdraw',
    name: 'withdraw a county B nomination (county B only)',
    setup: fresh('B'),
    expect: { anonymous: 401, city: 403, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/confirm',
    name: 'the teacher confirms their own approved enrolment',
    setup: async ({ ctx }) => ({ fresh: await ownEnrolment(ctx, true) }),
    expect: { anonymous: 401, city: 403, countyA: 403, countyB: 403, trainer: 403, teacher: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/confirm',
    name: 'confirm someone else’s enrolment',
    setup: fresh('A', true),
    expect: { anonymous: 401, city: 403, countyA: 403, countyB: 403, trainer: 403, teacher: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/decline',
    name: 'the teacher declines their own nomination',
    setup: async ({ ctx }) => ({ fresh: await ownEnrolment(ctx, false) }),
    body: { reason: '矩阵放弃' },
    expect: { anonymous: 401, city: 403, countyA: 403, countyB: 403, trainer: 403, teacher: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/decline',
    name: 'decline someone else’s nomination',
    setup: fresh('A'),
    expect: { anonymous: 401, city: 403, countyA: 403, countyB: 403, trainer: 403, teacher: 404 },
  },

  // ——— 分班 ———
  {
    method: 'POST',
    path: '/api/v1/cohorts/{enrCohort}/assignments',
    name: 'place an approved trainee (owner only)',
    setup: fresh('A', true),
    body: ({ vars }) => ({ enrolmentIds: [vars.fresh] }),
    expect: { anonymous: 401, city: 201, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'DELETE',
    path: '/api/v1/cohorts/{enrCohort}/assignments/{fresh}',
    name: 'take a trainee out of a cohort (owner only)',
    setup: async ({ ctx }) => {
      const id = await enrolment(ctx, 'B', true);
      await ctx.api('city', 'POST', `/api/v1/cohorts/${ctx.ids.enrCohort}/assignments`, { enrolmentIds: [id] });
      return { fresh: id };
    },
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProg}/cohort-assignments/auto',
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProgA}/cohort-assignments/auto',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },

  // ——— roster and figures ———
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProg}/roster',
    name: 'the roster (.xlsx, scoped, masked)',
    check: async (res, { actor }) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      const ids: string[] = [];
      ws.eachRow((row, n) => n > 2 && ids.push(String(row.getCell(4).value)));
      if (ids.some((v) => !v.includes('*'))) throw new Error('unmasked 身份证号 in the roster');
      const counties = new Set<string>();
      ws.eachRow((row, n) => n > 2 && counties.add(String(row.getCell(6).value)));
      if (actor === 'countyA' && [...counties].some((c) => c !== '兰山区'))
        throw new Error(`county A's roster has ${[...counties]}`);
    },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProgA}/roster',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProg}/figures',
    name: 'per-county figures (a county: its own row)',
    check: (res, { ctx, actor }) => {
      if (actor === 'countyA' && res.body.counties.some((c: any) => c.countyId !== ctx.ids.countyA))
        throw new Error('county A sees other counties’ figures');
    },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{enrProgA}/figures',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  // ——— opening the approved trainees' accounts (spec §12) ———
  {
    method: 'POST',
    path: '/api/v1/programs/{program}/accounts',
    name: 'open the approved trainees’ accounts (a county: its own teachers only)',
    setup: approvedProgram(),
    check: openedInScope,
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{program}/accounts',
    name: 'a program whose approved trainees are all county B’s: county A has nobody to open (409, nothing written)',
    setup: approvedProgram(true),
    check: openedInScope,
    expect: { anonymous: 401, city: 201, countyA: 409, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{enrProgA}/accounts',
    name: 'county A’s thematic program: out of county B’s sight (404); nobody approved (409)',
    expect: { anonymous: 401, city: 409, countyA: 409, countyB: 404, trainer: 403, teacher: 403 },
  },
];
