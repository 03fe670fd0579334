/**
 * Authorisation rows of organisations, teachers, users, auth and audit (issue 3).
 * county A = 兰山区, county B = 罗庄区; fixtures in context.ts.
 */
import * as ExcelJS from 'exceljs';
import { Call, makeIdNumber, makePhone, only, Reply, RouteRow, Upload } from './authz';

const staff = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 403 };
const admins = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 403, teacher: 403 };

/** A fresh teacher at the school with an account opened by the city: `{ user }` is the account's id. */
const teacherAccount =
  (school: 'schoolA' | 'schoolB') =>
  async ({ ctx }: { ctx: Call['ctx'] }) => {
    const id = await ctx.newTeacher(ctx.ids[school]);
    const [opened] = await ctx.api('city', 'POST', '/api/v1/teachers/accounts', { teacherIds: [id] });
    return { user: opened.userId, teacher: id };
  };

/** A teacher body with fresh 身份证号/phone at the given school. */
const teacherBody =
  (school: 'schoolA' | 'schoolB') =>
  ({ ctx }: Call) => {
    const n = ctx.serial();
    return { name: `矩阵${n}`, idNumber: makeIdNumber(n), phone: makePhone(n), schoolId: ctx.ids[school] };
  };

/** An import sheet of one teacher at the school with this name; a fresh 身份证号 unless one is given. */
const sheet =
  (school: string, idNumber?: (c: Call) => string) =>
  async (c: Call): Promise<Upload> => {
    const n = c.ctx.serial();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('教师');
    ws.addRow(['姓名', '身份证号', '手机号', '学校']);
    ws.addRow([`导入${n}`, idNumber ? idNumber(c) : makeIdNumber(n), makePhone(n), school]);
    return { field: 'file', filename: 'teachers.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) };
  };

/** The data rows of an exported sheet, as arrays of cell values. */
async function exported(res: Reply): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw as any);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((r, i) => {
    if (i > 1) rows.push((r.values as unknown[]).slice(1));
  });
  return rows;
}

