/**
 * Authorisation rows of attendance (issue 5): check-in codes, self check-in, the trainer's list,
 * marking, closing, sign-in sheets, completion, matrices, leave and a teacher's own attendance.
 * county A = 兰山区, county B = 罗庄区; base fixtures in context.ts.
 *
 * Fixtures, through the API and on the real clock (check-in is only open around "now"):
 * - a city program: teacherSelf nominated by county A, approved, confirmed by themself and placed in
 *   cohort 考勤矩阵班 (trainer: the `trainer` actor), with an open session (started 10 minutes ago), a
 *   session that ended yesterday and sessions the day after tomorrow (for leave); a second cohort
 *   (same trainer, no trainees) whose only session has ended (completion succeeds);
 * - a county A thematic program with a cohort and an open session (no trainer, no trainees).
 * A teacher never receives a check-in code; a county reading the city's schedule gets 403, another
 * county's objects 404.
 */
import { AuthzContext, Call, Reply, RouteRow } from './authz';

const DAY = 86_400_000;
const shanghaiDate = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
/** 'YYYY-MM-DD' + 'HH:mm' in Asia/Shanghai → ISO string. */
const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).toISOString();

const staffOnly = (trainer: number, city: number, countyA = 403, countyB = 403) => ({
  anonymous: 401,
  teacher: 403,
  trainer,
  countyB,
  countyA,
  city,
});

async function session(
  ctx: AuthzContext,
  actor: 'city' | 'countyA',
  cohortId: number,
  title: string,
  startsAt: string,
  endsAt: string,
  hours = 2,
): Promise<number> {
  return (await ctx.api(actor, 'POST', `/api/v1/cohorts/${cohortId}/sessions`, { title, startsAt, endsAt, hours })).id;
}

/** A new session of 考勤矩阵班 on the day after tomorrow, in the next free 30-minute slot. */
async function futureSession(ctx: AuthzContext): Promise<number> {
  const slot = (ctx.fx.attSlot = (ctx.fx.attSlot ?? 0) + 1);
  const start = new Date(`${ctx.fx.attFutureDay}T07:00:00+08:00`).getTime() + slot * 30 * 60_000;
  return session(
    ctx,
    'city',
    ctx.ids.attCohort,
    `矩阵请假课次${slot}`,
    new Date(start).toISOString(),
    new Date(start + 20 * 60_000).toISOString(),
    1, // 20 minutes: at most one class hour
  );
}

/** A pending leave request of the teacher actor for a fresh future session. */
const freshLeave = async ({ ctx }: Omit<Call, 'vars'>) => {
  const sessionId = await futureSession(ctx);
  return {
    fresh: (
      await ctx.api('teacher', 'POST', '/api/v1/leave-requests', {
        sessionIds: [sessionId],
        type: 'PERSONAL',
        reason: '矩阵请假',
      })
    ).id,
  };
};

/** The current code of a session, fetched by the city (the owner). */
const currentCode =
  (key: string) =>
  async ({ ctx }: Omit<Call, 'vars'>) => ({
    code: (await ctx.api('city', 'GET', `/api/v1/sessions/${ctx.ids[key]}/checkin-code`)).code,
  });

