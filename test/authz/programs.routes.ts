/**
 * Authorisation rows of programs, quotas, cohorts and sessions (issue 4).
 * county A = 兰山区, county B = 罗庄区; base fixtures in context.ts.
 *
 * Fixtures: a city program (open, quotas for A and B) with a cohort taught by the `trainer` actor
 * and a session; a city draft; a county A thematic program and a county B one, each with a cohort
 * and a session. Cohort dates are in 2031 so they never collide with other files' cohorts.
 * The owner runs a program (city: its own and, as overseer, the counties'); a county reads the
 * city's open programs (403 when it tries to run them), never another county's (404).
 */
import { AuthzContext, Call, RouteRow } from './authz';

const program = (over: Record<string, unknown> = {}) => ({
  kind: 'BACKBONE_SUMMER',
  year: 2031,
  title: '矩阵项目',
  seats: 20,
  creditHours: 24,
  certificatePrefix: 'AZPG',
  ...over,
});
const thematic = {
  kind: 'COUNTY_THEMATIC',
  year: 2031,
  title: '矩阵县区专题',
  seats: 10,
  creditHours: 12,
  certificatePrefix: 'AZPT',
};

async function draft(ctx: AuthzContext, owner: 'city' | 'countyA' | 'countyB'): Promise<number> {
  return (await ctx.api(owner, 'POST', '/api/v1/programs', owner === 'city' ? program() : thematic)).id;
}

/** A program of the owner moved forward to `status`. */
async function programIn(
  ctx: AuthzContext,
  owner: 'city' | 'countyA',
  status: 'DRAFT' | 'OPEN' | 'CLOSED' | 'RUNNING',
): Promise<number> {
  const id = await draft(ctx, owner);
  const steps = ['open', 'close', 'start'].slice(0, ['DRAFT', 'OPEN', 'CLOSED', 'RUNNING'].indexOf(status));
  for (const s of steps) await ctx.api('city', 'POST', `/api/v1/programs/${id}/${s}`);
  return id;
}

/** A fresh 20-minute session slot (a new serial each call) on 2031-07-16…23, daytime in Asia/Shanghai. */
const slot = (ctx: AuthzContext) => {
  const i = ctx.serial() % (8 * 24);
  const start = Date.parse('2031-07-16T00:00:00Z') + Math.floor(i / 24) * 86_400_000 + (i % 24) * 30 * 60_000;
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + 20 * 60_000).toISOString() };
};
const sessionBody = ({ ctx }: Call) => ({ title: '矩阵课次', hours: 1, ...slot(ctx) });

const cohortBody = ({ ctx }: Call) => ({
  name: `矩阵班${ctx.serial()}`,
  capacity: 30,
  startDate: '2031-07-15',
  endDate: '2031-07-25',
});

export async function setup(ctx: AuthzContext): Promise<void> {
  const ids = ctx.ids;
  ids.progCity = (await ctx.api('city', 'POST', '/api/v1/programs', program({ title: '矩阵市级项目' }))).id;
  await ctx.api('city', 'PUT', `/api/v1/programs/${ids.progCity}/quotas`, [
    { countyId: ids.countyA, seats: 5 },
    { countyId: ids.countyB, seats: 5 },
  ]);
  await ctx.api('city', 'POST', `/api/v1/programs/${ids.progCity}/open`);
  ids.progCityDraft = await draft(ctx, 'city');
  ids.progA = await draft(ctx, 'countyA');
  ids.progB = await draft(ctx, 'countyB');
  const cohort = (actor: 'city' | 'countyA' | 'countyB', programId: number, trainerIds: number[] = []) =>
    ctx.api(actor, 'POST', `/api/v1/programs/${programId}/cohorts`, {
      name: '矩阵一班',
      capacity: 30,
      startDate: '2031-07-15',
      endDate: '2031-07-25',
      trainerIds,
    });
  ids.cohortCity = (await cohort('city', ids.progCity, [ids.userTrainer])).id;
  ids.cohortA = (await cohort('countyA', ids.progA)).id;
  ids.cohortB = (await cohort('countyB', ids.progB)).id;
  const session = (actor: 'city' | 'countyA' | 'countyB', cohortId: number) =>
    ctx.api(actor, 'POST', `/api/v1/cohorts/${cohortId}/sessions`, {
      title: '矩阵固定课次',
      hours: 2,
      startsAt: '2031-07-15T01:00:00Z',
      endsAt: '2031-07-15T03:00:00Z',
    });
  ids.sessionCity = (await session('city', ids.cohortCity)).id;
  ids.sessionA = (await session('countyA', ids.cohortA)).id;
  ids.sessionB = (await session('countyB', ids.cohortB)).id;
}

