/**
 * Authorisation rows of organisations, teachers, users, auth and audit (issue 3).
 * county A = 兰山区, county B = 罗庄区; fixtures in context.ts.
 */
import { Call, makeIdNumber, makePhone, only, RouteRow } from './authz';

const staff = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 403 };
const admins = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 403, teacher: 403 };

/** A teacher body with fresh 身份证号/phone at the given school. */
const teacherBody = (school: 'schoolA' | 'schoolB') => ({ ctx }: Call) => {
  const n = ctx.serial();
  return { name: `矩阵${n}`, idNumber: makeIdNumber(n), phone: makePhone(n), schoolId: ctx.ids[school] };
};

export const routes: RouteRow[] = [
  // ——— organisations ———
  { method: 'GET', path: '/api/v1/organisations', expect: staff },
  { method: 'GET', path: '/api/v1/organisations?type=SCHOOL&parentId={countyB}', name: 'list schools of county B (county A sees none)', expect: staff,
    check: (res, { actor, ctx }) => {
      const ids = res.body.items.map((o: any) => o.id);
      if (actor === 'countyA' && ids.length) throw new Error(`county A sees county B schools ${ids}`);
      if (['city', 'countyB'].includes(actor) && !ids.includes(ctx.ids.schoolB)) throw new Error('school B missing');
    } },
  { method: 'GET', path: '/api/v1/organisations/{schoolA}', expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 200, teacher: 403 } },
  { method: 'GET', path: '/api/v1/organisations/{schoolB}', expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 200, teacher: 403 } },
  { method: 'GET', path: '/api/v1/organisations/{countyA}', name: 'a county unit is readable by every staff member', expect: staff },
  { method: 'POST', path: '/api/v1/organisations', name: 'create a school in county A',
    body: ({ ctx }) => ({ type: 'SCHOOL', name: `矩阵学校${ctx.serial()}`, parentId: ctx.ids.countyA, povertyVillage: false, receivingSchool: false }),
    // County B names county A as the parent: refused as invalid input (INVALID_PARENT), nothing written.
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 400, trainer: 403, teacher: 403 } },
  { method: 'POST', path: '/api/v1/organisations', name: 'create a training institution (city only)',
    body: ({ ctx }) => ({ type: 'INSTITUTION', name: `矩阵机构${ctx.serial()}` }),
    expect: { anonymous: 401, city: 201, countyA: 400, countyB: 400, trainer: 403, teacher: 403 } },
  { method: 'PATCH', path: '/api/v1/organisations/{schoolA}', body: { receivingSchool: false },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 } },
  { method: 'PATCH', path: '/api/v1/organisations/{schoolB}', body: { receivingSchool: false },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 } },
  { method: 'PATCH', path: '/api/v1/organisations/{countyA}', name: 'rename a county unit (city only)', body: { name: '兰山区' },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 } },

  // ——— teachers ———
  { method: 'GET', path: '/api/v1/teachers', expect: admins,
    check: (res, { actor, ctx }) => {
      const counties = new Set(res.body.items.map((x: any) => x.countyId));
      if (actor === 'countyA' && [...counties].some((c) => c !== ctx.ids.countyA)) throw new Error('county A sees other counties');
      if (res.body.items.some((x: any) => !x.idNumber.includes('*') || !x.phone.includes('*'))) throw new Error('list not masked');
    } },
  { method: 'GET', path: '/api/v1/teachers?countyId={countyB}', name: 'list filtered by county B', expect: admins,
    check: (res, { actor }) => {
      if (actor === 'countyA' && res.body.total !== 0) throw new Error(`county A sees ${res.body.total} county B teachers`);
      if (['city', 'countyB'].includes(actor) && res.body.total === 0) throw new Error('county B teachers missing');
    } },
  { method: 'POST', path: '/api/v1/teachers', name: 'create a teacher at school A', body: teacherBody('schoolA'),
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 } },
  { method: 'POST', path: '/api/v1/teachers', name: 'create a teacher at school B', body: teacherBody('schoolB'),
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 } },
  { method: 'GET', path: '/api/v1/teachers/{teacherA}', expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 } },
  { method: 'GET', path: '/api/v1/teachers/{teacherB}', expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 } },
  { method: 'GET', path: '/api/v1/teachers/{teacherSelf}', name: 'the teacher reads their own record', expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 200 } },
  { method: 'GET', path: '/api/v1/teachers/{teacherA}?full=true', name: 'full 身份证号 only for the city (audited)',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
    check: (res, { actor }) => {
      if (res.status !== 200) return;
      const masked = res.body.idNumber.includes('*');
      if (actor === 'city' ? masked : !masked) throw new Error(`${actor} got idNumber ${masked ? 'masked' : 'in full'}`);
    } },
  { method: 'PATCH', path: '/api/v1/teachers/{teacherA}', body: { subject: '数学' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 } },
  { method: 'PATCH', path: '/api/v1/teachers/{teacherB}', body: { subject: '数学' },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 } },
  { method: 'PATCH', path: '/api/v1/teachers/{teacherSelf}', name: 'a teacher cannot change their own record', body: { subject: '物理' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 } },
  { method: 'PATCH', path: '/api/v1/teachers/{fresh}', name: 'move a county A teacher to school B',
    setup: async ({ ctx }) => ({ fresh: await ctx.newTeacher(ctx.ids.schoolA) }),
    body: ({ ctx }) => ({ schoolId: ctx.ids.schoolB }),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 } },

  // ——— users ———
  { method: 'GET', path: '/api/v1/users', expect: admins },
  { method: 'POST', path: '/api/v1/users', name: 'account for a county A teacher',
    setup: async ({ ctx }) => {
      const id = await ctx.newTeacher(ctx.ids.schoolA);
      const t = await ctx.api('city', 'GET', `/api/v1/teachers/${id}?full=true`);
      return { id, phone: t.phone };
    },
    body: ({ vars }) => ({ username: vars.phone, password: 'Once12345', role: 'TEACHER', teacherId: vars.id }),
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 } },
  { method: 'POST', path: '/api/v1/users', name: 'account for a county B teacher',
    setup: async ({ ctx }) => {
      const id = await ctx.newTeacher(ctx.ids.schoolB);
      const t = await ctx.api('city', 'GET', `/api/v1/teachers/${id}?full=true`);
      return { id, phone: t.phone };
    },
    body: ({ vars }) => ({ username: vars.phone, password: 'Once12345', role: 'TEACHER', teacherId: vars.id }),
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 } },
  { method: 'POST', path: '/api/v1/users', name: 'a county admin account (city only)',
    body: ({ ctx }) => ({ username: `matrix_admin_${ctx.serial()}`, password: 'Once12345', role: 'COUNTY_ADMIN', organisationId: ctx.ids.countyA }),
    expect: { anonymous: 401, city: 201, countyA: 400, countyB: 400, trainer: 403, teacher: 403 } },

  // ——— auth ———
  { method: 'GET', path: '/api/v1/auth/me', expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
    check: (res, { actor, ctx }) => {
      if (actor !== 'anonymous' && res.body.username !== ctx.usernames[actor]) throw new Error(`me is ${res.body.username}`);
    } },
  { method: 'POST', path: '/api/v1/auth/password', name: 'change own password',
    body: ({ ctx, actor }) => (actor === 'anonymous' ? { currentPassword: 'x', newPassword: 'Whatever123' } : { currentPassword: ctx.passwords[actor], newPassword: `${ctx.passwords[actor]}9` }),
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
    check: (res, { ctx, actor }) => {
      if (actor !== 'anonymous' && res.status === 200) ctx.passwords[actor] = `${ctx.passwords[actor]}9`;
    } },
  { method: 'POST', path: '/api/v1/auth/login', name: 'login with unknown credentials (public route)',
    body: { username: 'matrix_nobody', password: 'Nobody1234' },
    expect: { anonymous: 401, city: 401, countyA: 401, countyB: 401, trainer: 401, teacher: 401 } },

  // ——— audit ———
  { method: 'GET', path: '/api/v1/audit', expect: only({ city: 200 }) },
  { method: 'GET', path: '/api/v1/audit?entity=teacher&entityId={teacherA}', name: 'audit of one teacher', expect: only({ city: 200 }),
    check: (res, { actor }) => {
      if (actor === 'city' && res.body.total === 0) throw new Error('no audit lines for teacher A');
    } },
];