export async function setup(ctx: AuthzContext): Promise<void> {
  const ids = ctx.ids;
  const now = Date.now();
  const yesterday = shanghaiDate(now - DAY);
  ctx.fx.attFutureDay = shanghaiDate(now + 2 * DAY);

  const program = await ctx.api('city', 'POST', '/api/v1/programs', {
    kind: 'BACKBONE_SUMMER',
    year: 2026,
    title: '矩阵考勤项目',
    seats: 10,
    creditHours: 24,
    certificatePrefix: 'AZAT',
  });
  ids.attProgram = program.id;
  await ctx.api('city', 'PUT', `/api/v1/programs/${program.id}/quotas`, [{ countyId: ids.countyA, seats: 10 }]);
  await ctx.api('city', 'POST', `/api/v1/programs/${program.id}/open`);
  const enrolment = await ctx.api('countyA', 'POST', `/api/v1/programs/${program.id}/enrolments`, {
    teacherId: ids.teacherSelf,
  });
  ids.attEnrolment = enrolment.id;
  await ctx.api('city', 'POST', `/api/v1/enrolments/${enrolment.id}/approve`);
  await ctx.api('teacher', 'POST', `/api/v1/enrolments/${enrolment.id}/confirm`);

  const cohort = (name: string) =>
    ctx.api('city', 'POST', `/api/v1/programs/${program.id}/cohorts`, {
      name,
      capacity: 10,
      startDate: yesterday,
      endDate: ctx.fx.attFutureDay,
      venue: '矩阵教室',
      trainerIds: [ids.userTrainer],
    });
  ids.attCohort = (await cohort('考勤矩阵班')).id;
  ids.attCohortDone = (await cohort('考勤矩阵空班')).id;
  await ctx.api('city', 'POST', `/api/v1/cohorts/${ids.attCohort}/assignments`, { enrolmentIds: [enrolment.id] });

  ids.attOpen = await session(
    ctx,
    'city',
    ids.attCohort,
    '矩阵进行中课次',
    new Date(now - 10 * 60_000).toISOString(),
    new Date(now + 3 * 3600_000).toISOString(),
  );
  ids.attPast = await session(
    ctx,
    'city',
    ids.attCohort,
    '矩阵已结束课次',
    at(yesterday, '09:00'),
    at(yesterday, '11:00'),
  );
  await session(ctx, 'city', ids.attCohortDone, '矩阵空班课次', at(yesterday, '09:00'), at(yesterday, '11:00'));
  ids.attFuture = await futureSession(ctx);
  ids.attLeave = (
    await ctx.api('teacher', 'POST', '/api/v1/leave-requests', {
      sessionIds: [ids.attFuture],
      type: 'SICK',
      reason: '矩阵病假',
    })
  ).id;

  const county = await ctx.api('countyA', 'POST', '/api/v1/programs', {
    kind: 'COUNTY_THEMATIC',
    year: 2026,
    title: '矩阵兰山区考勤专题',
    seats: 10,
    creditHours: 12,
    certificatePrefix: 'AZLA',
  });
  ids.attCountyCohort = (
    await ctx.api('countyA', 'POST', `/api/v1/programs/${county.id}/cohorts`, {
      name: '兰山考勤班',
      capacity: 10,
      startDate: yesterday,
      endDate: ctx.fx.attFutureDay,
    })
  ).id;
  ids.attCountyOpen = await session(
    ctx,
    'countyA',
    ids.attCountyCohort,
    '兰山进行中课次',
    new Date(now - 10 * 60_000).toISOString(),
    new Date(now + 3 * 3600_000).toISOString(),
  );
}

const hasCode = (res: Reply) => {
  if (!/^[A-Za-z0-9_-]{16}$/.test(res.body?.code) || !String(res.body?.qrSvg).startsWith('<svg'))
    throw new Error(`no code/QR in ${JSON.stringify(res.body).slice(0, 200)}`);
};
const isPdf = (res: Reply) => {
  if (res.raw.subarray(0, 5).toString() !== '%PDF-') throw new Error('not a PDF');
};
const isXlsx = (res: Reply) => {
  if (res.raw.subarray(0, 2).toString() !== 'PK') throw new Error('not an .xlsx (zip)');
};

