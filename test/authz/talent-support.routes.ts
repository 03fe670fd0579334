/**
 * Authorisation rows of the talent-support schemes (issue 7): schemes, quotas, placements and their
 * transitions, ledger, register, dashboard. county A = 兰山区, county B = 罗庄区; fixtures in context.ts.
 * Placements go to a 受援学校 in 沂南县 (a third county). Base fixtures are left untouched.
 */
import { AuthzContext, Call, only, RouteRow } from './authz';

const ELIGIBLE = { title: '一级教师', teachingStartYear: 2010, appraisalsQualified: true };
const admins = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 403, teacher: 403 };
/** City and the placement's own county may act; the other county gets 404. */
const ownCounty = (county: 'A' | 'B') => ({
  anonymous: 401,
  city: 200,
  countyA: county === 'A' ? 200 : 404,
  countyB: county === 'B' ? 200 : 404,
  trainer: 403,
  teacher: 403,
});

type Stage = 'NOMINATED' | 'APPROVED' | 'IN_SERVICE';

/** A fresh placement of county A or B, driven to `stage` (the city approves, the county records arrival). */
async function freshPlacement(ctx: AuthzContext, county: 'A' | 'B', stage: Stage): Promise<number> {
  const teacherId = await ctx.newTeacher(county === 'A' ? ctx.ids.schoolA : ctx.ids.schoolB, ELIGIBLE);
  const p = await ctx.api(
    county === 'A' ? 'countyA' : 'countyB',
    'POST',
    `/api/v1/schemes/${ctx.ids.tsScheme}/placements`,
    { teacherId, receivingSchoolId: ctx.ids.tsReceiving },
  );
  if (stage === 'NOMINATED') return p.id;
  await ctx.api('city', 'POST', `/api/v1/placements/${p.id}/approve`);
  if (stage === 'APPROVED') return p.id;
  await ctx.api('city', 'POST', `/api/v1/placements/${p.id}/arrive`, { arrivalDate: '2019-09-02' });
  return p.id;
}

/** City and county A may act (with `status`), county B gets 404. */
const countyAOnly = (status: number) => ({
  anonymous: 401,
  city: status,
  countyA: status,
  countyB: 404,
  trainer: 403,
  teacher: 403,
});

const fresh =
  (county: 'A' | 'B', stage: Stage) =>
  async ({ ctx }: Omit<Call, 'vars'>) => ({ p: await freshPlacement(ctx, county, stage) });

/** A county admin sees only its own county's rows. */
const ownRowsOnly =
  (rows: (body: any) => { countyId: number }[]) =>
  (res: { body: any }, { actor, ctx }: Call) => {
    const own = actor === 'countyA' ? ctx.ids.countyA : actor === 'countyB' ? ctx.ids.countyB : null;
    if (own && rows(res.body).some((r) => r.countyId !== own)) throw new Error(`${actor} sees another county's rows`);
  };

export async function setup(ctx: AuthzContext): Promise<void> {
  const [yinan] = await ctx.db.query(`SELECT id FROM organisation WHERE code = '371321'`);
  ctx.ids.tsReceiving = (
    await ctx.api('city', 'POST', '/api/v1/organisations', {
      type: 'SCHOOL',
      name: '矩阵沂南受援小学',
      parentId: Number(yinan.id),
      povertyVillage: false,
      receivingSchool: true,
    })
  ).id;
  ctx.ids.tsScheme = (
    await ctx.api('city', 'POST', '/api/v1/schemes', {
      kind: 'THREE_DISTRICTS',
      year: 2019,
      places: 1000,
      termStart: '2019-09-01',
      termEnd: '2020-07-15',
    })
  ).id;
  await ctx.api('city', 'PUT', `/api/v1/schemes/${ctx.ids.tsScheme}/quotas`, [
    { countyId: ctx.ids.countyA, places: 400 },
    { countyId: ctx.ids.countyB, places: 400 },
  ]);
  ctx.ids.tsPlacementA = await freshPlacement(ctx, 'A', 'IN_SERVICE');
  // A scheme that pays travel per trip, for the trip rows (issue 23).
  ctx.ids.tsTripScheme = (
    await ctx.api('city', 'POST', '/api/v1/schemes', {
      kind: 'WESTERN_BELT',
      year: 2019,
      places: 10,
      termStart: '2019-09-01',
      termEnd: '2020-07-15',
      stipendItems: { travelMode: 'PER_TRIP', travelFen: 10_000, travelTrips: 52, insuranceFen: 20_000 },
    })
  ).id;
  await ctx.api('city', 'PUT', `/api/v1/schemes/${ctx.ids.tsTripScheme}/quotas`, [
    { countyId: ctx.ids.countyA, places: 5 },
  ]);
  const tripTeacher = await ctx.newTeacher(ctx.ids.schoolA, ELIGIBLE);
  const trip = await ctx.api('countyA', 'POST', `/api/v1/schemes/${ctx.ids.tsTripScheme}/placements`, {
    teacherId: tripTeacher,
    receivingSchoolId: ctx.ids.tsReceiving,
  });
  await ctx.api('city', 'POST', `/api/v1/placements/${trip.id}/approve`);
  await ctx.api('city', 'POST', `/api/v1/placements/${trip.id}/arrive`, { arrivalDate: '2019-09-02' });
  ctx.ids.tsTripPlacementA = trip.id;
  ctx.ids.tsPlacementB = await freshPlacement(ctx, 'B', 'IN_SERVICE');
  // Programs for the placement warnings: a city program (open, so the counties read it) and a county A thematic one.
  ctx.ids.tsProgramCity = (
    await ctx.api('city', 'POST', '/api/v1/programs', {
      kind: 'BACKBONE_SUMMER',
      year: 2019,
      title: '矩阵支教提醒市级项目',
      seats: 10,
      creditHours: 24,
      attendanceThreshold: 0.8,
      certificatePrefix: 'AZTW',
    })
  ).id;
  await ctx.api('city', 'PUT', `/api/v1/programs/${ctx.ids.tsProgramCity}/quotas`, [
    { countyId: ctx.ids.countyA, seats: 5 },
  ]);
  await ctx.api('city', 'POST', `/api/v1/programs/${ctx.ids.tsProgramCity}/open`);
  ctx.ids.tsProgramCounty = (
    await ctx.api('countyA', 'POST', '/api/v1/programs', {
      kind: 'COUNTY_THEMATIC',
      year: 2019,
      title: '矩阵支教提醒兰山专题',
      seats: 10,
      creditHours: 12,
      certificatePrefix: 'AZTX',
    })
  ).id;
}

