import * as ExcelJS from 'exceljs';
import { SYSTEM_ACTOR } from '@shipei/core';
import { PlacementsService, placementConflicts } from '@shipei/talent-support';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makeIdNumber,
  makePhone,
} from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

// testTimeout in a jest project entry is not applied (it is a global option): give this suite room on a busy machine.
jest.setTimeout(120_000);

const TERM = { termStart: '2019-09-01', termEnd: '2020-07-15' }; // 319 days, February 2020 has 29
const ELIGIBLE = {
  title: '一级教师',
  teachingStartYear: 2014,
  appraisalsQualified: true,
  onProbation: false,
  specialPost: false,
};
const bearer = { type: 'bearer' as const };

function isoDaysFromToday(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function readXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as any);
  return wb;
}

function binary(res: any, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('talent-support: schemes, placements, stipend ledger, register', () => {
  let t: TestApp;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let yinan: number;
  let countyA: string;
  let countyB: string;
  let homeA: number;
  let homeB: number;
  let receiving: number;
  let plainSchool: number;
  let serial = 100;

  const teacher = (extra: Record<string, unknown> = {}, token = countyA, school = homeA) =>
    createTeacher(t.http, token, school, serial++, { ...ELIGIBLE, ...extra });

  async function scheme(
    body: Record<string, unknown> = {},
    quotas: { countyId: number; places: number }[] = [],
  ): Promise<number> {
    const res = await t.http
      .post('/api/v1/schemes')
      .auth(admin, bearer)
      .send({ kind: 'THREE_DISTRICTS', year: 2019, places: 10, ...TERM, ...body })
      .expect(201);
    if (quotas.length)
      await t.http.put(`/api/v1/schemes/${res.body.id}/quotas`).auth(admin, bearer).send(quotas).expect(200);
    return res.body.id;
  }

  const nominate = (schemeId: number, teacherId: number, token = countyA, receivingSchoolId = receiving) =>
    t.http.post(`/api/v1/schemes/${schemeId}/placements`).auth(token, bearer).send({ teacherId, receivingSchoolId });

  const act = (id: number, action: string, body: Record<string, unknown> = {}, token = admin) =>
    t.http.post(`/api/v1/placements/${id}/${action}`).auth(token, bearer).send(body);

  /** A placement driven to IN_SERVICE from `arrivalDate`. */
  async function inService(schemeId: number, arrivalDate: string, token = countyA): Promise<number> {
    const tid = await teacher({}, token, token === countyA ? homeA : homeB);
    const p = await nominate(schemeId, tid, token).expect(201);
    await act(p.body.id, 'approve').expect(200);
    await act(p.body.id, 'arrive', { arrivalDate }, token).expect(200);
    return p.body.id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    yinan = await countyIdByCode(t.db, '371321');
    countyA = await countyAdmin(t.http, admin, lanshan, 'ts_lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'ts_luozhuang');
    homeA = await createSchool(t.http, countyA, lanshan, '兰山区第三中学');
    homeB = await createSchool(t.http, countyB, luozhuang, '罗庄区第二小学');
    receiving = await createSchool(t.http, admin, yinan, '沂南县岸堤镇中心小学', { receivingSchool: true });
    plainSchool = await createSchool(t.http, admin, yinan, '沂南县实验小学', { receivingSchool: false });
  });
  afterAll(async () => t?.close());

  describe('schemes and quotas', () => {
    it('creates a scheme with the national defaults, for the city only', async () => {
      const res = await t.http
        .post('/api/v1/schemes')
        .auth(admin, bearer)
        .send({ kind: 'WESTERN_BELT', year: 2019, places: 40, ...TERM })
        .expect(201);
      expect(res.body).toMatchObject({
        kind: 'WESTERN_BELT',
        kindLabel: '西部经济隆起带和省扶贫开发重点地区人才支持计划',
        title: '2019年西部经济隆起带和省扶贫开发重点地区人才支持计划',
        places: 40,
        allocated: 0,
        daysInTerm: 319,
        stipendPerYearFen: 2_000_000,
        rules: {
          minYearsOfService: 5,
          minTitle: '一级教师',
          appraisalsQualified: true,
          notOnProbation: true,
          notSpecialPost: true,
        },
      });
      await t.http
        .post('/api/v1/schemes')
        .auth(countyA, bearer)
        .send({ kind: 'WESTERN_BELT', year: 2019, places: 40, ...TERM })
        .expect(403);
      const seen = await t.http.get(`/api/v1/schemes/${res.body.id}`).auth(countyA, bearer).expect(200);
      expect(seen.body.id).toBe(res.body.id);
      await t.http.patch(`/api/v1/schemes/${res.body.id}`).auth(countyA, bearer).send({ places: 50 }).expect(403);
      const list = await t.http.get('/api/v1/schemes?kind=WESTERN_BELT').auth(countyA, bearer).expect(200);
      expect(list.body.items.map((s: any) => s.id)).toContain(res.body.id);
    });

    it('refuses bad input with fields, in Chinese', async () => {
      const bad = await t.http
        .post('/api/v1/schemes')
        .auth(admin, bearer)
        .send({ kind: 'OTHER', year: 2019, places: 0, termStart: '2019-02-29', termEnd: 'x', stipendPerYearFen: 1.5 })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual([
        'kind',
        'places',
        'stipendPerYearFen',
        'termEnd',
        'termStart',
      ]);
      const backwards = await t.http
        .post('/api/v1/schemes')
        .auth(admin, bearer)
        .send({ kind: 'THREE_DISTRICTS', year: 2019, places: 5, termStart: '2020-07-15', termEnd: '2019-09-01' })
        .expect(400);
      expect(backwards.body).toMatchObject({ code: 'INVALID_TERM', errors: [{ field: 'termEnd' }] });
      const tooLong = await t.http
        .post('/api/v1/schemes')
        .auth(admin, bearer)
        .send({ kind: 'THREE_DISTRICTS', year: 2019, places: 5, termStart: '2019-09-01', termEnd: '2020-09-01' })
        .expect(400);
      expect(tooLong.body.message).toContain('366');
      await t.http.get('/api/v1/schemes/abc').auth(admin, bearer).expect(400);
      await t.http.get('/api/v1/schemes/999999').auth(admin, bearer).expect(404);
    });

    it('keeps the quota sum within the places, and a county sees its own quota only', async () => {
      const id = await scheme({ places: 5 });
      const over = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([
          { countyId: lanshan, places: 3 },
          { countyId: luozhuang, places: 3 },
        ])
        .expect(409);
      expect(over.body.code).toBe('QUOTA_EXCEEDS_PLACES');
      const ok = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([
          { countyId: lanshan, places: 3 },
          { countyId: luozhuang, places: 2 },
        ])
        .expect(200);
      expect(ok.body).toEqual([
        { countyId: lanshan, countyName: '兰山区', places: 3, used: 0 },
        { countyId: luozhuang, countyName: '罗庄区', places: 2, used: 0 },
      ]);
      const own = await t.http.get(`/api/v1/schemes/${id}/quotas`).auth(countyA, bearer).expect(200);
      expect(own.body).toEqual([{ countyId: lanshan, countyName: '兰山区', places: 3, used: 0 }]);
      await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(countyA, bearer)
        .send([{ countyId: lanshan, places: 5 }])
        .expect(403);

      const dup = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([
          { countyId: lanshan, places: 1 },
          { countyId: lanshan, places: 1 },
        ])
        .expect(400);
      expect(dup.body.code).toBe('DUPLICATE_COUNTY');
      const notCounty = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([{ countyId: homeA, places: 1 }])
        .expect(400);
      expect(notCounty.body.code).toBe('NOT_A_COUNTY');
      const badItem = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([{ countyId: lanshan, places: -1, extra: 1 }])
        .expect(400);
      expect(badItem.body.errors.map((e: any) => e.field).sort()).toEqual(['[0].extra', '[0].places']);
      await t.http.put(`/api/v1/schemes/${id}/quotas`).auth(admin, bearer).send({ countyId: lanshan }).expect(400);

      const fewer = await t.http.patch(`/api/v1/schemes/${id}`).auth(admin, bearer).send({ places: 4 }).expect(409);
      expect(fewer.body.code).toBe('PLACES_BELOW_QUOTAS');
      const got = await t.http.get(`/api/v1/schemes/${id}`).auth(admin, bearer).expect(200);
      expect(got.body).toMatchObject({ places: 5, allocated: 5 });
    });

    it('does not let a quota fall below what the county has used', async () => {
      const id = await scheme({ places: 5 }, [{ countyId: lanshan, places: 2 }]);
      await nominate(id, await teacher()).expect(201);
      await nominate(id, await teacher()).expect(201);
      const below = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([{ countyId: lanshan, places: 1 }])
        .expect(409);
      expect(below.body.code).toBe('QUOTA_BELOW_USED');
      const same = await t.http
        .put(`/api/v1/schemes/${id}/quotas`)
        .auth(admin, bearer)
        .send([
          { countyId: lanshan, places: 2 },
          { countyId: luozhuang, places: 3 },
        ])
        .expect(200);
      expect(same.body[0]).toMatchObject({ places: 2, used: 2 });
    });

    it('makes each selection rule configurable per scheme', async () => {
      const id = await scheme({ rules: { minYearsOfService: null, minTitle: '高级教师', specialPost: undefined } }, [
        { countyId: lanshan, places: 5 },
      ]);
      const got = await t.http.get(`/api/v1/schemes/${id}`).auth(admin, bearer).expect(200);
      expect(got.body.rules).toEqual({
        homeNotReceiving: true,
        minYearsOfService: null,
        minTitle: '高级教师',
        kindergartenMinTitle: null,
        minBackboneLevel: null,
        maxAgeMale: null,
        maxAgeFemale: null,
        appraisalsQualified: true,
        notOnProbation: true,
        notSpecialPost: true,
        minPutonghua: '二级乙等',
      });
      const novice = await teacher({ teachingStartYear: 2018, title: '一级教师' });
      const refused = await nominate(id, novice).expect(409);
      expect(refused.body.reasons).toEqual(['职称须为高级教师及以上（现为一级教师）']);
      await t.http
        .patch(`/api/v1/schemes/${id}`)
        .auth(admin, bearer)
        .send({ rules: { minTitle: null, notSpecialPost: false } })
        .expect(200);
      await nominate(id, novice).expect(201);
      const bad = await t.http
        .patch(`/api/v1/schemes/${id}`)
        .auth(admin, bearer)
        .send({ rules: { minTitle: '特级', minYearsOfService: -1 } })
        .expect(400);
      expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['rules.minTitle', 'rules.minYearsOfService']);
    });
  });

  describe('nomination', () => {
    let id: number;
    beforeAll(async () => {
      id = await scheme({ places: 30 }, [
        { countyId: lanshan, places: 20 },
        { countyId: luozhuang, places: 2 },
      ]);
    });

    it('takes exactly five years of service and refuses four (counted to the term start)', async () => {
      const five = await nominate(id, await teacher({ teachingStartYear: 2014 })).expect(201);
      expect(five.body).toMatchObject({
        status: 'NOMINATED',
        statusLabel: '已推荐',
        countyId: lanshan,
        homeSchoolId: homeA,
        receivingSchoolId: receiving,
        receivingSchoolName: '沂南县岸堤镇中心小学',
        receivingCountyName: '沂南县',
        stipendDueFen: 0,
      });
      expect(five.body.teacherIdNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      const four = await nominate(id, await teacher({ teachingStartYear: 2015 })).expect(409);
      expect(four.body).toMatchObject({
        statusCode: 409,
        code: 'NOT_ELIGIBLE',
        reasons: ['教龄不足 5 年（截至服务期开始为 4 年）'],
      });
      expect(four.body.message).toContain('教龄不足');
    });

    it('refuses the title just below 一级教师, a missing appraisal, probation and 特岗', async () => {
      const below = await nominate(id, await teacher({ title: '二级教师' })).expect(409);
      expect(below.body.reasons).toEqual(['职称须为一级教师及以上（现为二级教师）']);
      await nominate(id, await teacher({ title: '高级教师' })).expect(201);
      const appraisal = await nominate(id, await teacher({ appraisalsQualified: false })).expect(409);
      expect(appraisal.body.reasons).toEqual(['近三年年度考核未全部合格']);
      const probation = await nominate(id, await teacher({ onProbation: true })).expect(409);
      expect(probation.body.reasons).toEqual(['尚在试用期内']);
      const special = await nominate(id, await teacher({ specialPost: true })).expect(409);
      expect(special.body.reasons).toEqual(['特岗教师不得选派']);
    });

    it('reports every failed rule at once', async () => {
      const tid = await createTeacher(t.http, countyA, homeA, serial++, {
        title: '三级教师',
        teachingStartYear: 2018,
        appraisalsQualified: false,
        onProbation: true,
        specialPost: true,
      });
      const res = await nominate(id, tid).expect(409);
      expect(res.body.code).toBe('NOT_ELIGIBLE');
      expect(res.body.reasons).toHaveLength(5);
      for (const r of res.body.reasons) expect(r).toMatch(/[\u4e00-\u9fff]/);
      const unknown = await createTeacher(t.http, countyA, homeA, serial++, {});
      const res2 = await nominate(id, unknown).expect(409);
      expect(res2.body.reasons).toEqual([
        '未登记开始任教年份，无法确认教龄满 5 年',
        '职称须为一级教师及以上（未登记职称）',
        '近三年年度考核未全部合格',
      ]);
    });

    it('keeps a county to its own teachers and to receiving schools', async () => {
      const other = await teacher({}, countyB, homeB);
      const res = await nominate(id, other, countyA).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      await nominate(id, await teacher(), admin).expect(403);
      const notReceiving = await nominate(id, await teacher(), countyA, plainSchool).expect(400);
      expect(notReceiving.body).toMatchObject({
        code: 'NOT_RECEIVING_SCHOOL',
        errors: [{ field: 'receivingSchoolId' }],
      });
      const ownReceiving = await createSchool(t.http, countyA, lanshan, '兰山区受援小学', { receivingSchool: true });
      const same = await nominate(id, await teacher({}, countyA, ownReceiving), countyA, ownReceiving).expect(400);
      expect(same.body.code).toBe('SAME_SCHOOL');
      await nominate(id, await teacher(), countyA, 999999).expect(404);
      await nominate(id, await teacher(), countyA, lanshan).expect(404);
      const bad = await t.http
        .post(`/api/v1/schemes/${id}/placements`)
        .auth(countyA, bearer)
        .send({ teacherId: 'x' })
        .expect(400);
      expect([...new Set(bad.body.errors.map((e: any) => e.field))].sort()).toEqual(['receivingSchoolId', 'teacherId']);
      await nominate(999999, await teacher()).expect(404);
    });

    it('refuses a teacher who already has an active placement, in this or another scheme', async () => {
      const tid = await teacher();
      await nominate(id, tid).expect(201);
      const again = await nominate(id, tid).expect(409);
      expect(again.body.code).toBe('ALREADY_PLACED');
      const other = await scheme({ kind: 'WESTERN_BELT' }, [{ countyId: lanshan, places: 5 }]);
      expect((await nominate(other, tid).expect(409)).body.code).toBe('ALREADY_PLACED');
    });

    it('keeps the county within its quota', async () => {
      await nominate(id, await teacher({}, countyB, homeB), countyB).expect(201);
      await nominate(id, await teacher({}, countyB, homeB), countyB).expect(201);
      const full = await nominate(id, await teacher({}, countyB, homeB), countyB).expect(409);
      expect(full.body).toMatchObject({ code: 'QUOTA_FULL', message: '本县区在该计划的名额已用完' });
      const none = await scheme({}, [{ countyId: luozhuang, places: 1 }]);
      const noQuota = await nominate(none, await teacher()).expect(409);
      expect(noQuota.body).toMatchObject({ code: 'QUOTA_FULL', message: '本县区在该计划中未分配名额' });
    });

    it('lets only one of two concurrent nominations of one teacher through (same scheme, and across schemes)', async () => {
      const other = await scheme({ kind: 'WESTERN_BELT' }, [{ countyId: lanshan, places: 5 }]);
      for (const [s1, s2] of [
        [id, id],
        [id, other],
      ]) {
        const tid = await teacher();
        const results = await Promise.all([nominate(s1, tid), nominate(s2, tid)]);
        expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
        expect(results.find((r) => r.status === 409)!.body.code).toBe('ALREADY_PLACED');
        const [{ n }] = await t.db.query(
          `SELECT COUNT(*) AS n FROM placement WHERE teacherId = ? AND activeKey IS NOT NULL`,
          [tid],
        );
        expect(Number(n)).toBe(1);
      }
      const tid = await teacher();
      const many = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => nominate(i % 2 ? other : id, tid)));
      expect(many.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(many.filter((r) => r.status === 409).every((r) => r.body.code === 'ALREADY_PLACED')).toBe(true);
      const quotas = await t.http.get(`/api/v1/schemes/${other}/quotas`).auth(admin, bearer).expect(200);
      const [{ n: placed }] = await t.db.query(`SELECT COUNT(*) AS n FROM placement WHERE schemeId = ?`, [other]);
      expect(quotas.body[0].used).toBe(Number(placed));
    });

    it('enforces one active placement per teacher in the database itself', async () => {
      const tid = await teacher();
      await nominate(id, tid).expect(201);
      const other = (await nominate(id, await teacher()).expect(201)).body.id;
      await expect(t.db.query(`UPDATE placement SET activeKey = ? WHERE id = ?`, [tid, other])).rejects.toThrow();
    });

    it('never oversells a quota under concurrent nominations', async () => {
      const s = await scheme({ places: 3 }, [{ countyId: lanshan, places: 3 }]);
      const teachers = [];
      for (let i = 0; i < 8; i++) teachers.push(await teacher());
      const results = await Promise.all(teachers.map((tid) => nominate(s, tid)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'QUOTA_FULL')).toBe(true);
      const quotas = await t.http.get(`/api/v1/schemes/${s}/quotas`).auth(admin, bearer).expect(200);
      expect(quotas.body[0]).toMatchObject({ places: 3, used: 3 });
    });

    it('keeps a quota at or above its use when it is cut during concurrent nominations', async () => {
      const s = await scheme({ places: 10 }, [{ countyId: lanshan, places: 6 }]);
      const teachers = [];
      for (let i = 0; i < 6; i++) teachers.push(await teacher());
      const cut = t.http
        .put(`/api/v1/schemes/${s}/quotas`)
        .auth(admin, bearer)
        .send([{ countyId: lanshan, places: 2 }]);
      const [put, ...noms] = await Promise.all([cut, ...teachers.map((tid) => nominate(s, tid))]);
      expect([200, 409]).toContain(put.status);
      expect(noms.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'QUOTA_FULL'))).toBe(true);
      const [q] = (await t.http.get(`/api/v1/schemes/${s}/quotas`).auth(admin, bearer).expect(200)).body;
      const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM placement WHERE schemeId = ?`, [s]);
      expect(q.used).toBe(Number(n));
      expect(q.used).toBeLessThanOrEqual(q.places);
      expect(q.places).toBe(put.status === 200 ? 2 : 6);
    });

    it('leaves the teacher at their home school', async () => {
      const tid = await teacher();
      const p = await nominate(id, tid).expect(201);
      await act(p.body.id, 'approve').expect(200);
      await act(p.body.id, 'arrive', { arrivalDate: '2019-09-02' }, countyA).expect(200);
      const tch = await t.http.get(`/api/v1/teachers/${tid}`).auth(countyA, bearer).expect(200);
      expect(tch.body.schoolId).toBe(homeA);
      const got = await t.http.get(`/api/v1/placements/${p.body.id}`).auth(countyA, bearer).expect(200);
      expect(got.body).toMatchObject({ homeSchoolId: homeA, homeSchoolName: '兰山区第三中学', status: 'IN_SERVICE' });
    });

    it('lists receiving schools across counties for a county admin', async () => {
      const res = await t.http.get('/api/v1/schemes/receiving-schools').auth(countyA, bearer).expect(200);
      expect(res.body.items).toContainEqual({
        id: receiving,
        name: '沂南县岸堤镇中心小学',
        countyId: yinan,
        countyName: '沂南县',
      });
      expect(res.body.items.map((s: any) => s.id)).not.toContain(plainSchool);
    });
  });

  describe('transitions', () => {
    let id: number;
    beforeAll(async () => {
      id = await scheme({ places: 40 }, [
        { countyId: lanshan, places: 30 },
        { countyId: luozhuang, places: 10 },
      ]);
    });

    async function inStatus(status: string): Promise<number> {
      const p = (await nominate(id, await teacher()).expect(201)).body.id;
      if (status === 'NOMINATED') return p;
      if (status === 'REJECTED') return (await act(p, 'reject', { reason: '材料不全' }).expect(200), p);
      await act(p, 'approve').expect(200);
      if (status === 'APPROVED') return p;
      await act(p, 'arrive', { arrivalDate: '2019-09-01' }).expect(200);
      if (status === 'IN_SERVICE') return p;
      if (status === 'COMPLETED')
        return (await act(p, 'complete', { assessment: '优秀', comment: '成效明显' }).expect(200), p);
      return (await act(p, 'terminate', { date: '2019-12-31', reason: '因病返回' }).expect(200), p);
    }

    it('runs the whole life cycle, each step audited', async () => {
      const tid = await teacher();
      const p = (await nominate(id, tid).expect(201)).body;
      const approved = await act(p.id, 'approve').expect(200);
      expect(approved.body.status).toBe('APPROVED');
      expect(approved.body.decidedAt).toEqual(expect.any(String));
      const arrived = await act(p.id, 'arrive', { arrivalDate: '2019-09-16' }, countyA).expect(200);
      expect(arrived.body).toMatchObject({ status: 'IN_SERVICE', arrivalDate: '2019-09-16' });
      const done = await act(p.id, 'complete', { assessment: '合格', comment: '完成教学任务' }, countyA).expect(200);
      expect(done.body).toMatchObject({
        status: 'COMPLETED',
        statusLabel: '服务期满',
        endDate: '2020-07-15',
        assessment: '合格',
        assessmentComment: '完成教学任务',
        daysServed: 304,
        stipendDueFen: 1_905_956,
      });
      const audit = await t.http
        .get(`/api/v1/audit?entity=placement&entityId=${p.id}&pageSize=50`)
        .auth(admin, bearer)
        .expect(200);
      expect(audit.body.items.map((a: any) => a.action).sort()).toEqual(['approve', 'arrive', 'complete', 'nominate']);
      expect(JSON.stringify(audit.body)).not.toContain('完成教学任务');
      // The teacher is free again after completion.
      await nominate(id, tid).expect(201);
    });

    it('rejects with a reason, gives the place back and frees the teacher', async () => {
      const s = await scheme({ places: 1 }, [{ countyId: lanshan, places: 1 }]);
      const tid = await teacher();
      const p = (await nominate(s, tid).expect(201)).body;
      await nominate(s, await teacher()).expect(409);
      const noReason = await act(p.id, 'reject', {}).expect(400);
      expect(noReason.body.errors[0].field).toBe('reason');
      await act(p.id, 'reject', { reason: '材料不全' }, countyA).expect(403);
      const rejected = await act(p.id, 'reject', { reason: '材料不全' }).expect(200);
      expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: '材料不全' });
      const quotas = await t.http.get(`/api/v1/schemes/${s}/quotas`).auth(admin, bearer).expect(200);
      expect(quotas.body[0].used).toBe(0);
      await nominate(s, tid).expect(201);
    });

    it('ends early with a reason and a date, prorating the stipend', async () => {
      const p = await inStatus('IN_SERVICE');
      const before = await act(p, 'terminate', { date: '2019-08-31', reason: '家中有事' }).expect(400);
      expect(before.body).toMatchObject({ code: 'DATE_OUTSIDE_SERVICE', errors: [{ field: 'date' }] });
      await act(p, 'terminate', { date: '2019-12-01' }).expect(400);
      const res = await act(p, 'terminate', { date: '2020-01-10', reason: '家中有事' }, countyA).expect(200);
      expect(res.body).toMatchObject({
        status: 'TERMINATED',
        statusLabel: '提前终止',
        endDate: '2020-01-10',
        terminationReason: '家中有事',
        daysServed: 132,
        stipendDueFen: 827_586,
      });
    });

    it('checks the arrival date against the term and today, and the assessment', async () => {
      const p = await inStatus('APPROVED');
      const early = await act(p, 'arrive', { arrivalDate: '2019-08-31' }).expect(400);
      expect(early.body).toMatchObject({ code: 'DATE_OUTSIDE_TERM', errors: [{ field: 'arrivalDate' }] });
      await act(p, 'arrive', { arrivalDate: '2020-07-16' }).expect(400);
      await act(p, 'arrive', { arrivalDate: '2019-13-01' }).expect(400);
      await act(p, 'arrive', { arrivalDate: '2019-09-01' }, countyB).expect(404);
      await act(p, 'arrive', { arrivalDate: '2019-09-01' }).expect(200);
      const bad = await act(p, 'complete', { assessment: '良好', comment: '' }).expect(400);
      expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['assessment', 'comment']);
      for (const assessment of ['优秀', '合格', '基本合格', '不合格']) expect(assessment).toMatch(/[\u4e00-\u9fff]/);
      await act(p, 'complete', { assessment: '不合格', comment: '未完成任务' }).expect(200);
    });

    it('refuses completion before the term ends, and accrues stipend to today while in service', async () => {
      const start = isoDaysFromToday(-9);
      const s = await scheme({ termStart: start, termEnd: isoDaysFromToday(300) }, [{ countyId: lanshan, places: 2 }]);
      const p = await inService(s, start);
      const res = await act(p, 'complete', { assessment: '优秀', comment: '好' }).expect(409);
      expect(res.body.code).toBe('TERM_NOT_ENDED');
      const got = await t.http.get(`/api/v1/placements/${p}`).auth(admin, bearer).expect(200);
      expect(got.body.daysServed).toBe(10);
      expect(got.body.stipendDueFen).toBe(Math.floor((2 * 2_000_000 * 10 + 310) / (2 * 310)));
      const future = await act(await inStatusIn(s, 'APPROVED'), 'arrive', { arrivalDate: isoDaysFromToday(1) }).expect(
        400,
      );
      expect(future.body.code).toBe('DATE_IN_FUTURE');
    });

    async function inStatusIn(s: number, _status: 'APPROVED'): Promise<number> {
      const p = (await nominate(s, await teacher()).expect(201)).body.id;
      await act(p, 'approve').expect(200);
      return p;
    }

    const LEGAL: Record<string, string[]> = {
      NOMINATED: ['approve', 'reject'],
      APPROVED: ['arrive'],
      REJECTED: [],
      IN_SERVICE: ['complete', 'terminate'],
      COMPLETED: [],
      TERMINATED: [],
    };
    const BODIES: Record<string, Record<string, unknown>> = {
      approve: {},
      reject: { reason: '不符合' },
      arrive: { arrivalDate: '2019-09-02' },
      complete: { assessment: '合格', comment: '好' },
      terminate: { date: '2019-10-01', reason: '返回' },
    };

    it.each(Object.keys(LEGAL))('refuses every illegal action from %s with 409 and changes nothing', async (status) => {
      const p = await inStatus(status);
      const before = (await t.http.get(`/api/v1/placements/${p}`).auth(admin, bearer).expect(200)).body;
      for (const action of Object.keys(BODIES).filter((a) => !LEGAL[status].includes(a))) {
        const res = await act(p, action, BODIES[action]).expect(409);
        expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', status });
        expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
      }
      const after = (await t.http.get(`/api/v1/placements/${p}`).auth(admin, bearer).expect(200)).body;
      expect(after).toEqual(before);
    });

    it('lets one of two concurrent approvals through', async () => {
      const p = await inStatus('NOMINATED');
      const results = await Promise.all([act(p, 'approve'), act(p, 'approve'), act(p, 'reject', { reason: '重复' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    });

    it('gives the service-certificate data of a completed placement only', async () => {
      const service = t.app.get(PlacementsService);
      const done = await inStatus('COMPLETED');
      const data = await service.serviceCertificateData(t.db.manager, SYSTEM_ACTOR, done);
      expect(data).toMatchObject({
        placementId: done,
        schemeKind: 'THREE_DISTRICTS',
        schemeKindLabel: '国家"三区"人才支持计划教师专项计划',
        homeSchoolName: '兰山区第三中学',
        homeCountyName: '兰山区',
        receivingSchoolName: '沂南县岸堤镇中心小学',
        receivingCountyName: '沂南县',
        arrivalDate: '2019-09-01',
        endDate: '2020-07-15',
        daysServed: 319,
        assessment: '优秀',
      });
      expect(JSON.stringify(data)).not.toMatch(/\d{17}[\dX]/);
      const serving = await inStatus('IN_SERVICE');
      await expect(service.serviceCertificateData(t.db.manager, SYSTEM_ACTOR, serving)).rejects.toMatchObject({
        code: 'NOT_COMPLETED',
      });
    });
  });

  describe('visibility', () => {
    it('shows a county its own placements, a teacher their own, and hides the rest (404)', async () => {
      const s = await scheme({}, [
        { countyId: lanshan, places: 3 },
        { countyId: luozhuang, places: 3 },
      ]);
      const phone = makePhone(serial);
      const tid = await teacher();
      const mine = (await nominate(s, tid).expect(201)).body.id;
      const theirs = (await nominate(s, await teacher({}, countyB, homeB), countyB).expect(201)).body.id;
      await t.http.get(`/api/v1/placements/${theirs}`).auth(countyA, bearer).expect(404);
      await act(theirs, 'arrive', { arrivalDate: '2019-09-01' }, countyA).expect(404);
      const listA = await t.http.get(`/api/v1/schemes/${s}/placements`).auth(countyA, bearer).expect(200);
      expect(listA.body.items.map((p: any) => p.id)).toEqual([mine]);
      const listCity = await t.http.get(`/api/v1/schemes/${s}/placements?pageSize=1`).auth(admin, bearer).expect(200);
      expect(listCity.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });

      await t.http
        .post('/api/v1/users')
        .auth(countyA, bearer)
        .send({ username: phone, password: 'Start1234', role: 'TEACHER', teacherId: tid })
        .expect(201);
      const first = await login(t.http, phone, 'Start1234');
      const changed = await t.http
        .post('/api/v1/auth/password')
        .auth(first, bearer)
        .send({ currentPassword: 'Start1234', newPassword: 'Teacher123' })
        .expect(200);
      const teacherToken = changed.body.accessToken;
      const own = await t.http.get('/api/v1/placements').auth(teacherToken, bearer).expect(200);
      expect(own.body.items.map((p: any) => p.id)).toEqual([mine]);
      await t.http.get(`/api/v1/placements/${theirs}`).auth(teacherToken, bearer).expect(404);
      await act(mine, 'approve', {}, teacherToken).expect(403);
      await t.http.get(`/api/v1/schemes/${s}`).auth(teacherToken, bearer).expect(403);
    });
  });

  describe('stipend ledger, register and dashboard', () => {
    let s: number;
    let full: number;
    let mid: number;
    let early: number;
    let feb: number;
    let other: number;

    beforeAll(async () => {
      s = await scheme({ places: 10, title: '2019年三区计划（台账）' }, [
        { countyId: lanshan, places: 6 },
        { countyId: luozhuang, places: 4 },
      ]);
      full = await inService(s, '2019-09-01');
      await act(full, 'complete', { assessment: '优秀', comment: '成效明显' }).expect(200);
      mid = await inService(s, '2019-09-16');
      await act(mid, 'complete', { assessment: '合格', comment: '良好' }).expect(200);
      early = await inService(s, '2019-09-01');
      await act(early, 'terminate', { date: '2020-01-10', reason: '因病返回' }).expect(200);
      feb = await inService(s, '2020-02-01', countyB);
      await act(feb, 'terminate', { date: '2020-02-29', reason: '调整' }, countyB).expect(200);
      other = (await nominate(s, await teacher()).expect(201)).body.id; // NOMINATED: nothing due
    });

    it('prorates by days served and sums months exactly (full term, mid-month arrival, early return, leap February)', async () => {
      const res = await t.http.get(`/api/v1/schemes/${s}/ledger`).auth(admin, bearer).expect(200);
      const l = res.body;
      expect(l).toMatchObject({
        daysInTerm: 319,
        stipendPerYearFen: 2_000_000,
        months: [
          '2019-09',
          '2019-10',
          '2019-11',
          '2019-12',
          '2020-01',
          '2020-02',
          '2020-03',
          '2020-04',
          '2020-05',
          '2020-06',
          '2020-07',
        ],
      });
      expect(l.rounding).toContain('最大余数法');
      const row = (id: number) => l.rows.find((r: any) => r.placementId === id);
      expect(row(other)).toBeUndefined();
      expect(row(full)).toMatchObject({
        daysServed: 319,
        totalFen: 2_000_000,
        servedFrom: '2019-09-01',
        servedTo: '2020-07-15',
      });
      expect(row(full).months.find((m: any) => m.month === '2020-02')).toEqual({
        month: '2020-02',
        days: 29,
        workFen: 181_818,
        travelFen: 0,
        insuranceFen: 0,
        dueFen: 181_818,
        paidFen: 0,
      });
      expect(row(mid)).toMatchObject({ daysServed: 304, totalFen: 1_905_956 });
      expect(row(mid).months[0]).toMatchObject({ month: '2019-09', days: 15 });
      expect(row(early)).toMatchObject({ daysServed: 132, totalFen: 827_586, servedTo: '2020-01-10' });
      expect(row(feb)).toMatchObject({
        daysServed: 29,
        totalFen: 181_818,
        months: [
          { month: '2020-02', days: 29, workFen: 181_818, travelFen: 0, insuranceFen: 0, dueFen: 181_818, paidFen: 0 },
        ],
      });
      for (const r of l.rows) expect(r.months.reduce((n: number, m: any) => n + m.dueFen, 0)).toBe(r.totalFen);

      const countyA = l.counties.find((c: any) => c.countyId === lanshan);
      expect(countyA).toMatchObject({ countyName: '兰山区', placements: 3, totalFen: 2_000_000 + 1_905_956 + 827_586 });
      expect(l.counties.find((c: any) => c.countyId === luozhuang)).toMatchObject({ placements: 1, totalFen: 181_818 });
      expect(l.total).toMatchObject({ placements: 4, totalFen: 2_000_000 + 1_905_956 + 827_586 + 181_818 });
      expect(l.total.monthsFen.reduce((n: number, x: number) => n + x, 0)).toBe(l.total.totalFen);
      const own = await t.http.get(`/api/v1/schemes/${s}/ledger`).auth(countyB, bearer).expect(200);
      expect(own.body.rows.map((r: any) => r.placementId)).toEqual([feb]);
      expect(own.body.total.totalFen).toBe(181_818);
      const filtered = await t.http
        .get(`/api/v1/schemes/${s}/ledger?countyId=${luozhuang}`)
        .auth(admin, bearer)
        .expect(200);
      expect(filtered.body.total.totalFen).toBe(181_818);
    });

    it('exports the ledger as .xlsx, in yuan, with masked IDs as text', async () => {
      const res = await t.http
        .get(`/api/v1/schemes/${s}/ledger/export`)
        .auth(admin, bearer)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
      const wb = await readXlsx(res.body);
      const detail = wb.getWorksheet('津贴明细')!;
      expect(detail.getRow(1).getCell(4).value).toBe('身份证号');
      expect(detail.rowCount).toBe(5);
      const idCell = detail.getRow(2).getCell(4);
      expect(typeof idCell.value).toBe('string');
      expect(String(idCell.value)).toMatch(/^\d{6}\*{8}/);
      expect(idCell.numFmt).toBe('@');
      const summary = wb.getWorksheet('县区汇总')!;
      const last = summary.getRow(summary.rowCount);
      expect(last.getCell(1).value).toBe('合计');
      const spent = (summary.getRow(1).values as unknown[]).indexOf('经费支出合计（元）');
      expect(last.getCell(spent).value).toBeCloseTo((2_000_000 + 1_905_956 + 827_586 + 181_818) / 100, 2);
    });

    it('exports the register with every placement, text cells and formula-looking names escaped', async () => {
      const trap = await createSchool(t.http, admin, yinan, '=HYPERLINK("http://x")', { receivingSchool: true });
      const tid = await teacher({}, countyB, homeB);
      await nominate(s, tid, countyB, trap).expect(201);
      const res = await t.http
        .get(`/api/v1/schemes/${s}/register/export`)
        .auth(admin, bearer)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const ws = (await readXlsx(res.body)).getWorksheet('选派台账')!;
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual([
        '序号',
        '派出县区',
        '姓名',
        '身份证号',
        '派出学校',
        '受援县区',
        '受援学校',
        '状态',
        '到岗日期',
        '离岗日期',
        '服务天数',
        '考核结果',
        '考核评语',
        '备注',
        '应发津贴（元）',
        '组团',
        '队长',
      ]);
      expect(ws.rowCount).toBe(7);
      const rows = [];
      for (let i = 2; i <= ws.rowCount; i++) rows.push((ws.getRow(i).values as unknown[]).slice(1));
      const trapRow = rows.find((r) => String(r[6]).includes('HYPERLINK'))!;
      expect(trapRow[6]).toBe('\'=HYPERLINK("http://x")');
      for (const r of rows) expect(typeof ws.getRow(rows.indexOf(r) + 2).getCell(4).value).toBe('string');
      const fullRow = rows.find((r) => r[11] === '优秀')!;
      expect(fullRow).toEqual(
        expect.arrayContaining([
          '兰山区',
          '兰山区第三中学',
          '沂南县',
          '沂南县岸堤镇中心小学',
          '服务期满',
          '2019-09-01',
          '2020-07-15',
          319,
          '优秀',
          '成效明显',
          20000,
        ]),
      );
      const countyOnly = await t.http
        .get(`/api/v1/schemes/${s}/register/export`)
        .auth(countyB, bearer)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect((await readXlsx(countyOnly.body)).getWorksheet('选派台账')!.rowCount).toBe(3);
      await t.http.get(`/api/v1/schemes/${s}/register/export`).auth('nope', bearer).expect(401);
    });

    it('gives dashboard figures per county and in total, scoped for a county', async () => {
      const res = await t.http.get(`/api/v1/schemes/${s}/dashboard`).auth(admin, bearer).expect(200);
      const a = res.body.counties.find((c: any) => c.countyId === lanshan);
      expect(a).toEqual({
        countyId: lanshan,
        countyName: '兰山区',
        places: 6,
        nominated: 1,
        approved: 0,
        inService: 0,
        completed: 2,
        terminated: 1,
        rejected: 0,
        stipendDueFen: 2_000_000 + 1_905_956 + 827_586,
      });
      const b = res.body.counties.find((c: any) => c.countyId === luozhuang);
      expect(b).toMatchObject({ places: 4, nominated: 1, terminated: 1, stipendDueFen: 181_818 });
      expect(res.body.total).toEqual({
        places: 10,
        nominated: 2,
        approved: 0,
        inService: 0,
        completed: 2,
        terminated: 2,
        rejected: 0,
        stipendDueFen: 2_000_000 + 1_905_956 + 827_586 + 181_818,
      });
      const own = await t.http.get(`/api/v1/schemes/${s}/dashboard`).auth(countyB, bearer).expect(200);
      expect(own.body.counties.map((c: any) => c.countyId)).toEqual([luozhuang]);
      expect(own.body.total).toMatchObject({ places: 4, stipendDueFen: 181_818 });
    });

    it('refuses to change the term or stipend once teachers have arrived', async () => {
      const res = await t.http
        .patch(`/api/v1/schemes/${s}`)
        .auth(admin, bearer)
        .send({ stipendPerYearFen: 3_000_000 })
        .expect(409);
      expect(res.body.code).toBe('SCHEME_IN_SERVICE');
      await t.http.patch(`/api/v1/schemes/${s}`).auth(admin, bearer).send({ title: '改名后的计划' }).expect(200);
    });
  });

  describe('plans as the notices define them (issue 23)', () => {
    it('keeps the national defaults fixed and lets the office set the 西部隆起带 defaults, used by new schemes', async () => {
      const list = await t.http.get('/api/v1/scheme-rule-defaults').auth(countyA, bearer).expect(200);
      expect(list.body.map((d: any) => [d.kind, d.editable])).toEqual([
        ['THREE_DISTRICTS', false],
        ['WESTERN_BELT', true],
      ]);
      expect(list.body[1].source).toContain('本局自定');
      const national = await t.http
        .put('/api/v1/scheme-rule-defaults/THREE_DISTRICTS')
        .auth(admin, bearer)
        .send({ minYearsOfService: 3 })
        .expect(409);
      expect(national.body.code).toBe('NATIONAL_DEFAULTS');
      await t.http.put('/api/v1/scheme-rule-defaults/WESTERN_BELT').auth(countyA, bearer).send({}).expect(403);
      await t.http.put('/api/v1/scheme-rule-defaults/OTHER').auth(admin, bearer).send({}).expect(400);
      const bad = await t.http
        .put('/api/v1/scheme-rule-defaults/WESTERN_BELT')
        .auth(admin, bearer)
        .send({ maxAgeFemale: 5, minPutonghua: '四级' })
        .expect(400);
      expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['maxAgeFemale', 'minPutonghua']);
      const set = await t.http
        .put('/api/v1/scheme-rule-defaults/WESTERN_BELT')
        .auth(admin, bearer)
        .send({ minYearsOfService: 3, maxAgeMale: 50, maxAgeFemale: 45, minBackboneLevel: 'COUNTY' })
        .expect(200);
      expect(set.body.rules).toMatchObject({ minYearsOfService: 3, maxAgeMale: 50, minBackboneLevel: 'COUNTY' });
      const belt = await scheme({ kind: 'WESTERN_BELT', year: 2020 });
      const beltRules = (await t.http.get(`/api/v1/schemes/${belt}`).auth(admin, bearer).expect(200)).body.rules;
      expect(beltRules).toMatchObject({ minYearsOfService: 3, maxAgeMale: 50, maxAgeFemale: 45, minTitle: '一级教师' });
      const three = await scheme({ year: 2020 });
      const threeRules = (await t.http.get(`/api/v1/schemes/${three}`).auth(admin, bearer).expect(200)).body.rules;
      expect(threeRules).toMatchObject({ minYearsOfService: 5, maxAgeMale: null, minBackboneLevel: null });
      // Put back, so later schemes of this suite start from the national rules.
      await t.http
        .put('/api/v1/scheme-rule-defaults/WESTERN_BELT')
        .auth(admin, bearer)
        .send({ minYearsOfService: 5, maxAgeMale: null, maxAgeFemale: null, minBackboneLevel: null })
        .expect(200);
    });

    it('records a teacher’s 普通话 level, optional and checked', async () => {
      const id = await teacher({ putonghuaLevel: '二级甲等' });
      const got = await t.http.get(`/api/v1/teachers/${id}`).auth(countyA, bearer).expect(200);
      expect(got.body.putonghuaLevel).toBe('二级甲等');
      const none = await t.http
        .get(`/api/v1/teachers/${await teacher()}`)
        .auth(countyA, bearer)
        .expect(200);
      expect(none.body.putonghuaLevel).toBeNull();
      const bad = await t.http
        .post('/api/v1/teachers')
        .auth(countyA, bearer)
        .send({
          name: '某某',
          idNumber: '11010519491231002X',
          phone: makePhone(9999),
          schoolId: homeA,
          putonghuaLevel: '特级',
        })
        .expect(400);
      expect(bad.body.errors.map((e: any) => e.field)).toEqual(['putonghuaLevel']);
    });

    it('refuses a teacher of a 受援 school and reports every provincial rule that fails, all at once', async () => {
      const id = await scheme(
        { rules: { maxAgeMale: 50, maxAgeFemale: 45, minBackboneLevel: 'CITY', kindergartenMinTitle: '二级教师' } },
        [{ countyId: lanshan, places: 10 }],
      );
      const receivingHome = await createSchool(t.http, countyA, lanshan, '兰山区某受援小学', { receivingSchool: true });
      const old = await teacher(
        {
          idNumber: makeIdNumber(900, '371302', '19600101'),
          title: '二级教师',
          backboneLevel: 'COUNTY',
          putonghuaLevel: '三级甲等',
        },
        countyA,
        receivingHome,
      );
      const refused = await nominate(id, old).expect(409);
      expect(refused.body.code).toBe('NOT_ELIGIBLE');
      expect(refused.body.reasons).toEqual([
        '所在学校本身是受援学校（计划从城镇学校选派教师到受援学校）',
        '职称须为一级教师及以上（现为二级教师）',
        '须为市级及以上骨干教师（现为县级）',
        '女教师年龄不超过 45 周岁（服务期开始时 59 周岁）',
        '普通话须达到二级乙等及以上（现为三级甲等）',
      ]);
      // A kindergarten 二级教师 of 45, a city 骨干 with 二级甲等: every relaxed rule passes.
      const kg = await teacher({
        idNumber: makeIdNumber(902, '371302', '19740901'),
        stage: '幼儿园',
        title: '二级教师',
        backboneLevel: 'CITY',
        putonghuaLevel: '二级甲等',
      });
      await nominate(id, kg).expect(201);
      // The home-school rule can be switched off per scheme.
      await t.http
        .patch(`/api/v1/schemes/${id}`)
        .auth(admin, bearer)
        .send({ rules: { homeNotReceiving: false } })
        .expect(200);
      const again = await nominate(id, old).expect(409);
      expect(again.body.reasons).toHaveLength(4);
    });

    it('splits the standard into items, refuses a split above it, and shows each item, 应发 and 实发 in the ledger', async () => {
      const tooMuch = await t.http
        .post('/api/v1/schemes')
        .auth(admin, bearer)
        .send({
          kind: 'THREE_DISTRICTS',
          year: 2019,
          places: 5,
          ...TERM,
          stipendItems: { travelMode: 'LUMP_SUM', travelFen: 1_990_000, insuranceFen: 20_000 },
        })
        .expect(400);
      expect(tooMuch.body).toMatchObject({ code: 'STIPEND_SPLIT', errors: [{ field: 'stipendItems' }] });
      const id = await scheme({ stipendItems: { travelMode: 'LUMP_SUM', travelFen: 150_000, insuranceFen: 50_000 } }, [
        { countyId: lanshan, places: 3 },
        { countyId: luozhuang, places: 2 },
      ]);
      const got = await t.http.get(`/api/v1/schemes/${id}`).auth(admin, bearer).expect(200);
      expect(got.body.stipendItems).toEqual({
        stipendPerYearFen: 2_000_000,
        workSubsidyFen: 1_800_000,
        travelMode: 'LUMP_SUM',
        travelModeLabel: '一次性包干',
        travelFen: 150_000,
        travelTrips: 0,
        travelBudgetFen: 150_000,
        insuranceFen: 50_000,
      });
      const full = await inService(id, '2019-09-01');
      await act(full, 'complete', { assessment: '合格', comment: '良好' }).expect(200);
      const early = await inService(id, '2019-12-20', countyB);
      await act(early, 'terminate', { date: '2020-01-10', reason: '家庭原因' }, countyB).expect(200);

      // 实发: September paid in part, refused above what is due, and outside the term.
      const paid = await t.http
        .post(`/api/v1/placements/${full}/payments`)
        .auth(countyA, bearer)
        .send({ month: '2019-09', amountFen: 300_000, paidOn: '2019-10-10' })
        .expect(201);
      expect(paid.body.payments).toEqual([
        expect.objectContaining({
          month: '2019-09',
          amountFen: 300_000,
          paidOn: '2019-10-10',
          paidByName: expect.any(String),
        }),
      ]);
      expect(paid.body.months[0]).toMatchObject({
        month: '2019-09',
        workFen: 169_279,
        travelFen: 150_000,
        insuranceFen: 50_000,
        dueFen: 319_279,
        paidFen: 300_000,
      });
      const over = await t.http
        .post(`/api/v1/placements/${full}/payments`)
        .auth(countyA, bearer)
        .send({ month: '2020-07', amountFen: 1_650_001, paidOn: '2020-07-20' })
        .expect(409);
      expect(over.body.code).toBe('OVERPAID');
      const outside = await t.http
        .post(`/api/v1/placements/${full}/payments`)
        .auth(countyA, bearer)
        .send({ month: '2020-08', amountFen: 100, paidOn: '2020-08-01' })
        .expect(400);
      expect(outside.body.code).toBe('MONTH_OUTSIDE_TERM');
      await t.http
        .post(`/api/v1/placements/${full}/payments`)
        .auth(countyA, bearer)
        .send({ month: '2019-9', amountFen: 0, paidOn: 'x' })
        .expect(400);
      await t.http
        .post(`/api/v1/placements/${full}/payments`)
        .auth(countyB, bearer)
        .send({ month: '2019-09', amountFen: 100, paidOn: '2019-10-10' })
        .expect(404);
      const lump = await t.http
        .post(`/api/v1/placements/${full}/trips`)
        .auth(countyA, bearer)
        .send({ date: '2019-10-01' })
        .expect(409);
      expect(lump.body.code).toBe('TRAVEL_LUMP_SUM');

      const l = (await t.http.get(`/api/v1/schemes/${id}/ledger`).auth(admin, bearer).expect(200)).body;
      const row = (pid: number) => l.rows.find((r: any) => r.placementId === pid);
      expect(row(full)).toMatchObject({
        workFen: 1_800_000,
        travelFen: 150_000,
        insuranceFen: 50_000,
        dueFen: 1_950_000,
        paidFen: 300_000,
        totalFen: 2_000_000,
      });
      // Early return over the new year: work to the last day, lump sum and premium in the first month.
      expect(row(early).months.map((m: any) => [m.month, m.days, m.travelFen, m.insuranceFen])).toEqual([
        ['2019-12', 12, 150_000, 50_000],
        ['2020-01', 10, 0, 0],
      ]);
      expect(row(early).workFen).toBe(Math.floor((2 * 1_800_000 * 22 + 319) / (2 * 319)));
      const a = l.counties.find((c: any) => c.countyId === lanshan);
      expect(a).toMatchObject({
        placements: 1,
        standardFen: 2_000_000,
        totalFen: 2_000_000,
        balanceFen: 0,
        paidFen: 300_000,
      });
      expect(a.workFen + a.travelFen + a.insuranceFen + a.balanceFen).toBe(a.standardFen);
      expect(l.total.standardFen).toBe(4_000_000);
      expect(l.total.workFen + l.total.travelFen + l.total.insuranceFen + l.total.balanceFen).toBe(l.total.standardFen);
      expect(l.total.paidMonthsFen[0]).toBe(300_000);
      expect(l.total.monthsFen.reduce((n: number, x: number) => n + x, 0)).toBe(l.total.dueFen);

      const mine = await t.http.get(`/api/v1/placements/${full}/stipend`).auth(admin, bearer).expect(200);
      expect(mine.body).toMatchObject({ dueFen: 1_950_000, paidFen: 300_000, trips: [] });

      const wb = await readXlsx(
        (
          await t.http
            .get(`/api/v1/schemes/${id}/ledger/export`)
            .auth(admin, bearer)
            .buffer(true)
            .parse(binary)
            .expect(200)
        ).body,
      );
      const summary = wb.getWorksheet('县区汇总')!;
      const header = (summary.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(-8)).toEqual([
        '工作补助（元）',
        '交通差旅费（元）',
        '意外保险（元，付保险公司）',
        '应发合计（元）',
        '实发合计（元）',
        '经费支出合计（元）',
        '经费标准（元）',
        '结余（元）',
      ]);
      const last = (summary.getRow(summary.rowCount).values as unknown[]).slice(1);
      expect(last[0]).toBe('合计');
      expect(last.slice(-2)).toEqual([40000, (4_000_000 - l.total.totalFen) / 100]);
    });

    it('pays travel per recorded trip within the budget', async () => {
      const id = await scheme(
        { stipendItems: { travelMode: 'PER_TRIP', travelFen: 40_000, travelTrips: 2, insuranceFen: 30_000 } },
        [{ countyId: lanshan, places: 2 }],
      );
      const p = await inService(id, '2019-09-01');
      const trip = (date: string, token = countyA) =>
        t.http.post(`/api/v1/placements/${p}/trips`).auth(token, bearer).send({ date });
      const first = await trip('2019-10-01').expect(201);
      expect(first.body.trips).toEqual([{ id: expect.any(Number), date: '2019-10-01' }]);
      expect((await trip('2019-08-31').expect(400)).body.code).toBe('DATE_OUTSIDE_SERVICE');
      await trip('2020-02-29').expect(201);
      expect((await trip('2020-03-01').expect(409)).body.code).toBe('TRIPS_EXCEEDED');
      await trip('2019-11-01', countyB).expect(404);
      await act(p, 'complete', { assessment: '优秀', comment: '好' }).expect(200);
      const l = (await t.http.get(`/api/v1/schemes/${id}/ledger`).auth(countyA, bearer).expect(200)).body;
      expect(l.rows[0]).toMatchObject({ travelFen: 80_000, insuranceFen: 30_000, totalFen: 2_000_000 });
      expect(l.rows[0].months.find((m: any) => m.month === '2020-02').travelFen).toBe(40_000);
    });

    it('sends teachers as a team to one receiving school, with a leader, on the register and its export', async () => {
      const id = await scheme({}, [
        { countyId: lanshan, places: 5 },
        { countyId: luozhuang, places: 2 },
      ]);
      const other = await createSchool(t.http, admin, yinan, '沂南县双堠镇中心小学', { receivingSchool: true });
      const p1 = (await nominate(id, await teacher()).expect(201)).body.id;
      const p2 = (await nominate(id, await teacher()).expect(201)).body.id;
      const p3 = (await nominate(id, await teacher(), countyA, other).expect(201)).body.id;
      const pB = (await nominate(id, await teacher({}, countyB, homeB), countyB).expect(201)).body.id;
      const make = (body: Record<string, unknown>, token = countyA) =>
        t.http.post(`/api/v1/schemes/${id}/teams`).auth(token, bearer).send(body);

      expect(
        (await make({ name: '混合团', placementIds: [p1, p3], leaderPlacementId: p1 }).expect(409)).body.code,
      ).toBe('TEAM_MIXED_SCHOOLS');
      expect(
        (await make({ name: '一人团', placementIds: [p1], leaderPlacementId: p1 }).expect(400)).body.errors[0].field,
      ).toBe('placementIds');
      expect(
        (await make({ name: '无队长', placementIds: [p1, p2], leaderPlacementId: p3 }).expect(400)).body.code,
      ).toBe('LEADER_NOT_MEMBER');
      await make({ name: '跨县团', placementIds: [p1, pB], leaderPlacementId: p1 }).expect(404);
      expect(
        (await make({ name: '跨县团', placementIds: [p1, pB], leaderPlacementId: p1 }, admin).expect(409)).body.code,
      ).toBe('TEAM_MIXED_COUNTIES');

      const team = await make({ name: '兰山区赴岸堤支教团', placementIds: [p1, p2], leaderPlacementId: p2 }).expect(
        201,
      );
      expect(team.body).toMatchObject({
        name: '兰山区赴岸堤支教团',
        countyName: '兰山区',
        receivingSchoolName: '沂南县岸堤镇中心小学',
        leaderPlacementId: p2,
      });
      expect(team.body.members.map((m: any) => [m.placementId, m.leader])).toEqual([
        [p1, false],
        [p2, true],
      ]);
      expect((await make({ name: '再组', placementIds: [p1, p2], leaderPlacementId: p1 }).expect(409)).body.code).toBe(
        'ALREADY_IN_TEAM',
      );
      const reg = await t.http.get(`/api/v1/schemes/${id}/placements`).auth(countyA, bearer).expect(200);
      const byId = new Map(reg.body.items.map((p: any) => [p.id, p]));
      expect(byId.get(p2)).toMatchObject({ teamId: team.body.id, teamName: '兰山区赴岸堤支教团', teamLeader: true });
      expect(byId.get(p1)).toMatchObject({ teamName: '兰山区赴岸堤支教团', teamLeader: false });
      expect(byId.get(p3)).toMatchObject({ teamId: null, teamName: null, teamLeader: false });
      const ws = (
        await readXlsx(
          (
            await t.http
              .get(`/api/v1/schemes/${id}/register/export`)
              .auth(countyA, bearer)
              .buffer(true)
              .parse(binary)
              .expect(200)
          ).body,
        )
      ).getWorksheet('选派台账')!;
      const rows = [];
      for (let i = 2; i <= ws.rowCount; i++) rows.push((ws.getRow(i).values as unknown[]).slice(1));
      expect(rows.filter((r) => r[15] === '兰山区赴岸堤支教团').map((r) => r[16] ?? '')).toEqual(['', '是']);

      expect((await t.http.get(`/api/v1/schemes/${id}/teams`).auth(countyB, bearer).expect(200)).body).toEqual([]);
      expect((await t.http.get(`/api/v1/schemes/${id}/teams`).auth(admin, bearer).expect(200)).body).toHaveLength(1);
      await t.http.delete(`/api/v1/teams/${team.body.id}`).auth(countyB, bearer).expect(404);
      await t.http.delete(`/api/v1/teams/${team.body.id}`).auth(countyA, bearer).expect(204);
      const after = await t.http.get(`/api/v1/placements/${p2}`).auth(countyA, bearer).expect(200);
      expect(after.body).toMatchObject({ teamId: null, status: 'NOMINATED' });
    });

    it('puts the service year in the teacher’s file, counted as rural teaching experience, and in its export', async () => {
      const id = await scheme({}, [{ countyId: lanshan, places: 2 }]);
      const p = await inService(id, '2019-09-02');
      await act(p, 'complete', { assessment: '合格', comment: '良好' }).expect(200);
      const teacherId = (await t.http.get(`/api/v1/placements/${p}`).auth(admin, bearer).expect(200)).body.teacherId;
      const f = await t.http.get(`/api/v1/teachers/${teacherId}/file`).auth(countyA, bearer).expect(200);
      expect(f.body.placements).toEqual([
        expect.objectContaining({
          id: p,
          arrivalDate: '2019-09-02',
          endDate: '2020-07-15',
          receivingSchoolName: '沂南县岸堤镇中心小学',
          receivingCountyName: '沂南县',
          assessment: '合格',
          daysServed: 318,
          countsAsRuralService: true,
          ruralServiceNote: '计入城镇教师到乡村任教经历（318 天），可用于职称评聘',
        }),
      ]);
      const wb = await readXlsx(
        (
          await t.http
            .get(`/api/v1/teachers/${teacherId}/file.xlsx`)
            .auth(countyA, bearer)
            .buffer(true)
            .parse(binary)
            .expect(200)
        ).body,
      );
      const ws = wb.getWorksheet('支教经历')!;
      let found = false;
      ws.eachRow((r) => {
        const v = (r.values as unknown[]).slice(1);
        if (v.includes('计入城镇教师到乡村任教经历（318 天），可用于职称评聘'))
          found = v.includes('计入') && v.includes(318);
      });
      expect(found).toBe(true);
    });
  });

  describe('pages: stipend records, teams and the service year (issue 23)', () => {
    const cookie = (token: string) => `shipei_token=${token}`;
    const page = (path: string, token = countyA) => t.http.get(path).set('Cookie', cookie(token));
    const post = (path: string, form: [string, string][], token = countyA) =>
      t.http.post(path).set('Cookie', cookie(token)).type('form').send(new URLSearchParams(form).toString());
    /** The flash message a redirect left, as the next page shows it. */
    async function flashAfter(res: any, path: string, token = countyA): Promise<string> {
      const flash = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
      return (
        await t.http
          .get(path)
          .set('Cookie', [cookie(token), ...flash].join('; '))
          .expect(200)
      ).text;
    }

    it('shows a placement’s items month by month and records trips and payments (实发) from its page', async () => {
      const id = await scheme(
        { stipendItems: { travelMode: 'PER_TRIP', travelFen: 40_000, travelTrips: 1, insuranceFen: 30_000 } },
        [{ countyId: lanshan, places: 1 }],
      );
      const p = await inService(id, '2019-09-01');
      await act(p, 'complete', { assessment: '合格', comment: '良好' }).expect(200);
      const before = await page(`/app/placements/${p}`).expect(200);
      expect(before.text).toContain('津贴明细');
      expect(before.text).toContain('意外保险（付保险公司）');
      expect(before.text).toContain(`action="/app/placements/${p}/trip"`);
      expect(before.text).toContain('<option value="2020-07"');

      const early = await post(`/app/placements/${p}/trip`, [['tripDate', '2019-08-31']]).expect(400);
      expect(early.text).toContain(
        '<p class="field-error" id="e-tripDate">往返日期须在服务期间内（2019-09-01 至 2020-07-15）</p>',
      );
      const trip = await post(`/app/placements/${p}/trip`, [['tripDate', '2019-10-01']]).expect(303);
      expect(trip.headers.location).toBe(`/app/placements/${p}#p-stipend`);
      const after = await flashAfter(trip, `/app/placements/${p}`);
      expect(after).toContain('已登记往返');
      expect(after).toContain('本年度预算的往返次数已全部登记');
      expect(after).not.toContain(`action="/app/placements/${p}/trip"`);

      const pay = await post(`/app/placements/${p}/payment`, [
        ['month', '2019-09'],
        ['amountYuan', '1000.5'],
        ['paidOn', '2019-10-10'],
      ]).expect(303);
      expect(await flashAfter(pay, `/app/placements/${p}`)).toContain('已登记发放（实发）');
      const st = (await t.http.get(`/api/v1/placements/${p}/stipend`).auth(countyA, bearer).expect(200)).body;
      expect(st.trips.map((x: any) => x.date)).toEqual(['2019-10-01']);
      expect(st.payments).toEqual([
        expect.objectContaining({ month: '2019-09', amountFen: 100_050, paidOn: '2019-10-10' }),
      ]);
      expect(st.paidFen).toBe(100_050);

      // Every wrong field at once: the amount typed in yuan, and the month the DTO checks.
      const badAmount = await post(`/app/placements/${p}/payment`, [
        ['amountYuan', '12.345'],
        ['paidOn', '2019-10-10'],
      ]).expect(400);
      expect(badAmount.text).toContain('<p class="field-error" id="e-amountYuan">金额须为元，最多 2 位小数</p>');
      expect(badAmount.text).toContain('<p class="field-error" id="e-month">月份格式为 YYYY-MM</p>');
      const overpaid = await post(`/app/placements/${p}/payment`, [
        ['month', '2019-10'],
        ['amountYuan', '30000'],
        ['paidOn', '2019-11-10'],
      ]).expect(409);
      expect(overpaid.text).toContain('实发合计不能超过应发合计');
      const outside = await post(`/app/placements/${p}/payment`, [
        ['month', '2020-08'],
        ['amountYuan', '10'],
        ['paidOn', '2020-08-10'],
      ]).expect(400);
      expect(outside.text).toContain('月份须在服务期内（2019-09 至 2020-07）');
      await post(
        `/app/placements/${p}/payment`,
        [
          ['month', '2019-09'],
          ['amountYuan', '1'],
          ['paidOn', '2019-10-10'],
        ],
        countyB,
      ).expect(404);
      expect(
        (await t.http.get(`/api/v1/placements/${p}/stipend`).auth(admin, bearer).expect(200)).body.payments,
      ).toHaveLength(1);
    });

    it('builds a team from the register page and dissolves it there', async () => {
      const id = await scheme({}, [{ countyId: lanshan, places: 3 }]);
      const p1 = (await nominate(id, await teacher()).expect(201)).body.id;
      const p2 = (await nominate(id, await teacher()).expect(201)).body.id;
      const register = `/app/schemes/${id}/placements`;
      const before = await page(register).expect(200);
      expect(before.text).toContain(`name="memberIds" value="${p1}"`);
      expect(before.text).toMatch(new RegExp(`<select id="f-leaderPlacementId"[^]*<option value="${p2}">`));

      const noLeader = await post(`/app/schemes/${id}/teams`, [
        ['name', '兰山区赴岸堤支教团'],
        ['memberIds', String(p1)],
        ['memberIds', String(p2)],
      ]).expect(303);
      expect(await flashAfter(noLeader, register)).toContain('未能组建团队');
      expect((await t.http.get(`/api/v1/schemes/${id}/teams`).auth(countyA, bearer).expect(200)).body).toEqual([]);

      const made = await post(`/app/schemes/${id}/teams`, [
        ['name', '兰山区赴岸堤支教团'],
        ['memberIds', String(p1)],
        ['memberIds', String(p2)],
        ['leaderPlacementId', String(p2)],
      ]).expect(303);
      const shown = await flashAfter(made, register);
      expect(shown).toContain('已组建团队「兰山区赴岸堤支教团」（2 人，派往沂南县岸堤镇中心小学）');
      expect(shown).not.toContain(`name="memberIds" value="${p1}"`);
      const [team] = (await t.http.get(`/api/v1/schemes/${id}/teams`).auth(countyA, bearer).expect(200)).body;
      expect(team).toMatchObject({ name: '兰山区赴岸堤支教团', leaderPlacementId: p2 });
      expect((await page(`/app/placements/${p2}`).expect(200)).text).toContain('兰山区赴岸堤支教团（队长）');

      const refused = await post(`/app/schemes/${id}/teams/${team.id}/dissolve`, [], countyB).expect(303);
      expect(refused.headers.location).toBe(`${register}#s-teams`);
      expect((await t.http.get(`/api/v1/schemes/${id}/teams`).auth(admin, bearer).expect(200)).body).toHaveLength(1);
      const gone = await post(`/app/schemes/${id}/teams/${team.id}/dissolve`, []).expect(303);
      expect(await flashAfter(gone, register)).toContain('团队已解散');
      expect((await t.http.get(`/api/v1/schemes/${id}/teams`).auth(admin, bearer).expect(200)).body).toEqual([]);
    });

    it('lets the office switch each of a scheme’s rules on or off with its parameter on its page', async () => {
      const id = await scheme({ kind: 'WESTERN_BELT' });
      const path = `/app/schemes/${id}/rules`;
      const form = await page(path, admin).expect(200);
      expect(form.text).toContain('默认条件由本局自定');
      expect(form.text).toContain('id="f-maxAgeFemale"');
      await page(path).expect(403);
      await post(path, [['maxAgeMale', '55']]).expect(403);
      const before = (await t.http.get(`/api/v1/schemes/${id}`).auth(admin, bearer).expect(200)).body.rules;

      const refused = await post(
        path,
        [
          ['maxAgeMale', '10'],
          ['minPutonghua', '四级'],
          ['appraisalsQualified', 'on'],
        ],
        admin,
      ).expect(400);
      expect(refused.text).toContain('男教师年龄上限：不能小于 18；普通话等级：普通话等级须为');
      expect(refused.text).toMatch(/id="f-maxAgeMale"[^>]*value="10"/);
      expect((await t.http.get(`/api/v1/schemes/${id}`).auth(admin, bearer).expect(200)).body.rules).toEqual(before);

      const saved = await post(
        path,
        [
          ['minYearsOfService', '3'],
          ['minTitle', ''],
          ['kindergartenMinTitle', '二级教师'],
          ['minBackboneLevel', 'COUNTY'],
          ['maxAgeFemale', '50'],
          ['minPutonghua', '二级甲等'],
          ['appraisalsQualified', 'on'],
          ['notSpecialPost', 'on'],
        ],
        admin,
      ).expect(303);
      expect(saved.headers.location).toBe(`/app/schemes/${id}`);
      expect(await flashAfter(saved, `/app/schemes/${id}`, admin)).toContain('的选派条件，此后的推荐按新条件审核。');
      expect((await t.http.get(`/api/v1/schemes/${id}`).auth(admin, bearer).expect(200)).body.rules).toEqual({
        homeNotReceiving: false,
        minYearsOfService: 3,
        minTitle: null,
        kindergartenMinTitle: '二级教师',
        minBackboneLevel: 'COUNTY',
        maxAgeMale: null,
        maxAgeFemale: 50,
        appraisalsQualified: true,
        notOnProbation: false,
        notSpecialPost: true,
        minPutonghua: '二级甲等',
      });
    });

    it('shows the service year and whether it counts as rural teaching experience on the file page', async () => {
      const id = await scheme({}, [{ countyId: lanshan, places: 2 }]);
      const done = await inService(id, '2019-09-02');
      await act(done, 'complete', { assessment: '合格', comment: '良好' }).expect(200);
      const teacherId = (await t.http.get(`/api/v1/placements/${done}`).auth(admin, bearer).expect(200)).body.teacherId;
      const file = await page(`/app/records/teachers/${teacherId}`).expect(200);
      expect(file.text).toContain('<th scope="col">农村任教经历</th>');
      expect(file.text).toContain('<strong>计入</strong>：计入城镇教师到乡村任教经历（318 天），可用于职称评聘');

      const early = await inService(id, '2019-09-02');
      await act(early, 'terminate', { date: '2019-12-31', reason: '身体原因' }, countyA).expect(200);
      const earlyTeacher = (await t.http.get(`/api/v1/placements/${early}`).auth(admin, bearer).expect(200)).body
        .teacherId;
      const earlyFile = await page(`/app/records/teachers/${earlyTeacher}`).expect(200);
      expect(earlyFile.text).toContain('不计入：提前结束，实际在岗 121 天，未满服务期');
    });
  });

  describe('placementConflicts (for enrolment)', () => {
    it('finds teachers whose active placement overlaps the dates', async () => {
      const s = await scheme({}, [{ countyId: lanshan, places: 5 }]);
      const nominated = await teacher();
      await nominate(s, nominated).expect(201);
      const servingP = await inService(s, '2019-11-01');
      const serving = (await t.http.get(`/api/v1/placements/${servingP}`).auth(admin, bearer).expect(200)).body
        .teacherId;
      const endedP = await inService(s, '2019-09-01');
      await act(endedP, 'terminate', { date: '2019-10-01', reason: '返回' }).expect(200);
      const ended = (await t.http.get(`/api/v1/placements/${endedP}`).auth(admin, bearer).expect(200)).body.teacherId;
      const free = await teacher();
      const ids = [nominated, serving, ended, free];

      const summer = await placementConflicts(t.db.manager, ids, '2019-08-01', '2019-08-20');
      expect(summer).toEqual([]);
      const october = await placementConflicts(t.db.manager, ids, '2019-10-10', '2019-10-15');
      expect(october.map((c) => c.teacherId)).toEqual([nominated]);
      const winter = await placementConflicts(t.db.manager, ids, '2020-01-05', '2020-01-09');
      expect(winter).toEqual([
        expect.objectContaining({
          teacherId: nominated,
          status: 'NOMINATED',
          serviceFrom: '2019-09-01',
          serviceTo: '2020-07-15',
        }),
        expect.objectContaining({
          teacherId: serving,
          placementId: servingP,
          status: 'IN_SERVICE',
          serviceFrom: '2019-11-01',
          serviceTo: '2020-07-15',
          schemeId: s,
        }),
      ]);
      expect(await placementConflicts(t.db.manager, [], '2020-01-01', '2020-01-02')).toEqual([]);
    });
  });

  it('documents every route in OpenAPI', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    for (const path of [
      '/api/v1/schemes',
      '/api/v1/schemes/{id}',
      '/api/v1/schemes/{id}/quotas',
      '/api/v1/schemes/{id}/placements',
      '/api/v1/schemes/{id}/ledger',
      '/api/v1/schemes/{id}/ledger/export',
      '/api/v1/schemes/{id}/register/export',
      '/api/v1/schemes/{id}/dashboard',
      '/api/v1/schemes/receiving-schools',
      '/api/v1/placements',
      '/api/v1/placements/{id}',
      '/api/v1/placements/{id}/approve',
      '/api/v1/placements/{id}/reject',
      '/api/v1/placements/{id}/arrive',
      '/api/v1/placements/{id}/complete',
      '/api/v1/placements/{id}/terminate',
      '/api/v1/placements/{id}/stipend',
      '/api/v1/placements/{id}/trips',
      '/api/v1/placements/{id}/payments',
      '/api/v1/schemes/{id}/teams',
      '/api/v1/teams/{id}',
      '/api/v1/scheme-rule-defaults',
      '/api/v1/scheme-rule-defaults/{kind}',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths['/api/v1/schemes/{id}/ledger'].get.description).toContain('四舍五入到分');
  });
});