export const routes: RouteRow[] = [
  // ——— check-in code: never a teacher ———
  {
    method: 'GET',
    path: '/api/v1/sessions/{attOpen}/checkin-code',
    name: 'check-in code of a city session: its trainer and the city; counties read but do not run it',
    expect: staffOnly(200, 200),
    check: hasCode,
  },
  {
    method: 'GET',
    path: '/api/v1/sessions/{attCountyOpen}/checkin-code',
    name: 'check-in code of a county A session: county B and an unassigned trainer do not see it',
    expect: staffOnly(404, 200, 200, 404),
    check: hasCode,
  },

  // ——— self check-in: the teacher of the cohort only ———
  {
    method: 'POST',
    path: '/api/v1/sessions/{attOpen}/checkins',
    name: 'self check-in with a valid code: the trainee only',
    setup: currentCode('attOpen'),
    body: ({ vars }) => ({ code: vars.code }),
    expect: { anonymous: 401, teacher: 201, trainer: 403, countyB: 403, countyA: 403, city: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/sessions/{attCountyOpen}/checkins',
    name: 'self check-in to a cohort the teacher is not in: 404',
    setup: currentCode('attCountyOpen'),
    body: ({ vars }) => ({ code: vars.code }),
    expect: { anonymous: 401, teacher: 404, trainer: 403, countyB: 403, countyA: 403, city: 403 },
  },

  // ——— the trainer's list, marking, closing, sign-in sheets ———
  { method: 'GET', path: '/api/v1/sessions/{attOpen}/attendance', expect: staffOnly(200, 200) },
  {
    method: 'GET',
    path: '/api/v1/sessions/{attCountyOpen}/attendance',
    name: 'attendance list of a county A session',
    expect: staffOnly(404, 200, 200, 404),
  },
  {
    method: 'PUT',
    path: '/api/v1/sessions/{attPast}/attendance/{attEnrolment}',
    body: { status: 'LATE', reason: '矩阵更正' },
    expect: staffOnly(200, 200),
  },
  {
    method: 'POST',
    path: '/api/v1/sessions/{attPast}/close',
    name: 'close an ended session',
    expect: staffOnly(200, 200),
  },
  {
    method: 'POST',
    path: '/api/v1/sessions/{attFuture}/close',
    name: 'close a session that has not started: 409 for those who may',
    expect: staffOnly(409, 409),
  },
  { method: 'GET', path: '/api/v1/sessions/{attOpen}/sign-in-sheet.pdf', expect: staffOnly(200, 200), check: isPdf },
  {
    method: 'GET',
    path: '/api/v1/sessions/{attCountyOpen}/sign-in-sheet.pdf',
    name: 'sign-in sheet of a county A session',
    expect: staffOnly(404, 200, 200, 404),
    check: isPdf,
  },

  // ——— cohorts: completion and matrices ———
  {
    method: 'POST',
    path: '/api/v1/cohorts/{attCohortDone}/completion',
    name: 'completion of a cohort whose sessions have ended',
    expect: staffOnly(200, 200),
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{attCohort}/completion',
    name: 'completion before the last session ends: 409 for those who may',
    expect: staffOnly(409, 409),
  },
  {
    method: 'POST',
    path: '/api/v1/cohorts/{attCountyCohort}/completion',
    name: 'completion of a county A cohort',
    expect: staffOnly(404, 409, 409, 404),
  },
  { method: 'GET', path: '/api/v1/cohorts/{attCohort}/attendance', expect: staffOnly(200, 200) },
  { method: 'GET', path: '/api/v1/cohorts/{attCohort}/attendance.xlsx', expect: staffOnly(200, 200), check: isXlsx },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{attCountyCohort}/attendance.xlsx',
    name: 'attendance matrix of a county A cohort',
    expect: staffOnly(404, 200, 200, 404),
    check: isXlsx,
  },
  { method: 'GET', path: '/api/v1/cohorts/{attCohort}/passes.pdf', expect: staffOnly(200, 200), check: isPdf },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{attCountyCohort}/passes.pdf?layout=roster',
    name: 'printed passes of a county A cohort',
    expect: staffOnly(404, 200, 200, 404),
    check: isPdf,
  },

  // The timetable (issue 19): also for the cohort's trainees (the teacher actor is one of 考勤矩阵班).
  {
    method: 'GET',
    path: '/api/v1/cohorts/{attCohort}/timetable.pdf',
    name: 'timetable of the teacher actor’s cohort',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 403, countyA: 403, city: 200 },
    check: isPdf,
  },
  {
    method: 'GET',
    path: '/api/v1/cohorts/{attCountyCohort}/timetable.pdf',
    name: 'timetable of a county A cohort',
    expect: { anonymous: 401, teacher: 404, trainer: 404, countyB: 404, countyA: 200, city: 200 },
    check: isPdf,
  },

  // ——— leave ———
  {
    method: 'POST',
    path: '/api/v1/leave-requests',
    name: 'ask for leave: the trainee only',
    setup: async ({ ctx }) => ({ sessionId: await futureSession(ctx) }),
    body: ({ vars }) => ({ sessionIds: [vars.sessionId], type: 'SICK', reason: '矩阵' }),
    expect: { anonymous: 401, teacher: 201, trainer: 403, countyB: 403, countyA: 403, city: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/leave-requests',
    name: 'ask for leave from a session of another cohort: 404',
    body: ({ ctx }) => ({ sessionIds: [ctx.ids.attCountyOpen], type: 'SICK', reason: '矩阵' }),
    expect: { anonymous: 401, teacher: 404, trainer: 403, countyB: 403, countyA: 403, city: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/leave-requests',
    name: 'leave list, scoped',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 200, countyA: 200, city: 200 },
    check: (res, { ctx, actor }) => {
      const teachers = new Set<number>(res.body.items.map((l: any) => l.teacherId));
      const sees = teachers.has(ctx.ids.teacherSelf);
      if (actor === 'countyB' ? sees || teachers.size : !sees)
        throw new Error(`${actor} sees teachers ${[...teachers].join(',')}`);
      if (actor === 'teacher' && teachers.size !== 1) throw new Error('a teacher sees others’ requests');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/leave-requests/{attLeave}',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 200, city: 200 },
  },
  {
    method: 'PUT',
    path: '/api/v1/leave-requests/{attLeave}/attachment',
    name: 'attach a note to a leave request: its teacher only',
    upload: () => ({ field: 'file', content: Buffer.from('%PDF-1.4\n%%EOF\n'), filename: '假条.pdf' }),
    expect: { anonymous: 401, teacher: 200, trainer: 403, countyB: 403, countyA: 403, city: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/leave-requests/{attLeave}/attachment',
    name: 'a leave request’s note: its teacher and who decides it; the county that reads the request does not',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 403, city: 200 },
    check: (res) => {
      if (res.headers['content-type'] !== 'application/pdf') throw new Error(`type ${res.headers['content-type']}`);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/leave-requests/{fresh}/approve',
    setup: freshLeave,
    expect: staffOnly(200, 200, 403, 404),
  },
  {
    method: 'POST',
    path: '/api/v1/leave-requests/{fresh}/refuse',
    setup: freshLeave,
    body: { note: '矩阵' },
    expect: staffOnly(200, 200, 403, 404),
  },

  // ——— personal passes, offline scans, on-site 报到 (spec §14) ———
  {
    method: 'GET',
    path: '/api/v1/enrolments/{attEnrolment}/pass',
    name: 'a trainee’s pass: the teacher, the cohort’s trainer, the owner; the county sees but may not',
    expect: { anonymous: 401, teacher: 200, trainer: 200, countyB: 404, countyA: 403, city: 200 },
    check: (res) => {
      if (!/^P1\./.test(res.body?.token)) throw new Error(`no pass in ${JSON.stringify(res.body).slice(0, 200)}`);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/checkin-passes/public-key',
    name: 'the key that verifies passes: anyone',
    expect: { anonymous: 200, teacher: 200, trainer: 200, countyB: 200, countyA: 200, city: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/sessions/{attOpen}/scans',
    name: 'sync scans of passes: the cohort’s trainer and the owner',
    setup: async ({ ctx }) => ({
      token: (await ctx.api('city', 'GET', `/api/v1/enrolments/${ctx.ids.attEnrolment}/pass`)).token,
    }),
    body: ({ vars }) => ({ scans: [{ token: vars.token, scannedAt: new Date().toISOString() }] }),
    expect: staffOnly(200, 200),
  },
  {
    method: 'POST',
    path: '/api/v1/sessions/{attCountyOpen}/scans',
    name: 'sync scans to a county A session',
    body: { scans: [{ token: 'P1.x', scannedAt: '2026-01-01T00:00:00Z' }] },
    expect: staffOnly(404, 200, 200, 404),
  },
  {
    method: 'POST',
    path: '/api/v1/enrolments/{fresh}/on-site-confirm',
    name: 'on-site 报到 of an approved, assigned trainee: the cohort’s trainer and the owner',
    setup: async ({ ctx }) => {
      const teacherId = await ctx.newTeacher(ctx.ids.schoolA);
      const e = await ctx.api('countyA', 'POST', `/api/v1/programs/${ctx.ids.attProgram}/enrolments`, { teacherId });
      await ctx.api('city', 'POST', `/api/v1/enrolments/${e.id}/approve`);
      await ctx.api('city', 'POST', `/api/v1/cohorts/${ctx.ids.attCohort}/assignments`, { enrolmentIds: [e.id] });
      return { fresh: e.id };
    },
    expect: { anonymous: 401, teacher: 403, trainer: 200, countyB: 404, countyA: 403, city: 200 },
  },

  // ——— a teacher's own attendance ———
  {
    method: 'GET',
    path: '/api/v1/me/attendance',
    expect: { anonymous: 401, teacher: 200, trainer: 403, countyB: 403, countyA: 403, city: 403 },
    check: (res, { ctx }) => {
      if (!res.body.items.some((i: any) => i.cohortId === ctx.ids.attCohort)) throw new Error('own cohort missing');
    },
  },
];