export const routes: RouteRow[] = [
  // ——— schemes and quotas ———
  {
    method: 'POST',
    path: '/api/v1/schemes',
    name: 'create a scheme (city only)',
    body: { kind: 'WESTERN_BELT', year: 2020, places: 10, termStart: '2020-09-01', termEnd: '2021-07-15' },
    expect: only({ city: 201 }),
  },
  { method: 'GET', path: '/api/v1/schemes', expect: admins },
  { method: 'GET', path: '/api/v1/schemes/receiving-schools', expect: admins },
  { method: 'GET', path: '/api/v1/schemes/{tsScheme}', expect: admins },
  { method: 'PATCH', path: '/api/v1/schemes/{tsScheme}', body: { title: '矩阵三区计划' }, expect: only({ city: 200 }) },
  {
    method: 'GET',
    path: '/api/v1/schemes/{tsScheme}/quotas',
    name: 'quotas (a county sees its own)',
    expect: admins,
    check: ownRowsOnly((b) => b),
  },
  {
    method: 'PUT',
    path: '/api/v1/schemes/{tsScheme}/quotas',
    body: ({ ctx }) => [
      { countyId: ctx.ids.countyA, places: 400 },
      { countyId: ctx.ids.countyB, places: 400 },
    ],
    expect: only({ city: 200 }),
  },

  // ——— nomination: a county for its own teachers only ———
  {
    method: 'POST',
    path: '/api/v1/schemes/{tsScheme}/placements',
    name: 'nominate a county A teacher',
    setup: async ({ ctx }) => ({ teacherId: await ctx.newTeacher(ctx.ids.schoolA, ELIGIBLE) }),
    body: ({ ctx, vars }) => ({ teacherId: vars.teacherId, receivingSchoolId: ctx.ids.tsReceiving }),
    expect: { anonymous: 401, city: 403, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/schemes/{tsScheme}/placements',
    name: 'nominate a county B teacher',
    setup: async ({ ctx }) => ({ teacherId: await ctx.newTeacher(ctx.ids.schoolB, ELIGIBLE) }),
    body: ({ ctx, vars }) => ({ teacherId: vars.teacherId, receivingSchoolId: ctx.ids.tsReceiving }),
    expect: { anonymous: 401, city: 403, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },

  // ——— register, ledger, dashboard (scoped to the county) ———
  { method: 'GET', path: '/api/v1/schemes/{tsScheme}/placements', expect: admins, check: ownRowsOnly((b) => b.items) },
  {
    method: 'GET',
    path: '/api/v1/schemes/{tsScheme}/placements?countyId={countyB}',
    name: 'register filtered by county B (county A sees none)',
    expect: admins,
    check: ownRowsOnly((b) => b.items),
  },
  {
    method: 'GET',
    path: '/api/v1/schemes/{tsScheme}/register/export',
    expect: admins,
    check: (res) => {
      if (!/spreadsheetml/.test(res.headers['content-type'])) throw new Error('not an xlsx');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/schemes/{tsScheme}/ledger',
    expect: admins,
    check: ownRowsOnly((b) => [...b.rows, ...b.counties]),
  },
  { method: 'GET', path: '/api/v1/schemes/{tsScheme}/ledger/export', expect: admins },
  {
    method: 'GET',
    path: '/api/v1/schemes/{tsScheme}/dashboard',
    expect: admins,
    check: ownRowsOnly((b) => b.counties),
  },

  // ——— placements ———
  {
    method: 'GET',
    path: '/api/v1/placements',
    name: 'placements (county: own teachers; teacher: own)',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 403, teacher: 200 },
    check: (res, c) => {
      ownRowsOnly((b) => b.items)(res, c);
      if (c.actor === 'teacher' && res.body.items.some((p: any) => p.teacherId !== c.ctx.ids.teacherSelf))
        throw new Error('teacher sees others');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/placements/{tsPlacementA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/placements/{tsPlacementB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/approve',
    name: 'approve (city only)',
    setup: fresh('A', 'NOMINATED'),
    expect: only({ city: 200 }),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/reject',
    name: 'reject (city only)',
    setup: fresh('B', 'NOMINATED'),
    body: { reason: '材料不全' },
    expect: only({ city: 200 }),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/arrive',
    name: 'arrival of a county A placement',
    setup: fresh('A', 'APPROVED'),
    body: { arrivalDate: '2019-09-03' },
    expect: ownCounty('A'),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/arrive',
    name: 'arrival of a county B placement',
    setup: fresh('B', 'APPROVED'),
    body: { arrivalDate: '2019-09-03' },
    expect: ownCounty('B'),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/complete',
    name: 'completion of a county A placement',
    setup: fresh('A', 'IN_SERVICE'),
    body: { assessment: '合格', comment: '完成任务' },
    expect: ownCounty('A'),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/complete',
    name: 'completion of a county B placement',
    setup: fresh('B', 'IN_SERVICE'),
    body: { assessment: '优秀', comment: '成效明显' },
    expect: ownCounty('B'),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/terminate',
    name: 'early return of a county A placement',
    setup: fresh('A', 'IN_SERVICE'),
    body: { date: '2019-12-31', reason: '因病返回' },
    expect: ownCounty('A'),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{p}/terminate',
    name: 'early return of a county B placement',
    setup: fresh('B', 'IN_SERVICE'),
    body: { date: '2019-12-31', reason: '因病返回' },
    expect: ownCounty('B'),
  },

  // ——— issue 23: default rules, stipend records, teams ———
  { method: 'GET', path: '/api/v1/scheme-rule-defaults', expect: admins },
  {
    method: 'PUT',
    path: '/api/v1/scheme-rule-defaults/WESTERN_BELT',
    name: 'set the 西部隆起带 default rules (city only)',
    body: { minYearsOfService: 5 },
    expect: only({ city: 200 }),
  },
  {
    method: 'GET',
    path: '/api/v1/placements/{tsPlacementA}/stipend',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{tsPlacementA}/payments',
    name: 'record a payment (实发) for a county A placement',
    body: { month: '2019-09', amountFen: 1, paidOn: '2019-10-01' },
    expect: countyAOnly(201),
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{tsPlacementB}/payments',
    name: 'record a payment (实发) for a county B placement',
    body: { month: '2019-09', amountFen: 1, paidOn: '2019-10-01' },
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/placements/{tsTripPlacementA}/trips',
    name: 'record a trip of a county A placement',
    body: { date: '2019-10-01' },
    expect: countyAOnly(201),
  },
  {
    method: 'POST',
    path: '/api/v1/schemes/{tsScheme}/teams',
    name: 'team two county A placements',
    setup: async ({ ctx }) => ({
      p1: await freshPlacement(ctx, 'A', 'NOMINATED'),
      p2: await freshPlacement(ctx, 'A', 'NOMINATED'),
    }),
    body: ({ vars }) => ({ name: '矩阵支教团', placementIds: [vars.p1, vars.p2], leaderPlacementId: vars.p1 }),
    expect: countyAOnly(201),
  },
  {
    method: 'GET',
    path: '/api/v1/schemes/{tsScheme}/teams',
    expect: admins,
    check: ownRowsOnly((b) => b),
  },
  {
    method: 'DELETE',
    path: '/api/v1/teams/{team}',
    name: 'dissolve a county A team',
    setup: async ({ ctx }) => {
      const placementIds = [await freshPlacement(ctx, 'A', 'NOMINATED'), await freshPlacement(ctx, 'A', 'NOMINATED')];
      const team = await ctx.api('countyA', 'POST', `/api/v1/schemes/${ctx.ids.tsScheme}/teams`, {
        name: '矩阵解散团',
        placementIds,
        leaderPlacementId: placementIds[0],
      });
      return { team: team.id };
    },
    expect: countyAOnly(204),
  },

  // ——— placement warnings of a training program: its owner only ———
  {
    method: 'GET',
    path: '/api/v1/programs/{tsProgramCity}/placement-warnings',
    name: 'placement warnings of a city program',
    expect: only({ city: 200 }),
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{tsProgramCounty}/placement-warnings',
    name: 'placement warnings of a county A program',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
];
