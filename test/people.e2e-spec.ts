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

describe('people: organisations, teachers, accounts', () => {
  let t: TestApp;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let countyA: string;
  let countyB: string;
  let schoolA: number;
  let schoolB: number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'luozhuang');
    schoolA = await createSchool(t.http, countyA, lanshan, '兰山区第一小学');
    schoolB = await createSchool(t.http, countyB, luozhuang, '罗庄区实验中学', {
      povertyVillage: false,
      receivingSchool: true,
    });
  });
  afterAll(async () => t?.close());

  describe('login and passwords', () => {
    it('returns a token and the user for the first admin', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: 'Admin12345' })
        .expect(200);
      expect(res.body.user).toMatchObject({ role: 'CITY_ADMIN', mustChangePassword: false });
      expect(res.body.accessToken.split('.')).toHaveLength(3);
    });

    it('forces a one-time password to be changed, and enforces the password rule', async () => {
      const teacherId = await createTeacher(t.http, countyA, schoolA, 9001);
      await t.http
        .post('/api/v1/users')
        .auth(countyA, { type: 'bearer' })
        .send({ username: makePhone(9001), password: 'Start1234', role: 'TEACHER', teacherId })
        .expect(201);
      const first = await login(t.http, makePhone(9001), 'Start1234');
      const blocked = await t.http.get(`/api/v1/teachers/${teacherId}`).auth(first, { type: 'bearer' }).expect(403);
      expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
      const weak = await t.http
        .post('/api/v1/auth/password')
        .auth(first, { type: 'bearer' })
        .send({ currentPassword: 'Start1234', newPassword: 'onlyletters' })
        .expect(400);
      expect(weak.body.message).toContain('字母和数字');
      const ok = await t.http
        .post('/api/v1/auth/password')
        .auth(first, { type: 'bearer' })
        .send({ currentPassword: 'Start1234', newPassword: 'Teacher9001' })
        .expect(200);
      expect(ok.body.user.mustChangePassword).toBe(false);
      const own = await t.http
        .get(`/api/v1/teachers/${teacherId}`)
        .auth(ok.body.accessToken, { type: 'bearer' })
        .expect(200);
      expect(own.body.phone).toBe('139****9001');
    });

    it('locks an account after 5 failed logins, with a Chinese message, even for the right password', async () => {
      await t.http
        .post('/api/v1/users')
        .auth(admin, { type: 'bearer' })
        .send({ username: 'trainer1', password: 'Trainer123', role: 'TRAINER' })
        .expect(201);
      for (let i = 0; i < 4; i++) {
        const r = await t.http
          .post('/api/v1/auth/login')
          .send({ username: 'trainer1', password: 'wrong-pass1' })
          .expect(401);
        expect(r.body.code).toBe('INVALID_CREDENTIALS');
      }
      const fifth = await t.http
        .post('/api/v1/auth/login')
        .send({ username: 'trainer1', password: 'wrong-pass1' })
        .expect(423);
      expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
      expect(fifth.body.message).toMatch(/账号已锁定/);
      await t.http.post('/api/v1/auth/login').send({ username: 'trainer1', password: 'Trainer123' }).expect(423);
    });

    it('gives the same answer for an unknown user as for a wrong password', async () => {
      const r = await t.http.post('/api/v1/auth/login').send({ username: 'nobody', password: 'whatever1' }).expect(401);
      expect(r.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    });

    it('refuses requests without a token or with a tampered one', async () => {
      const anon = await t.http.get('/api/v1/teachers').expect(401);
      expect(anon.body.code).toBe('UNAUTHORIZED');
      const [h, p] = admin.split('.');
      await t.http.get('/api/v1/teachers').auth(`${h}.${p}.forged`, { type: 'bearer' }).expect(401);
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await t.http.get('/api/v1/teachers').auth(`${none}.${p}.`, { type: 'bearer' }).expect(401);
    });
  });

  describe('organisations', () => {
    it('has the 16 seeded county-level units', async () => {
      const res = await t.http
        .get('/api/v1/organisations?type=COUNTY&pageSize=50')
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(res.body.total).toBe(16);
    });

    it('lets a county create schools only under itself', async () => {
      const res = await t.http
        .post('/api/v1/organisations')
        .auth(countyA, { type: 'bearer' })
        .send({ type: 'SCHOOL', name: '越权学校', parentId: luozhuang, povertyVillage: true, receivingSchool: false })
        .expect(403);
      expect(res.body.code).toBe('NOT_OWN_COUNTY');
      const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM organisation WHERE name = ?`, ['越权学校']);
      expect(Number(n)).toBe(0);
    });

    it('scopes schools to the county', async () => {
      const res = await t.http.get('/api/v1/organisations?type=SCHOOL').auth(countyA, { type: 'bearer' }).expect(200);
      expect(res.body.items.map((o: any) => o.id)).toEqual([schoolA]);
      await t.http
        .patch(`/api/v1/organisations/${schoolB}`)
        .auth(countyA, { type: 'bearer' })
        .send({ name: '改名' })
        .expect(404);
    });
  });

  describe('teachers', () => {
    it('derives gender and birth date, masks lists, and reveals in full only to the city (audited)', async () => {
      const res = await t.http
        .post('/api/v1/teachers')
        .auth(countyA, { type: 'bearer' })
        .send({
          name: '李梅',
          idNumber: '11010519491231002x',
          phone: '13912345678',
          schoolId: schoolA,
          stage: '小学',
          subject: '语文',
          title: '一级教师',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        gender: 'F',
        birthDate: '1949-12-31',
        idNumber: '110105********002X',
        phone: '139****5678',
      });
      const full = await t.http
        .get(`/api/v1/teachers/${res.body.id}?full=true`)
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(full.body.idNumber).toBe('11010519491231002X');
      const countyFull = await t.http
        .get(`/api/v1/teachers/${res.body.id}?full=true`)
        .auth(countyA, { type: 'bearer' })
        .expect(200);
      expect(countyFull.body.idNumber).toBe('110105********002X');
      const audit = await t.http
        .get(`/api/v1/audit?entity=teacher&entityId=${res.body.id}&action=reveal`)
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(audit.body.total).toBe(1);
      expect(JSON.stringify(audit.body)).not.toContain('11010519491231002X');
    });

    it('refuses a bad 身份证号 and phone with field messages in Chinese', async () => {
      const res = await t.http
        .post('/api/v1/teachers')
        .auth(countyA, { type: 'bearer' })
        .send({ name: '王五', idNumber: '110108196711301866', phone: '12345', schoolId: schoolA })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(['idNumber', 'phone']);
      expect(res.body.errors[0].message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('says a duplicate 身份证号 is registered in another county, naming neither its school nor the person', async () => {
      await t.http
        .post('/api/v1/teachers')
        .auth(countyA, { type: 'bearer' })
        .send({ name: '赵六', idNumber: '320124198808240056', phone: '13900000001', schoolId: schoolA })
        .expect(201);
      const dup = await t.http
        .post('/api/v1/teachers')
        .auth(countyB, { type: 'bearer' })
        .send({ name: '钱七', idNumber: '320124198808240056', phone: '13900000002', schoolId: schoolB })
        .expect(409);
      expect(dup.body.code).toBe('DUPLICATE_ID_NUMBER');
      expect(dup.body.message).toContain('其他县区');
      expect(dup.body.message).not.toContain('兰山区第一小学');
      expect(dup.body.message).not.toContain('赵六');
    });

    it('keeps a county to its own teachers and schools (404, nothing written)', async () => {
      const idA = await createTeacher(t.http, countyA, schoolA, 9100);
      await t.http.get(`/api/v1/teachers/${idA}`).auth(countyB, { type: 'bearer' }).expect(404);
      await t.http
        .patch(`/api/v1/teachers/${idA}`)
        .auth(countyB, { type: 'bearer' })
        .send({ subject: '数学' })
        .expect(404);
      const wrongSchool = await t.http
        .post('/api/v1/teachers')
        .auth(countyB, { type: 'bearer' })
        .send({ name: '孙八', idNumber: makeIdNumber(9101), phone: makePhone(9101), schoolId: schoolA })
        .expect(404);
      expect(wrongSchool.body.code).toBe('NOT_FOUND');
      const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM teacher WHERE phone = ?`, [makePhone(9101)]);
      expect(Number(n)).toBe(0);
      const listB = await t.http.get('/api/v1/teachers').auth(countyB, { type: 'bearer' }).expect(200);
      expect(listB.body.items.every((x: any) => x.countyId === luozhuang)).toBe(true);
    });

    it('filters the list and pages it', async () => {
      for (let i = 0; i < 5; i++)
        await createTeacher(t.http, countyA, schoolA, 9200 + i, { subject: i % 2 ? '数学' : '英语' });
      const res = await t.http
        .get(`/api/v1/teachers?countyId=${lanshan}&subject=数学&page=1&pageSize=1`)
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(res.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(res.body.items).toHaveLength(1);
      const pv = await t.http.get('/api/v1/teachers?receivingSchool=true').auth(admin, { type: 'bearer' }).expect(200);
      expect(pv.body.items.every((x: any) => x.schoolId === schoolB)).toBe(true);
      const byPhone = await t.http
        .get(`/api/v1/teachers?q=${makePhone(9203)}`)
        .auth(countyA, { type: 'bearer' })
        .expect(200);
      expect(byPhone.body.total).toBe(1);
    });
  });
});