const noProgramOf =
  (key: 'progB' | 'progA') =>
  (res: { body: any }, { ctx }: Call) => {
    if (res.body.items.some((p: any) => p.id === ctx.ids[key])) throw new Error(`list shows ${key}`);
  };

export const routes: RouteRow[] = [
  // ——— programs ———
  {
    method: 'GET',
    path: '/api/v1/programs',
    name: 'list programs (scoped)',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
    check: (res, c) => {
      if (c.actor === 'countyA') noProgramOf('progB')(res, c);
      if (c.actor === 'countyB') noProgramOf('progA')(res, c);
      if (['trainer', 'teacher'].includes(c.actor)) noProgramOf('progA')(res, c);
      if (c.actor !== 'city' && res.body.items.some((p: any) => p.id === c.ctx.ids.progCityDraft))
        throw new Error('a draft leaks');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/programs',
    name: 'create a city program (city only)',
    body: program(),
    expect: { anonymous: 401, city: 201, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs',
    name: 'create a county thematic program (counties only)',
    body: thematic,
    expect: { anonymous: 401, city: 403, countyA: 201, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progCity}',
    name: 'an open city program: staff read it, the trainer of its cohort too',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progCityDraft}',
    name: 'a city draft: only the city',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/programs/{progA}',
    body: { title: '矩阵县区专题（改）' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/programs/{progCity}',
    name: 'edit a city program (a county reads it but does not own it: 403)',
    body: { title: '矩阵市级项目（改）' },
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{fresh}/open',
    name: 'open a county A draft',
    setup: async ({ ctx }) => ({ fresh: await programIn(ctx, 'countyA', 'DRAFT') }),
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{fresh}/open',
    name: 'open a city draft (invisible to counties)',
    setup: async ({ ctx }) => ({ fresh: await programIn(ctx, 'city', 'DRAFT') }),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{fresh}/close',
    name: 'close an open city program',
    setup: async ({ ctx }) => ({ fresh: await programIn(ctx, 'city', 'OPEN') }),
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{fresh}/start',
    name: 'start a closed county A program',
    setup: async ({ ctx }) => ({ fresh: await programIn(ctx, 'countyA', 'CLOSED') }),
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{fresh}/finish',
    name: 'finish a running county A program',
    setup: async ({ ctx }) => ({ fresh: await programIn(ctx, 'countyA', 'RUNNING') }),
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },

  // ——— quotas ———
  {
    method: 'GET',
    path: '/api/v1/programs/{progCity}/quotas',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progB}/quotas',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'PUT',
    path: '/api/v1/programs/{progCity}/quotas',
    name: 'set the city program quotas (owner only)',
    body: ({ ctx }: Call) => [
      { countyId: ctx.ids.countyA, seats: 6 },
      { countyId: ctx.ids.countyB, seats: 6 },
    ],
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'PUT',
    path: '/api/v1/programs/{progA}/quotas',
    name: 'set a county A thematic quota',
    body: ({ ctx }: Call) => [{ countyId: ctx.ids.countyA, seats: 10 }],
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progCity}/quotas/suggestion',
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progA}/quotas/suggestion',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },

  // ——— cohorts ———
  {
    method: 'POST',
    path: '/api/v1/programs/{progCity}/cohorts',
    body: cohortBody,
    expect: { anonymous: 401, city: 201, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/programs/{progA}/cohorts',
    body: cohortBody,
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progCity}/cohorts',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/programs/{progB}/cohorts',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{cohortCity}',
    name: 'a city cohort: staff, and its trainer',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{cohortA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{cohortB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/cohorts/{cohortA}',
    body: { venue: '矩阵会场' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/cohorts/{cohortCity}',
    body: { venue: '矩阵会场' },
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'PUT',
    path: '/api/v1/cohorts/{cohortA}/trainers',
    body: { trainerIds: [] },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PUT',
    path: '/api/v1/cohorts/{cohortB}/trainers',
    body: { trainerIds: [] },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },

  // ——— sessions ———
  {
    method: 'POST',
    path: '/api/v1/cohorts/{cohortCity}/sessions',
    body: sessionBody,
    expect: { anonymous: 401, city: 201, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{cohortA}/sessions',
    body: sessionBody,
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{cohortB}/sessions',
    body: sessionBody,
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{cohortCity}/sessions',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{cohortA}/sessions',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/sessions/{sessionCity}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/sessions/{sessionA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/sessions/{sessionB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/sessions/{sessionA}',
    body: { room: '矩阵教室' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/sessions/{sessionCity}',
    body: { room: '矩阵教室' },
    expect: { anonymous: 401, city: 200, countyA: 403, countyB: 403, trainer: 403, teacher: 403 },
  },
];
