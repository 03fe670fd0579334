/**
 * 支教证明 (service certificates) of completed placements and the placement warnings of a training
 * program (issue 7), through the API only. Runs on SQLite and MariaDB/MySQL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const TERM = { termStart: '2019-09-01', termEnd: '2020-07-15' };
const ELIGIBLE = {
  title: '一级教师',
  teachingStartYear: 2010,
  appraisalsQualified: true,
  onProbation: false,
  specialPost: false,
};

describe('service certificates (支教证明) and placement warnings', () => {
  let t: TestApp;
  let http: TestAgent;
  let dir: string;
  let admin: string;
  let countyA: string;
  let countyB: string;
  let homeA: number;
  let receiving: number;
  let schemeId: number;
  let serial = 71000;

  const as = (token: string) => ({
    get: (path: string) => http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {}),
    put: (path: string, body: object) => http.put(path).auth(token, { type: 'bearer' }).send(body),
  });
  const ok = async (res: Promise<any> | any) => {
    const r = await res;
    if (r.status < 200 || r.status > 299)
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const teacher = (name: string) => createTeacher(http, countyA, homeA, serial++, { ...ELIGIBLE, name });

  /** A county A placement of a new teacher, driven to IN_SERVICE (arrived 2019-09-02), or COMPLETED. */
  async function placement(
    name: string,
    stage: 'IN_SERVICE' | 'COMPLETED',
  ): Promise<{ id: number; teacherId: number }> {
    const teacherId = await teacher(name);
    const p = await ok(
      as(countyA).post(`/api/v1/schemes/${schemeId}/placements`, { teacherId, receivingSchoolId: receiving }),
    );
    await ok(as(admin).post(`/api/v1/placements/${p.id}/approve`));
    await ok(as(countyA).post(`/api/v1/placements/${p.id}/arrive`, { arrivalDate: '2019-09-02' }));
    if (stage === 'COMPLETED')
      await ok(
        as(countyA).post(`/api/v1/placements/${p.id}/complete`, { assessment: '优秀', comment: '圆满完成支教任务' }),
      );
    return { id: p.id, teacherId };
  }

  function pdfText(buffer: Buffer, name: string): string {
    const file = join(dir, name);
    writeFileSync(file, buffer);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  }

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    dir = mkdtempSync(join(tmpdir(), 'service-certificates-'));
    admin = await adminToken(http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const luozhuang = await countyIdByCode(t.db, '371311');
    const yinan = await countyIdByCode(t.db, '371321');
    countyA = await countyAdmin(http, admin, lanshan, 'svc_lanshan');
    countyB = await countyAdmin(http, admin, luozhuang, 'svc_luozhuang');
    homeA = await createSchool(http, countyA, lanshan, '兰山区白沙埠镇中心小学');
    receiving = await createSchool(http, admin, yinan, '沂南县马牧池乡中心小学', { receivingSchool: true });
    schemeId = (
      await ok(as(admin).post('/api/v1/schemes', { kind: 'THREE_DISTRICTS', year: 2019, places: 20, ...TERM }))
    ).id;
    await ok(as(admin).put(`/api/v1/schemes/${schemeId}/quotas`, [{ countyId: lanshan, places: 10 }]));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('issues a 支教证明 for a completed placement once, prints it with the service template, verifies and revokes it', async () => {
    const p = await placement('司马青云', 'COMPLETED');
    await as(countyB).post(`/api/v1/placements/${p.id}/service-certificate`).expect(404);

    const issued = await as(countyA).post(`/api/v1/placements/${p.id}/service-certificate`).expect(201);
    expect(issued.body).toEqual({
      id: expect.any(Number),
      number: 'ZJ2019-0001',
      verificationCode: expect.any(String),
      status: 'VALID',
    });
    const again = await as(admin).post(`/api/v1/placements/${p.id}/service-certificate`).expect(200);
    expect(again.body).toEqual(issued.body);

    const record = await ok(as(admin).get(`/api/v1/certificates/${issued.body.id}`));
    expect(record).toMatchObject({
      kind: 'SERVICE',
      holderName: '司马青云',
      schoolName: '兰山区白沙埠镇中心小学',
      startDate: '2019-09-02',
      endDate: '2020-07-15',
      creditHours: 0,
      issuer: '临沂市教育局',
    });

    for (const token of [admin, countyA]) {
      const pdf = await as(token)
        .get(`/api/v1/certificates/${issued.body.id}/pdf`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toContain('application/pdf');
      const text = pdfText(pdf.body, `svc-${token === admin ? 'city' : 'county'}.pdf`);
      expect(text).toContain('支教证明');
      expect(text).toContain('司马青云');
      expect(text).toContain('沂南县马牧池乡中心小学');
      expect(text).toContain('优秀');
      expect(text).toContain('ZJ2019-0001');
      expect(text).not.toContain('结业证书');
    }

    const valid = await ok(http.get(`/api/v1/certificates/verify/${issued.body.verificationCode}`));
    expect(valid).toMatchObject({
      number: 'ZJ2019-0001',
      status: 'VALID',
      kind: 'SERVICE',
      kindLabel: '支教证明',
      titleLabel: '支教计划',
      holderName: '司马青云',
      creditHours: 0,
    });
    expect(valid.programTitle).toContain('三区');

    await as(countyA).post(`/api/v1/certificates/${issued.body.id}/revoke`, { reason: '服务期材料有误' }).expect(403);
    const revoked = await ok(
      as(admin).post(`/api/v1/certificates/${issued.body.id}/revoke`, { reason: '服务期材料有误' }),
    );
    expect(revoked.status).toBe('REVOKED');
    const after = await ok(http.get(`/api/v1/certificates/verify/${issued.body.verificationCode}`));
    expect(after).toMatchObject({ number: 'ZJ2019-0001', status: 'REVOKED', statusLabel: '已撤销' });
    await as(admin).get(`/api/v1/certificates/${issued.body.id}/pdf`).expect(409);

    // Revoking frees the placement: re-issuing gives a new certificate with the next number of the series.
    const reissued = await as(admin).post(`/api/v1/placements/${p.id}/service-certificate`).expect(201);
    expect(reissued.body.number).toBe('ZJ2019-0002');
    const second = await placement('欧阳晓雪', 'COMPLETED');
    expect((await as(admin).post(`/api/v1/placements/${second.id}/service-certificate`).expect(201)).body.number).toBe(
      'ZJ2019-0003',
    );
  });

  it('keeps one certificate per placement and gapless numbers under concurrent requests', async () => {
    const year = 2018;
    const older = (
      await ok(
        as(admin).post('/api/v1/schemes', {
          kind: 'WESTERN_BELT',
          year,
          places: 20,
          termStart: '2018-09-01',
          termEnd: '2019-07-15',
        }),
      )
    ).id;
    const lanshan = await countyIdByCode(t.db, '371302');
    await ok(as(admin).put(`/api/v1/schemes/${older}/quotas`, [{ countyId: lanshan, places: 10 }]));
    const ids: number[] = [];
    for (const name of ['公孙一帆', '公孙二帆', '公孙三帆']) {
      const teacherId = await teacher(name);
      const p = await ok(
        as(countyA).post(`/api/v1/schemes/${older}/placements`, { teacherId, receivingSchoolId: receiving }),
      );
      await ok(as(admin).post(`/api/v1/placements/${p.id}/approve`));
      await ok(as(countyA).post(`/api/v1/placements/${p.id}/arrive`, { arrivalDate: '2018-09-03' }));
      await ok(as(countyA).post(`/api/v1/placements/${p.id}/complete`, { assessment: '合格', comment: '完成任务' }));
      ids.push(p.id);
    }
    // Four requests for the first placement and one for each of the others, all at once.
    const calls = [ids[0], ids[0], ids[0], ids[0], ids[1], ids[2]].map((id, i) =>
      as(i % 2 ? countyA : admin).post(`/api/v1/placements/${id}/service-certificate`),
    );
    const replies = await Promise.all(calls);
    expect(replies.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
    const first = replies.slice(0, 4);
    expect(first.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(first.map((r) => r.body.id)).size).toBe(1);
    const numbers = [first[0].body.number, replies[4].body.number, replies[5].body.number].sort();
    expect(numbers).toEqual(['ZJ2018-0001', 'ZJ2018-0002', 'ZJ2018-0003']);
    const rows = await t.db.query(
      `SELECT COUNT(*) AS n FROM certificate WHERE sourceType = 'PLACEMENT' AND number LIKE 'ZJ2018-%'`,
    );
    expect(Number(rows[0].n)).toBe(3);
  });

  it('refuses a placement that is not completed (409 NOT_COMPLETED) and callers who may not issue', async () => {
    const p = await placement('上官明月', 'IN_SERVICE');
    const refused = await as(countyA).post(`/api/v1/placements/${p.id}/service-certificate`).expect(409);
    expect(refused.body.code).toBe('NOT_COMPLETED');
    await as(admin).post(`/api/v1/placements/${p.id}/service-certificate`).expect(409);
    await as(admin).post('/api/v1/placements/999999/service-certificate').expect(404);
    const count = await t.db.query(
      `SELECT COUNT(*) AS n FROM certificate WHERE sourceType = 'PLACEMENT' AND sourceId = ?`,
      [p.id],
    );
    expect(Number(count[0].n)).toBe(0);
  });

  it('warns the program owner about a teacher enrolled during their service term, and not about one trained outside it', async () => {
    const lanshan = await countyIdByCode(t.db, '371302');
    const inTerm = await placement('诸葛春华', 'IN_SERVICE');
    const outOfTerm = await placement('慕容秋实', 'IN_SERVICE');
    const free = await teacher('东方晨曦');

    const program = await ok(
      as(admin).post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年全市骨干教师培训（支教提醒）',
        seats: 10,
        creditHours: 24,
        attendanceThreshold: 0.8,
        certificatePrefix: 'ZJTX',
      }),
    );
    await ok(as(admin).put(`/api/v1/programs/${program.id}/quotas`, [{ countyId: lanshan, seats: 10 }]));
    await ok(as(admin).post(`/api/v1/programs/${program.id}/open`));
    const autumn = await ok(
      as(admin).post(`/api/v1/programs/${program.id}/cohorts`, {
        name: '秋季班',
        capacity: 10,
        startDate: '2019-10-10',
        endDate: '2019-10-12',
        venue: '临沂大学',
      }),
    );
    const summer = await ok(
      as(admin).post(`/api/v1/programs/${program.id}/cohorts`, {
        name: '暑期班',
        capacity: 10,
        startDate: '2019-07-15',
        endDate: '2019-07-20',
        venue: '临沂大学',
      }),
    );

    const enrol = async (teacherId: number, cohortId: number) => {
      const e = await ok(as(countyA).post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
      await ok(as(admin).post(`/api/v1/cohorts/${cohortId}/assignments`, { enrolmentIds: [e.id] }));
      return e.id as number;
    };
    const warnedEnrolment = await enrol(inTerm.teacherId, autumn.id);
    await enrol(outOfTerm.teacherId, summer.id);
    await enrol(free, autumn.id);

    const warnings = await ok(as(admin).get(`/api/v1/programs/${program.id}/placement-warnings`));
    expect(warnings).toEqual([
      {
        enrolmentId: warnedEnrolment,
        teacherId: inTerm.teacherId,
        teacherName: '诸葛春华',
        cohortId: autumn.id,
        schemeTitle: expect.stringContaining('三区'),
        serviceFrom: '2019-09-02',
        serviceTo: '2020-07-15',
        message: expect.stringMatching(/^该教师.*支教服务期内/),
      },
    ]);

    // The program's owner only: a county reads the city program but gets 403; unknown programs 404.
    expect((await as(countyA).get(`/api/v1/programs/${program.id}/placement-warnings`).expect(403)).body.code).toBe(
      'NOT_PROGRAM_OWNER',
    );
    await as(admin).get('/api/v1/programs/999999/placement-warnings').expect(404);
  });
});
