import { account, binary, createProgram, readXlsx, setQuotas, xlsx } from './support/enrolment-fixtures';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  makeIdNumber,
  makePhone,
} from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

// testTimeout of a jest project entry is not applied (a global option): room for a busy machine.
jest.setTimeout(60_000);

describe('enrolment: nominations, transitions, waitlist, 分班, roster (issue 4)', () => {
  let t: TestApp;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let countyA: string;
  let countyB: string;
  let schoolA: number;
  let richA: number;
  let schoolB: number;
  let serial = 1000;
  const phoneOf = new Map<number, string>();
  const teacher = async (school: number, extra: Record<string, unknown> = {}) => {
    const n = serial++;
    const id = await createTeacher(t.http, admin, school, n, extra);
    phoneOf.set(id, makePhone(n));
    return id;
  };
  /** The teacher's own account (username = phone), password already changed. */
  const teacherAccount = (teacherId: number) =>
    account(t.http, countyA, { username: phoneOf.get(teacherId)!, role: 'TEACHER', teacherId });
  const teachers = async (school: number, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await teacher(school));
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'luozhuang');
    schoolA = await createSchool(t.http, admin, lanshan, '兰山区某贫困村小学');
    richA = await createSchool(t.http, admin, lanshan, '兰山区城区小学', { povertyVillage: false });
    schoolB = await createSchool(t.http, admin, luozhuang, '罗庄区某贫困村小学');
  }, 120_000);
  afterAll(async () => t?.close(), 60_000);

  const post = (token: string, path: string, body?: unknown) =>
    t.http
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body as object);
  const get = (token: string, path: string) => t.http.get(path).auth(token, { type: 'bearer' });
  const nominate = (token: string, program: number, teacherId: number) =>
    post(token, `/api/v1/programs/${program}/enrolments`, { teacherId });
  const enrolmentCount = async () => Number((await t.db.query('SELECT COUNT(*) AS n FROM enrolment'))[0].n);
  const quotaOf = async (program: number, county: number) =>
    (
      await t.db.query('SELECT seats, nominatedCount FROM county_quota WHERE programId = ? AND countyId = ?', [
        program,
        county,
      ])
    )[0];

  describe('nominating', () => {
    let program: number;
    let a: number[];
    beforeAll(async () => {
      program = await createProgram(t.http, admin, { seats: 10 });
      await setQuotas(t.http, admin, program, [
        { countyId: lanshan, seats: 2 },
        { countyId: luozhuang, seats: 2 },
      ]);
      a = await teachers(schoolA, 4);
    }, 120_000);

    it('NOMINATED within the county quota, WAITLISTED beyond it (201)', async () => {
      const statuses = [];
      for (const id of a) {
        const res = await nominate(countyA, program, id).expect(201);
        expect(res.body).toMatchObject({ programId: program, teacherId: id, countyId: lanshan, cohortId: null });
        expect(res.body.idNumber).toContain('*');
        statuses.push(res.body.status);
      }
      expect(statuses).toEqual(['NOMINATED', 'NOMINATED', 'WAITLISTED', 'WAITLISTED']);
      expect(await quotaOf(program, lanshan)).toMatchObject({ nominatedCount: 2 });
      const got = await get(
        countyA,
        `/api/v1/enrolments/${(await get(countyA, `/api/v1/programs/${program}/enrolments?status=WAITLISTED`)).body.items[0].id}`,
      ).expect(200);
      expect(got.body.status).toBe('WAITLISTED');
    });

    it('never enrols a teacher twice in a program (409 ALREADY_ENROLLED)', async () => {
      const res = await nominate(countyA, program, a[0]).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'ALREADY_ENROLLED' });
      expect(res.body.message).toMatch(/已报名/);
    });

    it('refuses a teacher whose school is not a 贫困村学校 (409 NOT_ELIGIBLE), and other eligibility rules', async () => {
      const rich = await teacher(richA);
      const res = await nominate(countyA, program, rich).expect(409);
      expect(res.body.code).toBe('NOT_ELIGIBLE');
      expect(res.body.message).toMatch(/贫困村学校/);
      const strict = await createProgram(t.http, admin, {
        minBackboneLevel: 'CITY',
        stages: ['初中'],
        subjects: ['数学'],
        seats: 5,
      });
      await setQuotas(t.http, admin, strict, [{ countyId: lanshan, seats: 5 }]);
      const plain = await teacher(schoolA, { stage: '小学', subject: '语文', backboneLevel: 'COUNTY' });
      const why = await nominate(countyA, strict, plain).expect(409);
      expect(why.body.code).toBe('NOT_ELIGIBLE');
      expect(why.body.message).toMatch(/市级及以上骨干教师/);
      expect(why.body.message).toMatch(/学段须为初中/);
      expect(why.body.message).toMatch(/学科须为数学/);
      const fits = await teacher(schoolA, { stage: '初中', subject: '数学', backboneLevel: 'PROVINCE' });
      expect((await nominate(countyA, strict, fits).expect(201)).body.status).toBe('NOMINATED');
    });

    it('a county nominates only its own teachers: another county’s teacher → 404; only counties nominate', async () => {
      const b = await teacher(schoolB);
      const res = await nominate(countyA, program, b).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      await nominate(admin, program, a[0]).expect(403);
      expect((await nominate(countyB, program, b).expect(201)).body.status).toBe('NOMINATED');
    });

    it('nothing before opening or after the deadline (409 with a Chinese message)', async () => {
      const x = await teacher(schoolA);
      // A city draft is invisible to counties (404); a closed program is visible but not open (409).
      await nominate(countyA, await createProgram(t.http, admin, {}, false), x).expect(404);
      const shut = await createProgram(t.http, admin);
      await post(admin, `/api/v1/programs/${shut}/close`).expect(200);
      const closed = await nominate(countyA, shut, x).expect(409);
      expect(closed.body.code).toBe('PROGRAM_NOT_OPEN');
      expect(closed.body.message).toMatch(/推荐截止/);
      const late = await createProgram(t.http, admin, { seats: 5 });
      await setQuotas(t.http, admin, late, [{ countyId: lanshan, seats: 5 }]);
      await t.http
        .patch(`/api/v1/programs/${late}`)
        .auth(admin, { type: 'bearer' })
        .send({ nominationDeadline: new Date(Date.now() - 60_000).toISOString() })
        .expect(200);
      const before = await enrolmentCount();
      const res = await nominate(countyA, late, x).expect(409);
      expect(res.body.code).toBe('DEADLINE_PASSED');
      expect(res.body.message).toMatch(/截止/);
      expect(await enrolmentCount()).toBe(before);
    });

    it('a county with no quota in the program gets 409 NO_QUOTA', async () => {
      const p = await createProgram(t.http, admin, { seats: 5 });
      const res = await nominate(countyA, p, await teacher(schoolA)).expect(409);
      expect(res.body.code).toBe('NO_QUOTA');
    });
  });

  describe('transitions', () => {
    let program: number;
    let ids: number[]; // enrolment ids of county A: 3 nominated, 2 waitlisted
    let teacherIds: number[];
    let self: { id: number; token: string };
    beforeAll(async () => {
      program = await createProgram(t.http, admin, { seats: 10 });
      await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 3 }]);
      teacherIds = await teachers(schoolA, 5);
      ids = [];
      for (const id of teacherIds) ids.push((await nominate(countyA, program, id).expect(201)).body.id);
      self = await teacherAccount(teacherIds[0]);
    }, 120_000);

    it('approves only NOMINATED: a second approve is 409 with a code; an alternate cannot be approved', async () => {
      const ok = await post(admin, `/api/v1/enrolments/${ids[0]}/approve`).expect(200);
      expect(ok.body.status).toBe('APPROVED');
      const again = await post(admin, `/api/v1/enrolments/${ids[0]}/approve`).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'INVALID_TRANSITION' });
      expect(again.body.message).toMatch(/审核通过/);
      expect((await post(admin, `/api/v1/enrolments/${ids[3]}/approve`).expect(409)).body.code).toBe(
        'INVALID_TRANSITION',
      );
      expect((await get(admin, `/api/v1/programs/${program}`)).body.approvedCount).toBe(1);
      // Only the owner approves: the county of the teacher is not the owner of a city program.
      expect((await post(countyA, `/api/v1/enrolments/${ids[1]}/approve`).expect(403)).body.code).toBe(
        'NOT_PROGRAM_OWNER',
      );
      await post(countyB, `/api/v1/enrolments/${ids[1]}/approve`).expect(404);
      await post(self.token, `/api/v1/enrolments/${ids[1]}/approve`).expect(403);
    });

    it('never approves beyond the program seats (409 SEATS_FULL)', async () => {
      await t.db.query('UPDATE program SET approvedCount = seats WHERE id = ?', [program]);
      const res = await post(admin, `/api/v1/enrolments/${ids[1]}/approve`).expect(409);
      expect(res.body.code).toBe('SEATS_FULL');
      expect((await get(admin, `/api/v1/enrolments/${ids[1]}`)).body.status).toBe('NOMINATED');
      await t.db.query('UPDATE program SET approvedCount = 1 WHERE id = ?', [program]);
    });

    it('rejects with a reason; the freed seat goes to the county’s first alternate (FIFO) in the same step', async () => {
      const noReason = await post(admin, `/api/v1/enrolments/${ids[1]}/reject`, {}).expect(400);
      expect(noReason.body.errors[0].field).toBe('reason');
      const res = await post(admin, `/api/v1/enrolments/${ids[1]}/reject`, { reason: '近三年考核材料不全' }).expect(
        200,
      );
      expect(res.body).toMatchObject({ status: 'REJECTED', reason: '近三年考核材料不全' });
      expect((await get(admin, `/api/v1/enrolments/${ids[3]}`)).body.status).toBe('NOMINATED');
      expect((await get(admin, `/api/v1/enrolments/${ids[4]}`)).body.status).toBe('WAITLISTED');
      expect(await quotaOf(program, lanshan)).toMatchObject({ nominatedCount: 3 });
      await post(admin, `/api/v1/enrolments/${ids[1]}/reject`, { reason: '再次' }).expect(409);
      const audit = await get(admin, `/api/v1/audit?entity=enrolment&entityId=${ids[3]}`).expect(200);
      expect(audit.body.items.map((x: any) => x.action)).toEqual(expect.arrayContaining(['nominate', 'promote']));
    });

    it('the teacher confirms (报到) their own approved enrolment; nobody else can', async () => {
      await post(countyA, `/api/v1/enrolments/${ids[0]}/confirm`).expect(403);
      const other = await teacherAccount(teacherIds[1]);
      await post(other.token, `/api/v1/enrolments/${ids[0]}/confirm`).expect(404);
      const res = await post(self.token, `/api/v1/enrolments/${ids[0]}/confirm`).expect(200);
      expect(res.body.status).toBe('CONFIRMED');
      await post(self.token, `/api/v1/enrolments/${ids[0]}/confirm`).expect(409);
      const mine = await get(self.token, '/api/v1/enrolments').expect(200);
      expect(mine.body.items.map((e: any) => e.id)).toEqual([ids[0]]);
      await get(self.token, `/api/v1/programs/${program}`).expect(200);
    });

    it('the county withdraws before the start; seats go back and the next alternate moves up', async () => {
      const before = (await get(admin, `/api/v1/programs/${program}`)).body.approvedCount;
      const res = await post(countyA, `/api/v1/enrolments/${ids[0]}/withdraw`, { reason: '工作调动' }).expect(200);
      expect(res.body.status).toBe('WITHDRAWN');
      expect((await get(admin, `/api/v1/programs/${program}`)).body.approvedCount).toBe(before - 1);
      expect((await get(admin, `/api/v1/enrolments/${ids[4]}`)).body.status).toBe('NOMINATED');
      await post(countyA, `/api/v1/enrolments/${ids[0]}/withdraw`).expect(409);
      await post(countyB, `/api/v1/enrolments/${ids[2]}/withdraw`).expect(404);
      await post(admin, `/api/v1/enrolments/${ids[2]}/withdraw`).expect(403);
    });

    it('the teacher declines before the start; declining frees the seat too', async () => {
      const extra = await teacher(schoolA);
      const alt = (await nominate(countyA, program, extra).expect(201)).body;
      expect(alt.status).toBe('WAITLISTED');
      const me = await teacherAccount(extra);
      // ids[2] is NOMINATED; its teacher declines.
      const owner = await teacherAccount(teacherIds[2]);
      const res = await post(owner.token, `/api/v1/enrolments/${ids[2]}/decline`, { reason: '家中有事' }).expect(200);
      expect(res.body).toMatchObject({ status: 'DECLINED', reason: '家中有事' });
      expect((await get(admin, `/api/v1/enrolments/${alt.id}`)).body.status).toBe('NOMINATED');
      await post(owner.token, `/api/v1/enrolments/${ids[2]}/decline`).expect(409);
      await post(me.token, `/api/v1/enrolments/${ids[3]}/decline`).expect(404);
    });

    it('after the start: no withdraw, no decline (409 PROGRAM_STARTED); no approvals while running', async () => {
      const p = await createProgram(t.http, admin, { seats: 5 });
      await setQuotas(t.http, admin, p, [{ countyId: lanshan, seats: 5 }]);
      const e1 = (await nominate(countyA, p, await teacher(schoolA)).expect(201)).body.id;
      const e2 = (await nominate(countyA, p, await teacher(schoolA)).expect(201)).body.id;
      await post(admin, `/api/v1/enrolments/${e1}/approve`).expect(200);
      await post(admin, `/api/v1/programs/${p}/close`).expect(200);
      await post(admin, `/api/v1/programs/${p}/start`).expect(200);
      const res = await post(countyA, `/api/v1/enrolments/${e1}/withdraw`).expect(409);
      expect(res.body.code).toBe('PROGRAM_STARTED');
      expect(res.body.message).toMatch(/培训已开始/);
      expect((await post(admin, `/api/v1/enrolments/${e2}/approve`).expect(409)).body.code).toBe('PROGRAM_STATUS');
    });
  });

  describe('bulk nomination from .xlsx', () => {
    let program: number;
    beforeAll(async () => {
      program = await createProgram(t.http, admin, { seats: 20 });
      await setQuotas(t.http, admin, program, [
        { countyId: lanshan, seats: 2 },
        { countyId: luozhuang, seats: 5 },
      ]);
    }, 120_000);
    const upload = (token: string, content: Buffer, name = '推荐名单.xlsx') =>
      t.http
        .post(`/api/v1/programs/${program}/enrolments/import`)
        .auth(token, { type: 'bearer' })
        .attach('file', content, name);

    it('is all-or-nothing, with row errors [{row, column, message}] in Chinese', async () => {
      await teacher(schoolA); // row 3 (and its duplicate, row 7)
      await teacher(richA); // row 5: not a 贫困村学校
      await teacher(schoolB); // row 6: county B's teacher, not named to county A
      const n1 = serial - 3;
      const bad = makeIdNumber(n1).slice(0, 17) + (makeIdNumber(n1).endsWith('0') ? '1' : '0');
      const content = await xlsx([
        ['2019年暑期骨干教师培训推荐名单（兰山区）'],
        ['序号', '姓名', '身份证号'],
        [1, '教师', makeIdNumber(n1)],
        [2, '教师', bad],
        [3, '教师', makeIdNumber(serial - 2)],
        [4, '教师', makeIdNumber(serial - 1)],
        [5, '教师', makeIdNumber(n1)],
        [6, '教师', makeIdNumber(999_999)],
      ]);
      const before = await enrolmentCount();
      const res = await upload(countyA, content).expect(400);
      expect(res.body.code).toBe('IMPORT_INVALID');
      expect(res.body.errors).toEqual([
        { row: 4, column: '身份证号', message: '身份证号格式或校验码不正确' },
        { row: 5, column: '身份证号', message: expect.stringMatching(/不符合报名条件：所在学校不是贫困村学校/) },
        { row: 6, column: '身份证号', message: expect.stringMatching(/本县区没有/) }, // county B's teacher: not named
        { row: 7, column: '身份证号', message: '与第 3 行重复' },
        { row: 8, column: '身份证号', message: expect.stringMatching(/本县区没有/) },
      ]);
      expect(await enrolmentCount()).toBe(before);
    });

    it('nominates every row in file order: within quota NOMINATED, the rest WAITLISTED; by 身份证号 or 手机号', async () => {
      const ids = await teachers(schoolA, 3);
      const content = await xlsx([
        ['推荐名单'],
        ['身份证号', '手机号'],
        [makeIdNumber(serial - 3), null],
        [null, makePhone(serial - 2)],
        [makeIdNumber(serial - 1), makePhone(serial - 1)],
        [null, null],
      ]);
      const res = await upload(countyA, content).expect(201);
      expect(res.body).toMatchObject({ nominated: 2, waitlisted: 1 });
      const list = await get(countyA, `/api/v1/programs/${program}/enrolments?countyId=${lanshan}`).expect(200);
      expect(list.body.items.map((e: any) => [e.teacherId, e.status])).toEqual([
        [ids[0], 'NOMINATED'],
        [ids[1], 'NOMINATED'],
        [ids[2], 'WAITLISTED'],
      ]);
      // The same list again: every row is already enrolled → nothing written.
      const again = await upload(countyA, content).expect(400);
      expect(again.body.errors).toHaveLength(3);
      expect(again.body.errors[0].message).toMatch(/已报名本项目/);
    });

    it('refuses files without the identifying column, non-xlsx files, and numbers as 身份证号', async () => {
      const noHeader = await upload(countyA, await xlsx([['姓名'], ['张三']])).expect(400);
      expect(noHeader.body.errors[0].message).toMatch(/身份证号/);
      await upload(countyA, Buffer.from('a,b\n'), 'list.csv').expect(400);
      const numeric = await upload(countyA, await xlsx([['身份证号'], [Number('371302197001010011')]])).expect(400);
      // The whole body on failure (a MariaDB CI run once saw a 400 without row errors here).
      expect(numeric.body).toMatchObject({
        code: 'IMPORT_INVALID',
        errors: [{ message: expect.stringMatching(/文本格式/) }],
      });
      await upload(admin, await xlsx([['身份证号'], [makeIdNumber(1)]])).expect(403);
      const tpl = await get(countyA, `/api/v1/programs/${program}/enrolments/import-template`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const ws = await readXlsx(tpl.body);
      expect(ws.getRow(2).getCell(1).value).toBe('身份证号');
    });
  });

  describe('quotas and the waitlist', () => {
    it('raising a quota promotes alternates; a quota cannot drop below what is nominated', async () => {
      const p = await createProgram(t.http, admin, { seats: 10 });
      await setQuotas(t.http, admin, p, [{ countyId: lanshan, seats: 1 }]);
      const e = [];
      for (const id of await teachers(schoolA, 3)) e.push((await nominate(countyA, p, id).expect(201)).body);
      expect(e.map((x) => x.status)).toEqual(['NOMINATED', 'WAITLISTED', 'WAITLISTED']);
      await setQuotas(t.http, admin, p, [{ countyId: lanshan, seats: 2 }]);
      expect((await get(admin, `/api/v1/enrolments/${e[1].id}`)).body.status).toBe('NOMINATED');
      expect((await get(admin, `/api/v1/enrolments/${e[2].id}`)).body.status).toBe('WAITLISTED');
      const below = await t.http
        .put(`/api/v1/programs/${p}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([{ countyId: lanshan, seats: 1 }])
        .expect(409);
      expect(below.body.code).toBe('QUOTA_BELOW_NOMINATED');
      expect(below.body.message).toMatch(/兰山区已推荐 2 人/);
    });
  });

  describe('分班 (cohort assignment)', () => {
    let program: number;
    let approved: number[];
    let pending: number;
    let c1: number;
    let c2: number;
    beforeAll(async () => {
      program = await createProgram(t.http, admin, { seats: 20 });
      await setQuotas(t.http, admin, program, [
        { countyId: lanshan, seats: 10 },
        { countyId: luozhuang, seats: 10 },
      ]);
      approved = [];
      let i = 0;
      for (const school of [schoolA, schoolA, schoolA, schoolA, schoolB, schoolB]) {
        const tid = await teacher(school, { subject: i++ % 2 ? '数学' : '语文' });
        const e = (await nominate(school === schoolA ? countyA : countyB, program, tid).expect(201)).body.id;
        await post(admin, `/api/v1/enrolments/${e}/approve`).expect(200);
        approved.push(e);
      }
      pending = (await nominate(countyA, program, await teacher(schoolA)).expect(201)).body.id;
      c1 = (
        await post(admin, `/api/v1/programs/${program}/cohorts`, {
          name: '一班',
          capacity: 2,
          startDate: '2030-07-15',
          endDate: '2030-07-24',
        }).expect(201)
      ).body.id;
      c2 = (
        await post(admin, `/api/v1/programs/${program}/cohorts`, {
          name: '二班',
          capacity: 3,
          startDate: '2030-08-01',
          endDate: '2030-08-10',
        }).expect(201)
      ).body.id;
    }, 120_000);

    it('assigns by hand within capacity (409 COHORT_FULL beyond it), only approved trainees', async () => {
      const ok = await post(admin, `/api/v1/cohorts/${c1}/assignments`, { enrolmentIds: [approved[0]] }).expect(201);
      expect(ok.body).toMatchObject({ cohortId: c1, assigned: 1, assignedCount: 1, capacity: 2 });
      const full = await post(admin, `/api/v1/cohorts/${c1}/assignments`, {
        enrolmentIds: [approved[1], approved[2]],
      }).expect(409);
      expect(full.body.code).toBe('COHORT_FULL');
      expect((await get(admin, `/api/v1/enrolments/${approved[1]}`)).body.cohortId).toBeNull();
      expect(
        (await post(admin, `/api/v1/cohorts/${c1}/assignments`, { enrolmentIds: [pending] }).expect(409)).body.code,
      ).toBe('NOT_APPROVED');
      expect(
        (await post(admin, `/api/v1/cohorts/${c2}/assignments`, { enrolmentIds: [approved[0]] }).expect(409)).body.code,
      ).toBe('ALREADY_ASSIGNED');
      await post(admin, `/api/v1/cohorts/${c1}/assignments`, { enrolmentIds: [] }).expect(400);
      await post(countyA, `/api/v1/cohorts/${c1}/assignments`, { enrolmentIds: [approved[1]] }).expect(403);
    });

    it('never puts a teacher in two cohorts whose dates overlap (across programs)', async () => {
      const other = await createProgram(t.http, admin, { seats: 5 });
      await setQuotas(t.http, admin, other, [{ countyId: lanshan, seats: 5 }]);
      const tid = (await get(admin, `/api/v1/enrolments/${approved[0]}`)).body.teacherId;
      const e = (await nominate(countyA, other, tid).expect(201)).body.id;
      await post(admin, `/api/v1/enrolments/${e}/approve`).expect(200);
      const clash = (
        await post(admin, `/api/v1/programs/${other}/cohorts`, {
          name: '重叠班',
          capacity: 5,
          startDate: '2030-07-20',
          endDate: '2030-07-30',
        }).expect(201)
      ).body.id;
      const res = await post(admin, `/api/v1/cohorts/${clash}/assignments`, { enrolmentIds: [e] }).expect(409);
      expect(res.body.code).toBe('COHORT_OVERLAP');
      expect(res.body.message).toMatch(/一班/);
      const later = (
        await post(admin, `/api/v1/programs/${other}/cohorts`, {
          name: '秋季班',
          capacity: 5,
          startDate: '2030-07-25',
          endDate: '2030-07-30',
        }).expect(201)
      ).body.id;
      await post(admin, `/api/v1/cohorts/${later}/assignments`, { enrolmentIds: [e] }).expect(201);
    });

    it('assigns the rest automatically, balanced by county then subject, within capacity', async () => {
      const res = await post(admin, `/api/v1/programs/${program}/cohort-assignments/auto`).expect(200);
      // 5 approved left, room for 1 + 3 = 4.
      expect(res.body).toMatchObject({ assigned: 4, unassigned: 1 });
      const counts = Object.fromEntries(res.body.cohorts.map((c: any) => [c.cohortId, c.assignedCount]));
      expect(counts).toEqual({ [c1]: 2, [c2]: 3 });
      const inC2 = (await get(admin, `/api/v1/programs/${program}/enrolments?cohortId=${c2}`)).body.items;
      expect(new Set(inC2.map((e: any) => e.countyId))).toEqual(new Set([lanshan, luozhuang]));
      const [{ n }] = await t.db.query('SELECT COUNT(*) AS n FROM enrolment WHERE cohortId IN (?, ?)', [c1, c2]);
      expect(Number(n)).toBe(5);
      expect((await post(countyA, `/api/v1/programs/${program}/cohort-assignments/auto`).expect(403)).body.code).toBe(
        'NOT_PROGRAM_OWNER',
      );
    });

    it('a withdrawal frees the cohort place; capacity can then not be cut below the assigned', async () => {
      const e = approved[4];
      const before = (await get(admin, `/api/v1/enrolments/${e}`)).body;
      await post(countyB, `/api/v1/enrolments/${e}/withdraw`).expect(200);
      if (before.cohortId) {
        const c = (await get(admin, `/api/v1/cohorts/${before.cohortId}`)).body;
        expect(c.assignedCount).toBe(before.cohortId === c1 ? 1 : 2);
      }
      const cut = await t.http
        .patch(`/api/v1/cohorts/${c2}`)
        .auth(admin, { type: 'bearer' })
        .send({ capacity: 1 })
        .expect(409);
      expect(cut.body.code).toBe('CAPACITY_BELOW_ASSIGNED');
      const moved = await t.http
        .delete(`/api/v1/cohorts/${c1}/assignments/${approved[0]}`)
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(moved.body.cohortId).toBe(c1);
    });

    it('exports the roster (花名册) as .xlsx with masked IDs as text cells', async () => {
      const res = await get(admin, `/api/v1/programs/${program}/roster`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/spreadsheetml/);
      expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''/);
      const ws = await readXlsx(res.body);
      expect(String(ws.getCell(1, 1).value)).toMatch(/花名册/);
      expect(ws.getRow(2).values).toEqual(
        expect.arrayContaining(['姓名', '身份证号', '手机号', '县区', '学校', '班级', '状态']),
      );
      const id = ws.getCell(3, 4);
      expect(typeof id.value).toBe('string');
      expect(id.value).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(id.numFmt).toBe('@');
      expect(ws.rowCount).toBe(2 + 7);
      // A county exports only its own teachers.
      const mine = await readXlsx(
        (await get(countyB, `/api/v1/programs/${program}/roster`).buffer(true).parse(binary).expect(200)).body,
      );
      expect(mine.rowCount).toBe(2 + 2);
      expect(mine.getCell(3, 6).value).toBe('罗庄区');
    });

    it('reports per-county figures', async () => {
      const res = await get(admin, `/api/v1/programs/${program}/figures`).expect(200);
      const a = res.body.counties.find((c: any) => c.countyId === lanshan);
      expect(a).toMatchObject({
        countyName: '兰山区',
        quota: 10,
        nominated: 5,
        waitlisted: 0,
        approved: 4,
        confirmed: 0,
        completed: 0,
      });
      const b = res.body.counties.find((c: any) => c.countyId === luozhuang);
      expect(b).toMatchObject({ quota: 10, nominated: 1, approved: 1, withdrawn: 1 });
      expect(res.body.total).toMatchObject({ countyId: 0, countyName: '合计', quota: 20, nominated: 6, approved: 5 });
      const own = await get(countyB, `/api/v1/programs/${program}/figures`).expect(200);
      expect(own.body.counties.map((c: any) => c.countyId)).toEqual([luozhuang]);
    });

    it('lists are paginated and filterable by county, status and cohort', async () => {
      const res = await get(admin, `/api/v1/programs/${program}/enrolments?pageSize=2&page=2`).expect(200);
      expect(res.body).toMatchObject({ total: 7, page: 2, pageSize: 2 });
      expect(res.body.items).toHaveLength(2);
      const byStatus = await get(admin, `/api/v1/programs/${program}/enrolments?status=NOMINATED`).expect(200);
      expect(byStatus.body.items.map((e: any) => e.id)).toEqual([pending]);
      const unassigned = await get(admin, `/api/v1/programs/${program}/enrolments?cohortId=0&status=APPROVED`).expect(
        200,
      );
      expect(unassigned.body.items.every((e: any) => e.cohortId === null)).toBe(true);
      const scoped = await get(countyA, `/api/v1/enrolments?programId=${program}&countyId=${luozhuang}`).expect(200);
      expect(scoped.body.total).toBe(0);
    });
  });
});
