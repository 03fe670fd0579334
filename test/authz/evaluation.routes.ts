/**
 * Authorisation rows of 训后评价 (issue 19 §1): the template, the form, the trainees' answers, the
 * results, their export and the office's per-lecturer results. county A = 兰山区, county B = 罗庄区.
 *
 * Fixtures (inserted through ctx.db): a city program whose cohort X is trained by the `trainer` actor
 * and has teacherSelf as a trainee, and a county A thematic program with cohort Y (teacherSelf not in it).
 */
import { AuthzContext, only, RouteRow } from './authz';
import { insertCohort, insertEnrolment, insertProgram } from '../support/survey-fixtures';

const FORM = {
  questions: [
    { kind: 'RATING', text: '总体满意度' },
    { kind: 'TEXT', text: '意见和建议' },
  ],
};

/** A city program's ended cohort with teacherSelf in it and a form: one per actor, as each may answer once. */
async function cityCohortWithForm(ctx: AuthzContext, name: string): Promise<{ cohort: number; question: number }> {
  const program = await insertProgram(ctx.db, { org: ctx.ids.cityOrg, county: null }, `矩阵评价${name}`);
  const cohort = await insertCohort(ctx.db, program, name, { trainerUserId: ctx.ids.userTrainer });
  await insertEnrolment(ctx.db, program, cohort, ctx.ids.teacherSelf);
  const form = await ctx.api('city', 'PUT', `/api/v1/cohorts/${cohort}/survey`, FORM);
  return { cohort, question: form.questions[0].id };
}

export async function setup(ctx: AuthzContext): Promise<void> {
  ctx.ids.svCohortX = (await cityCohortWithForm(ctx, '矩阵评价X班')).cohort;
  const programY = await insertProgram(ctx.db, { org: ctx.ids.countyA, county: ctx.ids.countyA }, '矩阵评价兰山专题');
  ctx.ids.svCohortY = await insertCohort(ctx.db, programY, '矩阵评价Y班');
  await ctx.api('countyA', 'PUT', `/api/v1/cohorts/${ctx.ids.svCohortY}/survey`, FORM);
}

export const routes: RouteRow[] = [
  { method: 'GET', path: '/api/v1/survey-templates/default', expect: only({ city: 200, countyA: 200, countyB: 200 }) },
  {
    method: 'PUT',
    path: '/api/v1/cohorts/{svCohortY}/survey',
    name: "set county A's form",
    body: FORM,
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PUT',
    path: '/api/v1/cohorts/{svCohortX}/survey',
    name: "set the city's form (answered by no one yet)",
    body: { template: 'DEFAULT' },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{svCohortX}/survey',
    name: "read a city cohort's form (counties read the city's running programs)",
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{svCohortY}/survey',
    name: "read county A's form",
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{fresh}/survey/responses',
    name: 'a trainee answers their cohort',
    setup: async ({ ctx }) => {
      const { cohort, question } = await cityCohortWithForm(ctx, `矩阵评价${ctx.serial()}`);
      return { fresh: cohort, question };
    },
    body: ({ vars }) => ({ answers: [{ questionId: vars.question, rating: 4 }] }),
    expect: { anonymous: 401, city: 403, countyA: 403, countyB: 403, trainer: 403, teacher: 201 },
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{svCohortY}/survey/responses',
    name: 'a teacher answers a cohort they are not in',
    body: { answers: [{ questionId: 1, rating: 4 }] },
    expect: { anonymous: 401, city: 403, countyA: 403, countyB: 403, trainer: 403, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{svCohortX}/survey/results',
    name: "a city cohort's results: the city and the cohort's trainer",
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 200, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{svCohortY}/survey/results',
    name: "county A's results",
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{svCohortY}/survey/results.xlsx',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{svCohortX}/survey/results.xlsx',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 200, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/survey/lecturers?year=2019',
    expect: only({ city: 200, countyA: 200, countyB: 200 }),
  },
];