export const routes: RouteRow[] = [
  // ——— organisations ———
  { method: 'GET', path: '/api/v1/organisations', expect: staff },
  {
    method: 'GET',
    path: '/api/v1/organisations?type=SCHOOL&parentId={countyB}',
    name: 'list schools of county B (county A sees none)',
    expect: staff,
    check: (res, { actor, ctx }) => {
      const ids = res.body.items.map((o: any) => o.id);
      if (actor === 'countyA' && ids.length) throw new Error(`county A sees county B schools ${ids}`);
      if (['city', 'countyB'].includes(actor) && !ids.includes(ctx.ids.schoolB)) throw new Error('school B missing');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/organisations/{schoolA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 200, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/organisations/{schoolB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 200, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/organisations/{countyA}',
    name: 'a county unit is readable by every staff member',
    expect: staff,
  },
  {
    method: 'POST',
    path: '/api/v1/organisations',
    name: 'create a school in county A',
    body: ({ ctx }) => ({
      type: 'SCHOOL',
      name: `矩阵学校${ctx.serial()}`,
      parentId: ctx.ids.countyA,
      povertyVillage: false,
      receivingSchool: false,
    }),
    // County B names county A (a unit it may see) as the parent: 403 NOT_OWN_COUNTY, nothing written.
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/organisations',
    name: 'create a training institution (city only)',
    body: ({ ctx }) => ({ type: 'INSTITUTION', name: `矩阵机构${ctx.serial()}` }),
    expect: { anonymous: 401, city: 201, countyA: 400, countyB: 400, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/organisations/{schoolA}',
    body: { receivingSchool: false },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/organisations/{schoolB}',
    body: { receivingSchool: false },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/organisations/{countyA}',
    name: 'rename a county unit (city only)',
    body: { name: '兰山区' },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 },
  },

  // ——— teachers ———
  {
    method: 'GET',
    path: '/api/v1/teachers',
    expect: admins,
    check: (res, { actor, ctx }) => {
      const counties = new Set(res.body.items.map((x: any) => x.countyId));
      if (actor === 'countyA' && [...counties].some((c) => c !== ctx.ids.countyA))
        throw new Error('county A sees other counties');
      if (res.body.items.some((x: any) => !x.idNumber.includes('*') || !x.phone.includes('*')))
        throw new Error('list not masked');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers?countyId={countyB}',
    name: 'list filtered by county B',
    expect: admins,
    check: (res, { actor }) => {
      if (actor === 'countyA' && res.body.total !== 0)
        throw new Error(`county A sees ${res.body.total} county B teachers`);
      if (['city', 'countyB'].includes(actor) && res.body.total === 0) throw new Error('county B teachers missing');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers',
    name: 'create a teacher at school A',
    body: teacherBody('schoolA'),
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers',
    name: 'create a teacher at school B',
    body: teacherBody('schoolB'),
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherA}',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherB}',
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherSelf}',
    name: 'the teacher reads their own record',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/{teacherA}?full=true',
    name: 'full 身份证号 only for the city (audited)',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
    check: (res, { actor }) => {
      if (res.status !== 200) return;
      const masked = res.body.idNumber.includes('*');
      if (actor === 'city' ? masked : !masked)
        throw new Error(`${actor} got idNumber ${masked ? 'masked' : 'in full'}`);
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/teachers/{teacherA}',
    body: { subject: '数学' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/teachers/{teacherB}',
    body: { subject: '数学' },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/teachers/{teacherSelf}',
    name: 'a teacher cannot change their own record',
    body: { subject: '物理' },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/teachers/{fresh}',
    name: 'move a county A teacher to school B',
    setup: async ({ ctx }) => ({ fresh: await ctx.newTeacher(ctx.ids.schoolA) }),
    body: ({ ctx }) => ({ schoolId: ctx.ids.schoolB }),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 },
  },

  {
    method: 'GET',
    path: '/api/v1/teachers/import-template',
    expect: admins,
    check: (res) => {
      if (!String(res.headers['content-type']).includes('spreadsheetml') || res.raw.length < 1000)
        throw new Error('not an xlsx');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers/import',
    name: 'import a school A sheet (no countyId: the city must name one)',
    upload: sheet('矩阵兰山小学'),
    // County B: school A is not a school of county B → IMPORT_INVALID, nothing written.
    expect: { anonymous: 401, city: 400, countyA: 200, countyB: 400, trainer: 403, teacher: 403 },
    check: (res) => {
      if (res.body.created !== 1) throw new Error(`created ${res.body.created}`);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers/import?countyId={countyA}',
    name: 'import into county A by id',
    upload: sheet('矩阵兰山小学'),
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers/import?countyId={countyB}',
    name: 'import into county B by id',
    upload: sheet('矩阵罗庄中学'),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers/import?countyId={countyA}',
    name: 'import county B teacher B into county A (takeover refused)',
    setup: async ({ ctx }) => ({
      idNumberB: (await ctx.api('city', 'GET', `/api/v1/teachers/${ctx.ids.teacherB}?full=true`)).idNumber,
    }),
    upload: sheet('矩阵兰山小学', ({ vars }) => vars.idNumberB),
    expect: { anonymous: 401, city: 400, countyA: 400, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/export',
    expect: admins,
    check: async (res, { actor }) => {
      const rows = await exported(res);
      if (actor !== 'countyB' && !rows.length) throw new Error('empty export');
      if (rows.some((r) => !String(r[1]).includes('*'))) throw new Error('export not masked');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/export?countyId={countyB}',
    name: 'export filtered by county B',
    expect: admins,
    check: async (res, { actor }) => {
      const rows = await exported(res);
      if (actor === 'countyA' && rows.length) throw new Error(`county A exported ${rows.length} county B teachers`);
      if (actor !== 'countyA' && !rows.length) throw new Error('county B teachers missing');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/teachers/export?full=true',
    name: 'full export only for the city (audited)',
    expect: admins,
    check: async (res, { actor }) => {
      const masked = (await exported(res)).map((r) => String(r[1]).includes('*'));
      if (actor === 'city' ? masked.some(Boolean) : !masked.every(Boolean)) throw new Error(`${actor}: wrong masking`);
    },
  },

  // ——— users ———
  { method: 'GET', path: '/api/v1/users', expect: admins },
  {
    method: 'POST',
    path: '/api/v1/users',
    name: 'account for a county A teacher',
    setup: async ({ ctx }) => {
      const id = await ctx.newTeacher(ctx.ids.schoolA);
      const t = await ctx.api('city', 'GET', `/api/v1/teachers/${id}?full=true`);
      return { id, phone: t.phone };
    },
    body: ({ vars }) => ({ username: vars.phone, password: 'Once12345', role: 'TEACHER', teacherId: vars.id }),
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    name: 'account for a county B teacher',
    setup: async ({ ctx }) => {
      const id = await ctx.newTeacher(ctx.ids.schoolB);
      const t = await ctx.api('city', 'GET', `/api/v1/teachers/${id}?full=true`);
      return { id, phone: t.phone };
    },
    body: ({ vars }) => ({ username: vars.phone, password: 'Once12345', role: 'TEACHER', teacherId: vars.id }),
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    name: 'a county admin account (city only)',
    body: ({ ctx }) => ({
      username: `matrix_admin_${ctx.serial()}`,
      password: 'Once12345',
      role: 'COUNTY_ADMIN',
      organisationId: ctx.ids.countyA,
    }),
    expect: { anonymous: 401, city: 201, countyA: 400, countyB: 400, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/users?q=matrix&organisationId={countyA}',
    name: 'list accounts with state, filtered',
    expect: admins,
    check: (res) => {
      for (const u of res.body.items)
        if (!('lockedUntil' in u) || !('active' in u) || !('lastLoginAt' in u)) throw new Error('state missing');
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{user}',
    name: 'disable a county A teacher account',
    setup: teacherAccount('schoolA'),
    body: { active: false },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{user}',
    name: 'disable a county B teacher account',
    setup: teacherAccount('schoolB'),
    body: { active: false },
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{user}',
    name: 'change the role of a trainer account (city only)',
    setup: async ({ ctx }) => ({
      user: (
        await ctx.api('city', 'POST', '/api/v1/users', {
          username: `matrix_trainer_${ctx.serial()}`,
          password: 'Once12345',
          role: 'TRAINER',
        })
      ).id,
    }),
    body: ({ ctx }) => ({ role: 'COUNTY_ADMIN', organisationId: ctx.ids.countyA }),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{user}',
    name: 'a county may not change a role, even of its own teacher',
    setup: teacherAccount('schoolA'),
    body: { role: 'TRAINER' },
    expect: { anonymous: 401, city: 400, countyA: 403, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/users/{user}/reset-password',
    setup: teacherAccount('schoolA'),
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
    check: (res) => {
      if (!/^[A-Za-z0-9]{10}$/.test(res.body.temporaryPassword)) throw new Error('no one-time password');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/users/{user}/reset-password',
    name: 'reset a county B teacher password',
    setup: teacherAccount('schoolB'),
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/users/{userTeacher}/unlock',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers/accounts',
    name: 'open accounts for county A teachers',
    setup: async ({ ctx }) => ({ teacher: await ctx.newTeacher(ctx.ids.schoolA) }),
    body: ({ vars }) => ({ teacherIds: [vars.teacher] }),
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 404, trainer: 403, teacher: 403 },
    check: (res, { vars }) => {
      if (res.body[0]?.teacherId !== vars.teacher || !res.body[0].temporaryPassword) throw new Error('not opened');
    },
  },
  {
    method: 'POST',
    path: '/api/v1/teachers/accounts',
    name: 'open accounts for county B teachers',
    setup: async ({ ctx }) => ({ teacher: await ctx.newTeacher(ctx.ids.schoolB) }),
    body: ({ vars }) => ({ teacherIds: [vars.teacher] }),
    expect: { anonymous: 401, city: 201, countyA: 404, countyB: 201, trainer: 403, teacher: 403 },
  },

  // ——— auth ———
  {
    method: 'GET',
    path: '/api/v1/auth/me',
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
    check: (res, { actor, ctx }) => {
      if (actor !== 'anonymous' && res.body.username !== ctx.usernames[actor])
        throw new Error(`me is ${res.body.username}`);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/password',
    name: 'change own password',
    body: ({ ctx, actor }) =>
      actor === 'anonymous'
        ? { currentPassword: 'x', newPassword: 'Whatever123' }
        : { currentPassword: ctx.passwords[actor], newPassword: `${ctx.passwords[actor]}9` },
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 },
    check: (res, { ctx, actor }) => {
      if (actor === 'anonymous' || res.status !== 200) return;
      // The change ends the actor's other sessions: the rows after this one use the new token.
      ctx.passwords[actor] = `${ctx.passwords[actor]}9`;
      ctx.tokens[actor] = res.body.accessToken;
    },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    name: 'logout ends the token (each actor logs in again after)',
    expect: { anonymous: 401, city: 204, countyA: 204, countyB: 204, trainer: 204, teacher: 204 },
    check: async (_res, { ctx, actor }) => {
      if (actor === 'anonymous') return;
      const stale = await ctx.http.get('/api/v1/auth/me').auth(ctx.tokens[actor]!, { type: 'bearer' });
      if (stale.status !== 401) throw new Error(`token still works after logout (${stale.status})`);
      const relog = await ctx.http
        .post('/api/v1/auth/login')
        .send({ username: ctx.usernames[actor], password: ctx.passwords[actor] });
      ctx.tokens[actor] = relog.body.accessToken;
    },
  },
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    name: 'login with unknown credentials (public route)',
    body: { username: 'matrix_nobody', password: 'Nobody1234' },
    expect: { anonymous: 401, city: 401, countyA: 401, countyB: 401, trainer: 401, teacher: 401 },
    // The attempt counts against the address's login throttle (rate_counter), on purpose.
    writesWhenDenied: true,
  },

  // ——— audit ———
  { method: 'GET', path: '/api/v1/audit', expect: only({ city: 200 }) },
  {
    method: 'GET',
    path: '/api/v1/audit?entity=teacher&entityId={teacherA}',
    name: 'audit of one teacher',
    expect: only({ city: 200 }),
    check: (res, { actor }) => {
      if (actor === 'city' && res.body.total === 0) throw new Error('no audit lines for teacher A');
    },
  },
];
