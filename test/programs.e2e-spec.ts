import { account, createProgram, programBody, setQuotas } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

// testTimeout of a jest project entry is not applied (a global option): room for a busy machine.
jest.setTimeout(60_000);

describe('programs: programs, quotas, cohorts, sessions (issue 4)', () => {
  let t: TestApp;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let countyA: string;
  let trainer: { id: number; token: string };
  let otherTrainer: { id: number; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'lanshan');
    trainer = await account(t.http, admin, { username: 'trainer_a', role: 'TRAINER', displayName: '王老师' });
    otherTrainer = await account(t.http, admin, { username: 'trainer_b', role: 'TRAINER' });
  }, 120_000);
  afterAll(async () => t?.close(), 60_000);

  const post = (token: string, path: string, body?: unknown) =>
    t.http
      .post(path)
      .auth(token, { type: 'bearer' })
      .send(body as object);
  const get = (token: string, path: string) => t.http.get(path).auth(token, { type: 'bearer' });

  describe('programs', () => {
    it('the city creates a summer program with the contract fields; defaults are filled in', async () => {
      const res = await post(admin, '/api/v1/programs', programBody({ attendanceThreshold: undefined })).expect(201);
      expect(res.body).toMatchObject({
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        seats: 400,
        approvedCount: 0,
        creditHours: 48,
        attendanceThreshold: 0.8,
        lateGraceMinutes: 15,
        status: 'DRAFT',
        requirePovertyVillage: true,
        ownerCountyId: null,
        certificatePrefix: 'LYGG',
        stages: [],
        subjects: [],
      });
      const again = await get(admin, `/api/v1/programs/${res.body.id}`).expect(200);
      expect(again.body).toEqual(res.body);
    });

    it('speaks the attendance threshold as a fraction and keeps eligibility rules', async () => {
      const res = await post(
        admin,
        '/api/v1/programs',
        programBody({
          attendanceThreshold: 0.75,
          minBackboneLevel: 'COUNTY',
          stages: ['小学', '初中'],
          subjects: ['语文'],
          requirePovertyVillage: false,
        }),
      ).expect(201);
      expect(res.body).toMatchObject({
        attendanceThreshold: 0.75,
        minBackboneLevel: 'COUNTY',
        stages: ['小学', '初中'],
        subjects: ['语文'],
        requirePovertyVillage: false,
      });
    });

    it('rejects bad input with 400 and Chinese field errors', async () => {
      const r1 = await post(admin, '/api/v1/programs', programBody({ attendanceThreshold: 1.5 })).expect(400);
      expect(r1.body.code).toBe('VALIDATION_FAILED');
      expect(r1.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'attendanceThreshold', message: expect.stringMatching(/0–1/) }),
        ]),
      );
      const r2 = await post(admin, '/api/v1/programs', programBody({ certificatePrefix: undefined })).expect(400);
      expect(r2.body.errors.map((e: any) => e.field)).toContain('certificatePrefix');
      const r3 = await post(admin, '/api/v1/programs', programBody({ kind: 'SPRING' })).expect(400);
      expect(r3.body.errors[0].field).toBe('kind');
      await post(admin, '/api/v1/programs', programBody({ seats: 0 })).expect(400);
      await post(admin, '/api/v1/programs', programBody({ startDate: '2019-08-01', endDate: '2019-07-01' })).expect(
        400,
      );
      await post(admin, '/api/v1/programs', programBody({ nominationDeadline: 'next week' })).expect(400);
    });

    // The program kind/ownership rule and the status machine: test/service/programs.service-spec.ts.

    it('a county reads the city programs once they are open, but may not run them', async () => {
      const draft = await createProgram(t.http, admin, {}, false);
      await get(countyA, `/api/v1/programs/${draft}`).expect(404);
      const open = await createProgram(t.http, admin);
      await get(countyA, `/api/v1/programs/${open}`).expect(200);
      const denied = await post(countyA, `/api/v1/programs/${open}/close`).expect(403);
      expect(denied.body.code).toBe('NOT_PROGRAM_OWNER');
      const list = await get(countyA, '/api/v1/programs?pageSize=5').expect(200);
      expect(list.body).toMatchObject({ page: 1, pageSize: 5 });
      expect(list.body.items.some((p: any) => p.id === draft)).toBe(false);
      expect(list.body.items.every((p: any) => p.ownerCountyId === null || p.ownerCountyId === lanshan)).toBe(true);
      // Trainers and teachers see no program they have nothing to do with.
      await get(trainer.token, `/api/v1/programs/${open}`).expect(404);
    });

    it('edits a program before it runs; seats never below the quotas', async () => {
      const id = await createProgram(t.http, admin, { seats: 10 });
      await setQuotas(t.http, admin, id, [
        { countyId: lanshan, seats: 6 },
        { countyId: luozhuang, seats: 4 },
      ]);
      const below = await t.http
        .patch(`/api/v1/programs/${id}`)
        .auth(admin, { type: 'bearer' })
        .send({ seats: 9 })
        .expect(409);
      expect(below.body.code).toBe('SEATS_BELOW_QUOTAS');
      const ok = await t.http
        .patch(`/api/v1/programs/${id}`)
        .auth(admin, { type: 'bearer' })
        .send({ seats: 12, title: '改名后的项目' })
        .expect(200);
      expect(ok.body).toMatchObject({ seats: 12, title: '改名后的项目' });
      await t.http.patch(`/api/v1/programs/${id}`).auth(admin, { type: 'bearer' }).send({ kind: 'OTHER' }).expect(400);
      // null clears what may be empty, and is refused (400, never a database error) where it may not.
      const cleared = await t.http
        .patch(`/api/v1/programs/${id}`)
        .auth(admin, { type: 'bearer' })
        .send({ nominationDeadline: null })
        .expect(200);
      expect(cleared.body.nominationDeadline).toBeNull();
      for (const field of ['title', 'certificatePrefix', 'stages', 'seats']) {
        const r = await t.http
          .patch(`/api/v1/programs/${id}`)
          .auth(admin, { type: 'bearer' })
          .send({ [field]: null })
          .expect(400);
        expect(r.body.errors[0]).toEqual({ field, message: '不能为空' });
      }
    });
  });

  describe('county quotas', () => {
    let program: number;
    beforeAll(async () => {
      program = await createProgram(t.http, admin, { seats: 10 });
    }, 120_000);

    it('PUT takes a JSON array; the sum may not exceed the seats (409)', async () => {
      const over = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([
          { countyId: lanshan, seats: 6 },
          { countyId: luozhuang, seats: 5 },
        ])
        .expect(409);
      expect(over.body.code).toBe('QUOTA_EXCEEDS_SEATS');
      expect(over.body.message).toMatch(/超过项目总名额 10/);
      const ok = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([
          { countyId: lanshan, seats: 6 },
          { countyId: luozhuang, seats: 4 },
        ])
        .expect(200);
      expect(ok.body).toEqual([
        expect.objectContaining({
          countyId: lanshan,
          countyCode: '371302',
          countyName: '兰山区',
          seats: 6,
          nominatedCount: 0,
        }),
        expect.objectContaining({ countyId: luozhuang, countyCode: '371311', seats: 4 }),
      ]);
      // Counties left out drop to 0.
      const again = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([{ countyId: lanshan, seats: 7 }])
        .expect(200);
      expect(again.body.find((q: any) => q.countyId === luozhuang).seats).toBe(0);
    });

    it('refuses malformed quota bodies with 400 naming the element', async () => {
      const notArray = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send({ countyId: lanshan, seats: 1 })
        .expect(400);
      expect(notArray.body.code).toBe('VALIDATION_FAILED');
      const neg = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([{ countyId: lanshan, seats: -1 }])
        .expect(400);
      expect(neg.body.errors[0].field).toBe('items[0].seats');
      const dup = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([
          { countyId: lanshan, seats: 1 },
          { countyId: lanshan, seats: 2 },
        ])
        .expect(400);
      expect(dup.body.errors[0].field).toBe('[1].countyId');
      const school = await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(admin, { type: 'bearer' })
        .send([{ countyId: 999999, seats: 1 }])
        .expect(400);
      expect(school.body.message).toMatch(/县区不存在/);
      await t.http
        .put(`/api/v1/programs/${program}/quotas`)
        .auth(countyA, { type: 'bearer' })
        .send([{ countyId: lanshan, seats: 10 }])
        .expect(403);
    });

    it('suggests a split proportional to eligible teachers (largest remainder, ties by county code)', async () => {
      const p = await createProgram(t.http, admin, { seats: 7 });
      // 兰山: 3 eligible (poverty-village school) + 2 not eligible; 罗庄: 3 eligible; 河东: 1 eligible.
      const hedong = await countyIdByCode(t.db, '371312');
      const a = await createSchool(t.http, admin, lanshan, '兰山区贫困村小学');
      const aRich = await createSchool(t.http, admin, lanshan, '兰山区城区小学', { povertyVillage: false });
      const b = await createSchool(t.http, admin, luozhuang, '罗庄区贫困村小学');
      const c = await createSchool(t.http, admin, hedong, '河东区贫困村小学');
      let n = 100;
      for (const school of [a, a, a, aRich, aRich, b, b, b, c]) await createTeacher(t.http, admin, school, n++);
      const res = await get(admin, `/api/v1/programs/${p}/quotas/suggestion`).expect(200);
      // 7 × 3/7 = 3, 7 × 3/7 = 3, 7 × 1/7 = 1: exact.
      const seats = Object.fromEntries(
        res.body.items.filter((i: any) => i.seats > 0).map((i: any) => [i.countyCode, i.seats]),
      );
      expect(seats).toEqual({ '371302': 3, '371311': 3, '371312': 1 });
      expect(res.body).toMatchObject({ seats: 7, eligibleTeachers: 7 });
      expect(res.body.items).toHaveLength(16);
      // 6 seats: 6 × 3/7 = 2.57, 2.57, 0.86 → 2,2,0 and two left: .86 → 371312, then equal .57 → lower code 371302.
      const p6 = await createProgram(t.http, admin, { seats: 6 });
      const r6 = await get(admin, `/api/v1/programs/${p6}/quotas/suggestion`).expect(200);
      expect(
        Object.fromEntries(r6.body.items.filter((i: any) => i.seats > 0).map((i: any) => [i.countyCode, i.seats])),
      ).toEqual({ '371302': 3, '371311': 2, '371312': 1 });
      // 8 seats for 7 eligible teachers: no county is suggested more seats than it has eligible teachers
      // (uncapped, 371302 would get 4 for its 3); the eighth seat stays unallocated.
      const p8 = await createProgram(t.http, admin, { seats: 8 });
      const r8 = await get(admin, `/api/v1/programs/${p8}/quotas/suggestion`).expect(200);
      expect(
        Object.fromEntries(r8.body.items.filter((i: any) => i.seats > 0).map((i: any) => [i.countyCode, i.seats])),
      ).toEqual({ '371302': 3, '371311': 3, '371312': 1 });
      // The office accepts it as is.
      await setQuotas(
        t.http,
        admin,
        p8,
        r8.body.items.map((i: any) => ({ countyId: i.countyId, seats: i.seats })),
      );
      // Not the owner → 403; not visible → 404.
      await get(countyA, `/api/v1/programs/${p8}/quotas/suggestion`).expect(403);
    });
  });

  describe('cohorts and sessions', () => {
    let program: number;
    let cohort: number;
    beforeAll(async () => {
      program = await createProgram(t.http, admin, { creditHours: 8 });
    }, 120_000);

    it('creates a cohort with trainers and a head teacher', async () => {
      const res = await post(admin, `/api/v1/programs/${program}/cohorts`, {
        name: '第一期一班',
        capacity: 50,
        startDate: '2019-07-15',
        endDate: '2019-07-24',
        venue: '临沂大学',
        trainerIds: [trainer.id],
        headTrainerId: trainer.id,
      }).expect(201);
      expect(res.body).toMatchObject({
        programId: program,
        name: '第一期一班',
        capacity: 50,
        assignedCount: 0,
        startDate: '2019-07-15',
        endDate: '2019-07-24',
        venue: '临沂大学',
        sessionHours: 0,
        programCreditHours: 8,
      });
      expect(res.body.trainers).toEqual([{ userId: trainer.id, name: '王老师', head: true }]);
      cohort = res.body.id;
    });

    it('refuses bad cohorts', async () => {
      const notTrainer = await post(admin, `/api/v1/programs/${program}/cohorts`, {
        name: '二班',
        capacity: 50,
        startDate: '2019-07-15',
        endDate: '2019-07-24',
        trainerIds: [1],
      }).expect(400);
      expect(notTrainer.body.code).toBe('INVALID_TRAINER');
      await post(admin, `/api/v1/programs/${program}/cohorts`, {
        name: '二班',
        capacity: 50,
        startDate: '2019-07-25',
        endDate: '2019-07-24',
      }).expect(400);
      await post(admin, `/api/v1/programs/${program}/cohorts`, {
        name: '二班',
        capacity: 0,
        startDate: '2019-07-15',
        endDate: '2019-07-24',
      }).expect(400);
      await post(admin, `/api/v1/programs/${program}/cohorts`, {
        name: '二班',
        capacity: 5,
        startDate: '2019-02-30',
        endDate: '2019-07-24',
      }).expect(400);
      await post(countyA, `/api/v1/programs/${program}/cohorts`, {
        name: '二班',
        capacity: 5,
        startDate: '2019-07-15',
        endDate: '2019-07-24',
      }).expect(403);
    });

    it('schedules sessions that never overlap within a cohort and stay within its dates', async () => {
      const s1 = await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '新课标解读',
        startsAt: '2019-07-15T01:00:00Z',
        endsAt: '2019-07-15T04:00:00Z',
        hours: 4,
        trainerId: trainer.id,
        room: '201',
      }).expect(201);
      expect(s1.body).toMatchObject({
        cohortId: cohort,
        title: '新课标解读',
        startsAt: '2019-07-15T01:00:00.000Z',
        endsAt: '2019-07-15T04:00:00.000Z',
        hours: 4,
        trainerId: trainer.id,
        room: '201',
      });
      const clash = await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '重叠',
        startsAt: '2019-07-15T03:00:00Z',
        endsAt: '2019-07-15T05:00:00Z',
        hours: 2,
      }).expect(409);
      expect(clash.body.code).toBe('SESSION_OVERLAP');
      expect(clash.body.message).toMatch(/新课标解读/);
      // Back to back is fine.
      await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '课堂观察',
        startsAt: '2019-07-15T04:00:00Z',
        endsAt: '2019-07-15T06:00:00Z',
        hours: 2.5,
        trainerId: otherTrainer.id,
      }).expect(201);
      const outside = await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '太晚',
        startsAt: '2019-07-25T01:00:00Z',
        endsAt: '2019-07-25T02:00:00Z',
        hours: 1,
      }).expect(409);
      expect(outside.body.code).toBe('SESSION_OUTSIDE_COHORT');
      const backwards = await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '倒序',
        startsAt: '2019-07-16T04:00:00Z',
        endsAt: '2019-07-16T03:00:00Z',
        hours: 1,
      }).expect(400);
      expect(backwards.body.errors[0].field).toBe('endsAt');
      await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '坏时间',
        startsAt: 'tomorrow',
        endsAt: '2019-07-16T03:00:00Z',
        hours: 1,
      }).expect(400);
      // The session's trainer joined the cohort; hours are summed against the program's.
      const c = await get(admin, `/api/v1/cohorts/${cohort}`).expect(200);
      expect(c.body.sessionHours).toBe(6.5);
      expect(c.body.programCreditHours).toBe(8);
      expect(c.body.trainers.map((x: any) => x.userId).sort()).toEqual([trainer.id, otherTrainer.id].sort());
      const list = await get(trainer.token, `/api/v1/cohorts/${cohort}/sessions`).expect(200);
      expect(list.body).toMatchObject({ total: 2, totalHours: 6.5, programCreditHours: 8 });
      expect(list.body.items.map((s: any) => s.title)).toEqual(['新课标解读', '课堂观察']);
    });

    it('moves a session only where it does not overlap', async () => {
      const list = await get(admin, `/api/v1/cohorts/${cohort}/sessions`).expect(200);
      const [first, second] = list.body.items;
      const clash = await t.http
        .patch(`/api/v1/sessions/${second.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ startsAt: '2019-07-15T02:00:00Z' })
        .expect(409);
      expect(clash.body.code).toBe('SESSION_OVERLAP');
      const moved = await t.http
        .patch(`/api/v1/sessions/${first.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ startsAt: '2019-07-15T00:30:00Z', room: '301' })
        .expect(200);
      expect(moved.body).toMatchObject({ startsAt: '2019-07-15T00:30:00.000Z', room: '301' });
    });

    it('caps a session’s 学时 at its length in 45-minute class hours, rounded up, on create and update', async () => {
      const rule =
        '学时不能超过课次时长折算的课时数（每 45 分钟计 1 学时，不足 45 分钟按 1 学时计），本课次最多 2 学时';
      const inflated = await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '一小时',
        startsAt: '2019-07-17T01:00:00Z',
        endsAt: '2019-07-17T02:00:00Z',
        hours: 24,
      }).expect(400);
      expect(inflated.body).toMatchObject({ code: 'VALIDATION_FAILED', message: rule });
      expect(inflated.body.errors).toEqual([{ field: 'hours', message: rule }]);
      // 60 minutes are 1⅓ class hours: up to 2 学时.
      const hour = await post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
        title: '一小时',
        startsAt: '2019-07-17T01:00:00Z',
        endsAt: '2019-07-17T02:00:00Z',
        hours: 2,
      }).expect(201);
      const patch = (body: object) =>
        t.http.patch(`/api/v1/sessions/${hour.body.id}`).auth(admin, { type: 'bearer' }).send(body);
      expect((await patch({ hours: 2.01 }).expect(400)).body.message).toBe(rule);
      // Shortening to 45 minutes leaves the stored 2 学时 above the cap of 1.
      expect((await patch({ endsAt: '2019-07-17T01:45:00Z' }).expect(400)).body.message).toContain('最多 1 学时');
      expect((await patch({ endsAt: '2019-07-17T01:45:00Z', hours: 1 }).expect(200)).body.hours).toBe(1);
      await t.db.query(`DELETE FROM training_session WHERE id = ${Number(hour.body.id)}`);
    });

    it('trainers read only their cohorts and sessions; counties read cohorts of programs they see', async () => {
      await get(trainer.token, `/api/v1/cohorts/${cohort}`).expect(200);
      await get(trainer.token, `/api/v1/programs/${program}`).expect(200);
      const stranger = await account(t.http, admin, { username: 'trainer_c', role: 'TRAINER' });
      await get(stranger.token, `/api/v1/cohorts/${cohort}`).expect(404);
      await post(trainer.token, `/api/v1/cohorts/${cohort}/sessions`, {
        title: 'x',
        startsAt: '2019-07-16T01:00:00Z',
        endsAt: '2019-07-16T02:00:00Z',
        hours: 1,
      }).expect(403);
      await get(countyA, `/api/v1/cohorts/${cohort}`).expect(200);
      const cohorts = await get(admin, `/api/v1/programs/${program}/cohorts`).expect(200);
      expect(cohorts.body).toMatchObject({ total: 1, page: 1 });
    });

    it('edits a cohort: trainers replaced, dates movable while empty', async () => {
      const res = await t.http
        .put(`/api/v1/cohorts/${cohort}/trainers`)
        .auth(admin, { type: 'bearer' })
        .send({ trainerIds: [otherTrainer.id], headTrainerId: otherTrainer.id })
        .expect(200);
      expect(res.body.trainers).toEqual([expect.objectContaining({ userId: otherTrainer.id, head: true })]);
      const outside = await t.http
        .patch(`/api/v1/cohorts/${cohort}`)
        .auth(admin, { type: 'bearer' })
        .send({ startDate: '2019-07-16' })
        .expect(409);
      expect(outside.body.code).toBe('SESSIONS_OUTSIDE_DATES');
      const ok = await t.http
        .patch(`/api/v1/cohorts/${cohort}`)
        .auth(admin, { type: 'bearer' })
        .send({ endDate: '2019-07-26', capacity: 40 })
        .expect(200);
      expect(ok.body).toMatchObject({ endDate: '2019-07-26', capacity: 40 });
    });
  });
});
