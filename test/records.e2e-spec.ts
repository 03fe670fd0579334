import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import TestAgent from 'supertest/lib/agent';
import { account, binary } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makeIdNumber } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { Clock } from '@shipei/core';

/** Shanghai wall-clock time → Date (no daylight saving in Asia/Shanghai). */
const cst = (s: string) => new Date(`${s}+08:00`);
const ELIGIBLE = {
  title: '一级教师',
  teachingStartYear: 2008,
  appraisalsQualified: true,
  onProbation: false,
  specialPost: false,
};

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** The cell values of a sheet's rows from `from` on, as plain arrays (rich text and formulas as text). */
function rowsOf(ws: ExcelJS.Worksheet, from: number): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n >= from)
      out.push(
        (row.values as unknown[])
          .slice(1)
          .map((v) =>
            v && typeof v === 'object' && 'richText' in (v as object)
              ? (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('')
              : v,
          ),
      );
  });
  return out;
}

/** The text of a PDF in drawing order, without any whitespace (so a cell wrapped over lines reads as one). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'records-pdf-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), pdf);
    return execFileSync('pdftotext', ['-raw', join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An .xlsx like the office's: a title row, then the header on row 2, then the rows (Dates become date cells). */
async function creditSheet(
  rows: (string | number | Date | null)[][],
  header = ['姓名', '身份证号', '培训项目名称', '主办单位', '学时', '培训日期', '证书编号'],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('校外学时');
  ws.addRow(['2021年校外培训学时登记表']);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  ws.getColumn(2).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * 一人一档 and the compliance lists over real data made through the API: three programs completed
 * through attendance (2019; 2020; one whose cohort runs from 2020-12-28 into 2021, across the
 * 2016–2020 / 2021–2025 cycle boundary), certificates, a talent-support placement, and external
 * credits imported from .xlsx.
 *
 * County A (兰山区): T1 (the teacher actor, "self"), T2 (absent in 2019 → 未结业), T4 (no training).
 * County B (罗庄区): T3 (completed 2019), T5 (no training; 10 external hours in 2018 imported by the city).
 */
describe('records: teacher file (一人一档), credit compliance, external credits', () => {
  jest.setTimeout(60_000); // first PDFs load the CJK fonts; MariaDB is slower
  let t: TestApp;
  let http: TestAgent;
  let now: Date;
  const tok: Record<string, string> = {};
  const id: Record<string, number> = {};

  const as = (who: string) => ({
    get: (path: string) => http.get(path).auth(tok[who], { type: 'bearer' }),
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(tok[who], { type: 'bearer' })
        .send(body ?? {}),
    put: (path: string, body: object) => http.put(path).auth(tok[who], { type: 'bearer' }).send(body),
    upload: (path: string, content: Buffer, filename = 'credits.xlsx') =>
      http.post(path).auth(tok[who], { type: 'bearer' }).attach('file', content, filename),
    bytes: (path: string) => http.get(path).auth(tok[who], { type: 'bearer' }).buffer(true).parse(binary),
  });
  const ok = async (res: Promise<any> | any, status = [200, 201]) => {
    const r = await res;
    if (!status.includes(r.status))
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  /** A city program run to completion: nominated by each teacher's county, approved, assigned, confirmed, one session, attendance marked, completion computed. */
  async function completedProgram(p: {
    year: number;
    title: string;
    prefix: string;
    creditHours: number;
    start: string;
    end: string;
    present: number[];
    absent: number[];
  }) {
    const program = await ok(
      as('city').post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: p.year,
        title: p.title,
        seats: 20,
        creditHours: p.creditHours,
        attendanceThreshold: 0.8,
        certificatePrefix: p.prefix,
      }),
    );
    await ok(
      as('city').put(`/api/v1/programs/${program.id}/quotas`, [
        { countyId: id.countyA, seats: 10 },
        { countyId: id.countyB, seats: 10 },
      ]),
    );
    await ok(as('city').post(`/api/v1/programs/${program.id}/open`));
    const enrolments: Record<number, number> = {};
    for (const teacherId of [...p.present, ...p.absent]) {
      const county = [id.T3, id.T5].includes(teacherId) ? 'countyB' : 'countyA';
      const e = await ok(as(county).post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as('city').post(`/api/v1/enrolments/${e.id}/approve`));
      enrolments[teacherId] = e.id;
    }
    const cohort = await ok(
      as('city').post(`/api/v1/programs/${program.id}/cohorts`, {
        name: '一班',
        capacity: 50,
        startDate: p.start,
        endDate: p.end,
        venue: '临沂大学',
        trainerIds: [id.trainer],
      }),
    );
    await ok(as('city').post(`/api/v1/cohorts/${cohort.id}/assignments`, { enrolmentIds: Object.values(enrolments) }));
    await t.db.query(`UPDATE enrolment SET status = 'CONFIRMED' WHERE id IN (${Object.values(enrolments).join(',')})`);
    const session = await ok(
      as('city').post(`/api/v1/cohorts/${cohort.id}/sessions`, {
        title: '专题讲座',
        startsAt: cst(`${p.start}T09:00:00`).toISOString(),
        endsAt: cst(`${p.start}T12:00:00`).toISOString(),
        hours: 3,
      }),
    );
    now = cst(`${p.end}T20:00:00`);
    for (const teacherId of p.present)
      await ok(
        as('trainer').put(`/api/v1/sessions/${session.id}/attendance/${enrolments[teacherId]}`, {
          status: 'PRESENT',
          reason: '现场核对',
        }),
      );
    const done = await ok(as('city').post(`/api/v1/cohorts/${cohort.id}/completion`));
    expect(done.completed).toBe(p.present.length);
    return { programId: program.id as number, cohortId: cohort.id as number, enrolments };
  }

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    now = cst('2019-07-01T08:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));

    tok.city = await adminToken(http);
    id.countyA = await countyIdByCode(t.db, '371302');
    id.countyB = await countyIdByCode(t.db, '371311');
    const yinan = await countyIdByCode(t.db, '371321');
    tok.countyA = await countyAdmin(http, tok.city, id.countyA, 'rec_lanshan');
    tok.countyB = await countyAdmin(http, tok.city, id.countyB, 'rec_luozhuang');
    id.schoolA = await createSchool(http, tok.countyA, id.countyA, '兰山区汪沟镇中心小学');
    id.schoolA2 = await createSchool(http, tok.countyA, id.countyA, '兰山区李官镇中心小学');
    id.schoolB = await createSchool(http, tok.countyB, id.countyB, '罗庄区褚墩镇中心小学');
    id.receiving = await createSchool(http, tok.city, yinan, '沂南县岸堤镇中心小学', { receivingSchool: true });

    id.T1 = await createTeacher(http, tok.countyA, id.schoolA, 71001, {
      name: '王晓梅',
      subject: '语文',
      stage: '小学',
      ...ELIGIBLE,
    });
    id.T2 = await createTeacher(http, tok.countyA, id.schoolA, 71002, { name: '李建国' });
    id.T4 = await createTeacher(http, tok.countyA, id.schoolA2, 71004, { name: '赵丽' });
    id.T3 = await createTeacher(http, tok.countyB, id.schoolB, 71003, { name: '孙伟' });
    id.T5 = await createTeacher(http, tok.countyB, id.schoolB, 71005, { name: '周敏' });
    const self = await account(http, tok.countyA, { username: '13900071001', role: 'TEACHER', teacherId: id.T1 });
    tok.self = self.token;
    tok.other = (
      await account(http, tok.countyA, { username: '13900071002', role: 'TEACHER', teacherId: id.T2 })
    ).token;
    const trainer = await account(http, tok.city, { username: 'rec_trainer', role: 'TRAINER', displayName: '刘老师' });
    id.trainer = trainer.id;
    tok.trainer = trainer.token;

    const p2019 = await completedProgram({
      year: 2019,
      title: '2019年全市贫困村学校骨干教师暑期培训',
      prefix: 'LYGG',
      creditHours: 48,
      start: '2019-07-15',
      end: '2019-07-16',
      present: [id.T1, id.T3],
      absent: [id.T2],
    });
    id.p2019 = p2019.programId;
    id.e2019 = p2019.enrolments[id.T1];
    const issued = await ok(as('city').post(`/api/v1/cohorts/${p2019.cohortId}/certificates`));
    id.cert2019 = issued.find((c: any) => c.number === 'LYGG2019-0001').id;
    const p2020 = await completedProgram({
      year: 2020,
      title: '2020年信息技术应用能力提升培训',
      prefix: 'LYXX',
      creditHours: 40,
      start: '2020-11-02',
      end: '2020-11-03',
      present: [id.T1],
      absent: [],
    });
    id.p2020 = p2020.programId;
    // Starts in the 2016–2020 cycle, ends in 2021: its credits count in 2021 (the 2021–2025 cycle).
    const pWinter = await completedProgram({
      year: 2020,
      title: '2020年冬季班主任专题培训',
      prefix: 'LYBZ',
      creditHours: 30,
      start: '2020-12-28',
      end: '2021-01-03',
      present: [id.T1],
      absent: [],
    });
    id.pWinter = pWinter.programId;

    const scheme = await ok(
      as('city').post('/api/v1/schemes', {
        kind: 'THREE_DISTRICTS',
        year: 2021,
        places: 5,
        termStart: '2021-09-01',
        termEnd: '2022-07-15',
      }),
    );
    await ok(as('city').put(`/api/v1/schemes/${scheme.id}/quotas`, [{ countyId: id.countyA, places: 2 }]));
    const placement = await ok(
      as('countyA').post(`/api/v1/schemes/${scheme.id}/placements`, {
        teacherId: id.T1,
        receivingSchoolId: id.receiving,
      }),
    );
    await ok(as('city').post(`/api/v1/placements/${placement.id}/approve`));
    id.placement = placement.id;
    now = cst('2022-03-01T10:00:00');
  }, 240_000);
  afterAll(async () => t?.close());

  const T1_ID = makeIdNumber(71001);
  const T3_ID = makeIdNumber(71003);
  const countCredits = async () => Number((await t.db.query('SELECT COUNT(*) AS n FROM external_credit'))[0].n);

  describe('external credits from .xlsx', () => {
    it('gives county and city a template; refuses teachers and trainers', async () => {
      const res = await as('countyA').bytes('/api/v1/external-credits/import-template').expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const ws = (await workbook(res.body)).getWorksheet('校外学时')!;
      expect(rowsOf(ws, 3)[0]).toEqual([
        '姓名',
        '身份证号',
        '培训项目名称',
        '主办单位',
        '学时',
        '培训日期',
        '证书编号',
      ]);
      await as('self').get('/api/v1/external-credits/import-template').expect(403);
      await as('trainer')
        .upload('/api/v1/external-credits/import', await creditSheet([]))
        .expect(403);
      await http.post('/api/v1/external-credits/import').expect(401);
    });

    it('rejects the whole sheet, listing every bad row in Chinese, and writes nothing', async () => {
      const sheet = await creditSheet([
        [
          '王晓梅',
          T1_ID,
          '山东省中小学教师信息技术应用能力提升培训',
          '山东省教育厅',
          12,
          '2020-10-20',
          'SDXX2020-0088',
        ],
        [null, '371302199001011235', '课程思政专题培训', '临沂大学', 6, '2020-05-01', null],
        ['孙伟', T3_ID, '课程思政专题培训', '临沂大学', 6, '2020-05-01', null],
        ['张三', T1_ID, '课程思政专题培训', '临沂大学', 6, '2020-05-02', null],
        ['王晓梅', T1_ID, '心理健康教育培训', '临沂市教育局', 'abc', '2020-06-01', null],
        ['王晓梅', T1_ID, '心理健康教育培训', '临沂市教育局', 2.25, '2099-01-01', null],
        ['王晓梅', T1_ID, '信息技术应用能力提升培训（补录）', '山东省教育厅', 12, '2020-10-21', 'sdxx2020-0088'],
      ]);
      const res = await as('countyA').upload('/api/v1/external-credits/import', sheet).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        code: 'IMPORT_INVALID',
        message: '导入失败：6 行数据有误，未导入任何数据。请按提示修改后重新导入。',
      });
      expect(res.body.errors).toEqual([
        { row: 4, column: '身份证号', message: '身份证号无效（应为 18 位，末位校验码正确，出生日期有效）' },
        { row: 5, column: '身份证号', message: '系统中没有该身份证号的教师，或该教师不属于本县区（请先登记教师）' },
        { row: 6, column: '姓名', message: '姓名与该身份证号登记的教师姓名「王晓梅」不一致' },
        { row: 7, column: '学时', message: '学时应为数字，如 24 或 12.5' },
        { row: 8, column: '学时', message: '学时最多保留一位小数' },
        { row: 8, column: '培训日期', message: expect.stringMatching(/^培训日期不能晚于今天（\d{4}-\d{2}-\d{2}）$/) },
        {
          row: 9,
          column: '证书编号',
          message: '与第 3 行是同一教师的同一培训（证书编号 sdxx2020-0088），请删除重复行',
        },
      ]);
      expect(await countCredits()).toBe(0);
      const header = await as('countyA')
        .upload('/api/v1/external-credits/import', await creditSheet([[T1_ID, 12]], ['身份证号', '学时']))
        .expect(400);
      expect(header.body.message).toBe('表头缺少必填列：培训项目名称、主办单位、培训日期');
      await as('countyA')
        .upload('/api/v1/external-credits/import', Buffer.from('not a workbook'), 'x.xlsx')
        .expect(400);
    });

    it('imports external credits once: the same rows again change nothing, a corrected row updates in place', async () => {
      const rows: (string | number | Date | null)[][] = [
        [
          '王晓梅',
          T1_ID,
          '山东省中小学教师信息技术应用能力提升培训',
          '山东省教育厅',
          12,
          new Date(Date.UTC(2020, 9, 20)),
          'SDXX2020-0088',
        ],
        [null, T1_ID, '课程思政专题网络研修', '临沂市教师发展中心', '8.5', '2021年5月1日', null],
      ];
      expect(await ok(as('countyA').upload('/api/v1/external-credits/import', await creditSheet(rows)))).toEqual({
        created: 2,
        updated: 0,
        unchanged: 0,
      });
      expect(await ok(as('countyA').upload('/api/v1/external-credits/import', await creditSheet(rows)))).toEqual({
        created: 0,
        updated: 0,
        unchanged: 2,
      });
      // Same certificate number (any case) with a corrected organiser: the same record, updated.
      const corrected = [
        [
          '王晓梅',
          T1_ID,
          '山东省中小学教师信息技术应用能力提升培训',
          '山东省教育厅教师工作处',
          12,
          '2020-10-20',
          'sdxx2020-0088',
        ],
        rows[1],
      ];
      expect(await ok(as('countyA').upload('/api/v1/external-credits/import', await creditSheet(corrected)))).toEqual({
        created: 0,
        updated: 1,
        unchanged: 1,
      });
      expect(await countCredits()).toBe(2);
      const stored = await t.db.query('SELECT organiser, hours, creditDate FROM external_credit ORDER BY id');
      expect(stored.map((r: any) => [r.organiser, Number(r.hours)])).toEqual([
        ['山东省教育厅教师工作处', 12],
        ['临沂市教师发展中心', 8.5],
      ]);
      // County B may not record credits for county A's teacher; the city may for anyone.
      const other = await as('countyB')
        .upload('/api/v1/external-credits/import', await creditSheet([rows[1]]))
        .expect(400);
      expect(other.body.errors[0]).toMatchObject({ row: 3, column: '身份证号' });
      const five = makeIdNumber(71005);
      expect(
        await ok(
          as('city').upload(
            '/api/v1/external-credits/import',
            await creditSheet([['周敏', five, '师德师风专题培训', '罗庄区教体局', 10, '2018-03-10', 'LZ2018-7']]),
          ),
        ),
      ).toEqual({ created: 1, updated: 0, unchanged: 0 });
      const audit = await t.db.query(
        `SELECT action, entity, note FROM audit_entry WHERE entity = 'external_credit' ORDER BY id`,
      );
      expect(audit.map((a: any) => a.note)).toEqual([
        'created 2, updated 0, unchanged 0',
        'created 0, updated 0, unchanged 2',
        'created 0, updated 1, unchanged 1',
        'created 1, updated 0, unchanged 0',
      ]);
    });
  });

  describe('teacher file (一人一档)', () => {
    it('lists every program and cohort in time order with status, attendance, result, credits and certificates', async () => {
      const f = await ok(as('self').get(`/api/v1/teachers/${id.T1}/file`));
      expect(f.teacher).toMatchObject({
        id: id.T1,
        name: '王晓梅',
        idNumber: T1_ID.slice(0, 6) + '********' + T1_ID.slice(-4),
        schoolName: '兰山区汪沟镇中心小学',
        countyName: '兰山区',
        subject: '语文',
      });
      expect(f.requirement).toEqual({
        yearly: 48,
        cycle: 360,
        cycleYears: 5,
        cycleStartYear: 2016,
        note: expect.stringContaining('1 学时 = 1 学分'),
      });
      expect(
        f.trainings.map((x: any) => [
          x.programTitle,
          x.cohortName,
          x.startDate,
          x.endDate,
          x.status,
          x.attendanceRate,
          x.result,
          x.creditHours,
          x.creditYear,
        ]),
      ).toEqual([
        [
          '2019年全市贫困村学校骨干教师暑期培训',
          '一班',
          '2019-07-15',
          '2019-07-16',
          'COMPLETED',
          1,
          'COMPLETED',
          48,
          2019,
        ],
        ['2020年信息技术应用能力提升培训', '一班', '2020-11-02', '2020-11-03', 'COMPLETED', 1, 'COMPLETED', 40, 2020],
        ['2020年冬季班主任专题培训', '一班', '2020-12-28', '2021-01-03', 'COMPLETED', 1, 'COMPLETED', 30, 2021],
      ]);
      expect(f.trainings[0]).toMatchObject({
        statusLabel: '已结业',
        resultLabel: '已结业',
        attendedHours: 3,
        programKindLabel: '市级暑期骨干教师培训',
        certificates: [
          { id: id.cert2019, number: 'LYGG2019-0001', status: 'VALID', statusLabel: '有效', kind: 'TRAINING' },
        ],
      });
      expect(f.trainings[1].certificates).toEqual([]);
      expect(f.placements).toEqual([
        expect.objectContaining({
          id: id.placement,
          schemeYear: 2021,
          receivingSchoolName: '沂南县岸堤镇中心小学',
          status: 'APPROVED',
          statusLabel: '已批准',
          termStart: '2021-09-01',
          termEnd: '2022-07-15',
        }),
      ]);
      expect(f.externalCredits).toEqual([
        {
          id: expect.any(Number),
          programName: '山东省中小学教师信息技术应用能力提升培训',
          organiser: '山东省教育厅教师工作处',
          hours: 12,
          date: '2020-10-20',
          certificateNumber: 'sdxx2020-0088',
          external: true,
        },
        {
          id: expect.any(Number),
          programName: '课程思政专题网络研修',
          organiser: '临沂市教师发展中心',
          hours: 8.5,
          date: '2021-05-01',
          certificateNumber: null,
          external: true,
        },
      ]);
    });

    it('totals credits per year and per five-year cycle across the cycle boundary, external credits counted once', async () => {
      const f = await ok(as('countyA').get(`/api/v1/teachers/${id.T1}/file`));
      expect(
        f.years.map((y: any) => [y.year, y.internalHours, y.externalHours, y.totalHours, y.shortfall, y.met]),
      ).toEqual([
        [2016, 0, 0, 0, 48, false],
        [2017, 0, 0, 0, 48, false],
        [2018, 0, 0, 0, 48, false],
        [2019, 48, 0, 48, 0, true],
        [2020, 40, 12, 52, 0, true],
        [2021, 30, 8.5, 38.5, 9.5, false],
        [2022, 0, 0, 0, 48, false],
      ]);
      expect(f.years.at(-1).inProgress).toBe(true);
      expect(f.cycles).toEqual([
        {
          startYear: 2016,
          endYear: 2020,
          label: '2016–2020',
          totalHours: 100,
          required: 360,
          shortfall: 260,
          met: false,
          inProgress: false,
          yearsMet: 2,
        },
        {
          startYear: 2021,
          endYear: 2025,
          label: '2021–2025',
          totalHours: 38.5,
          required: 360,
          shortfall: 321.5,
          met: false,
          inProgress: true,
          yearsMet: 0,
        },
      ]);
      const absent = await ok(as('countyA').get(`/api/v1/teachers/${id.T2}/file`));
      expect(absent.trainings).toEqual([
        expect.objectContaining({
          status: 'NOT_COMPLETED',
          result: 'NOT_COMPLETED',
          resultLabel: '未结业',
          attendanceRate: 0,
          creditHours: 0,
          creditYear: null,
          certificates: [],
        }),
      ]);
    });

    it('is visible to the teacher, their county and the city; 404 for another teacher, county B and trainers', async () => {
      for (const who of ['self', 'countyA', 'city']) {
        await as(who).get(`/api/v1/teachers/${id.T1}/file`).expect(200);
        await as(who).bytes(`/api/v1/teachers/${id.T1}/file.xlsx`).expect(200);
      }
      for (const who of ['other', 'countyB', 'trainer']) {
        for (const suffix of ['file', 'file.xlsx', 'file.pdf']) {
          const res = await as(who).get(`/api/v1/teachers/${id.T1}/${suffix}`).expect(404);
          expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: '教师不存在或无权访问' });
        }
      }
      await as('countyB').get(`/api/v1/teachers/${id.T3}/file`).expect(200);
      await as('countyA').get(`/api/v1/teachers/${id.T3}/file`).expect(404);
      await as('city').get('/api/v1/teachers/999999/file').expect(404);
      await as('city').get('/api/v1/teachers/abc/file').expect(400);
      await http.get(`/api/v1/teachers/${id.T1}/file`).expect(401);
    });

    it('exports the file as .xlsx: trainings, yearly and cycle totals, placements, external credits', async () => {
      const res = await as('self').bytes(`/api/v1/teachers/${id.T1}/file.xlsx`).expect(200);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('教师培训档案-王晓梅'));
      const wb = await workbook(res.body);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['基本信息', '培训记录', '学时统计', '支教经历', '校外学时']);
      expect(rowsOf(wb.getWorksheet('基本信息')!, 3).slice(0, 2)).toEqual([
        ['姓名', '王晓梅'],
        ['身份证号', T1_ID.slice(0, 6) + '********' + T1_ID.slice(-4)],
      ]);
      const trainings = rowsOf(wb.getWorksheet('培训记录')!, 3);
      expect(trainings.map((r) => [r[2], r[7], r[10], r[11], r[12], r[13]])).toEqual([
        ['2019年全市贫困村学校骨干教师暑期培训', '已结业', '已结业', 48, 2019, 'LYGG2019-0001'],
        ['2020年信息技术应用能力提升培训', '已结业', '已结业', 40, 2020, ''],
        ['2020年冬季班主任专题培训', '已结业', '已结业', 30, 2021, ''],
      ]);
      const totals = rowsOf(wb.getWorksheet('学时统计')!, 4);
      expect(totals.find((r) => r[0] === 2021)).toEqual([2021, 30, 8.5, 38.5, 48, 9.5, '未达标']);
      expect(totals.find((r) => r[0] === '2016–2020')).toEqual(['2016–2020', 100, 360, 260, '未达标', 2]);
      expect(totals.find((r) => r[0] === '2021–2025')).toEqual(['2021–2025', 38.5, 360, 321.5, '未达标（进行中）', 0]);
      expect(rowsOf(wb.getWorksheet('支教经历')!, 3)[0].slice(4, 6)).toEqual(['沂南县岸堤镇中心小学', '已批准']);
      expect(rowsOf(wb.getWorksheet('校外学时')!, 3).map((r) => [r[1], r[3], r[4], r[6]])).toEqual([
        ['山东省中小学教师信息技术应用能力提升培训', 12, '2020-10-20', '校外'],
        ['课程思政专题网络研修', 8.5, '2021-05-01', '校外'],
      ]);
    });

    it('exports the file as a PDF in a CJK font', async () => {
      const res = await as('countyA').bytes(`/api/v1/teachers/${id.T1}/file.pdf`).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
      expect(res.body.toString('latin1')).toMatch(/\/FontName \/[A-Z]{6}\+NotoSerifSC/);
      const text = pdfText(res.body);
      expect(text).toContain('教师培训档案（一人一档）');
      expect(text).toContain('王晓梅');
      expect(text).toContain('2019年全市贫困村学校骨干教师暑期培训');
      expect(text).toContain('LYGG2019-0001');
      expect(text).toContain('2016–2020100360260未达标');
      expect(text).toContain('202130' + '8.538.5489.5未达标');
      expect(text).toContain('沂南县岸堤镇中心小学');
      expect(text).toContain('课程思政专题网络研修');
      expect(text).not.toContain(T1_ID);
    });
  });

  describe('credit compliance lists', () => {
    const list = (who: string, query: string) => ok(as(who).get(`/api/v1/credit-compliance?${query}`));
    const short = (page: any) => page.items.map((i: any) => [i.name, i.credits, i.shortfall]);

    it('lists the teachers short for a year, with how many hours they miss', async () => {
      const y2019 = await list('city', 'year=2019');
      expect(y2019.period).toEqual({
        kind: 'YEAR',
        label: '2019年',
        from: '2019-01-01',
        to: '2019-12-31',
        required: 48,
      });
      expect(short(y2019)).toEqual([
        ['李建国', 0, 48],
        ['赵丽', 0, 48],
        ['周敏', 0, 48],
      ]);
      expect(y2019.items[0]).toMatchObject({
        teacherId: id.T2,
        schoolName: '兰山区汪沟镇中心小学',
        countyName: '兰山区',
        required: 48,
        idNumber: expect.stringMatching(/^371302\*{8}\d{3}[\dX]$/),
      });
      expect(short(await list('city', 'year=2020'))).toEqual([
        ['李建国', 0, 48],
        ['赵丽', 0, 48],
        ['孙伟', 0, 48],
        ['周敏', 0, 48],
      ]);
      expect(short(await list('city', 'year=2021&countyId=' + id.countyA))).toEqual([
        ['王晓梅', 38.5, 9.5],
        ['李建国', 0, 48],
        ['赵丽', 0, 48],
      ]);
      expect(short(await list('city', `year=2021&schoolId=${id.schoolA2}`))).toEqual([['赵丽', 0, 48]]);
      now = cst('2021-06-01T10:00:00');
      expect((await list('countyA', '')).period.label).toBe('2021年');
      now = cst('2022-03-01T10:00:00');
    });

    it('lists the teachers short for a five-year cycle (external credits counted once), paginated', async () => {
      const cycle = await list('city', 'cycle=2016');
      expect(cycle.period).toEqual({
        kind: 'CYCLE',
        label: '2016–2020年周期',
        from: '2016-01-01',
        to: '2020-12-31',
        required: 360,
      });
      expect(short(cycle)).toEqual([
        ['王晓梅', 100, 260],
        ['李建国', 0, 360],
        ['赵丽', 0, 360],
        ['孙伟', 48, 312],
        ['周敏', 10, 350],
      ]);
      expect(short(await list('city', 'cycle=2021&countyId=' + id.countyA))[0]).toEqual(['王晓梅', 38.5, 321.5]);
      const page2 = await list('city', 'cycle=2016&page=2&pageSize=2');
      expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
      expect(short(page2)).toEqual([
        ['赵丽', 0, 360],
        ['孙伟', 48, 312],
      ]);
    });

    it('shows a county only its own teachers: another county’s or school’s id is 404; teachers and trainers 403', async () => {
      const own = await list('countyA', 'cycle=2016');
      expect(own.items.map((i: any) => i.countyId)).toEqual([id.countyA, id.countyA, id.countyA]);
      expect(own.total).toBe(3);
      expect(short(await list('countyB', 'year=2019'))).toEqual([['周敏', 0, 48]]);
      for (const q of [`countyId=${id.countyB}`, `schoolId=${id.schoolB}`]) {
        const res = await as('countyA').get(`/api/v1/credit-compliance?year=2019&${q}`).expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
        await as('countyA').bytes(`/api/v1/credit-compliance/export?year=2019&${q}`).expect(404);
      }
      await as('city').get(`/api/v1/credit-compliance?countyId=${id.schoolA}`).expect(404);
      for (const who of ['self', 'trainer']) await as(who).get('/api/v1/credit-compliance?year=2019').expect(403);
      await http.get('/api/v1/credit-compliance').expect(401);
    });

    it('refuses an ambiguous or misaligned period with 400', async () => {
      const both = await as('city').get('/api/v1/credit-compliance?year=2019&cycle=2016').expect(400);
      expect(both.body).toMatchObject({ code: 'PERIOD_AMBIGUOUS', message: '年度（year）与周期（cycle）只能指定一个' });
      const misaligned = await as('city').get('/api/v1/credit-compliance?cycle=2017').expect(400);
      expect(misaligned.body).toMatchObject({
        code: 'INVALID_CYCLE',
        message: '周期应以起始年表示，如 2016（2016–2020）、2021（2021–2025）',
      });
      expect((await as('city').get('/api/v1/credit-compliance?year=abc').expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      await as('city').get('/api/v1/credit-compliance?pageSize=500').expect(400);
    });

    it('sums per county for the city and per school for a county', async () => {
      const city = await ok(as('city').get('/api/v1/credit-compliance/summary?year=2019'));
      expect(city.by).toBe('COUNTY');
      expect(city.rows.map((r: any) => [r.name, r.teachers, r.short, r.shortfallHours])).toEqual([
        ['兰山区', 3, 2, 96],
        ['罗庄区', 2, 1, 48],
      ]);
      const county = await ok(as('countyA').get('/api/v1/credit-compliance/summary?cycle=2016'));
      expect(county.by).toBe('SCHOOL');
      expect(county.rows.map((r: any) => [r.name, r.teachers, r.short, r.shortfallHours])).toEqual([
        ['兰山区汪沟镇中心小学', 2, 2, 620],
        ['兰山区李官镇中心小学', 1, 1, 360],
      ]);
    });

    it('exports the list as .xlsx with a per-school summary', async () => {
      const res = await as('countyA').bytes('/api/v1/credit-compliance/export?cycle=2016').expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('学时未达标名单-2016–2020年周期'));
      const wb = await workbook(res.body);
      const list = wb.getWorksheet('未达标教师')!;
      expect(list.getCell(1, 1).value).toBe('2016–2020年周期教师培训学时未达标名单（要求 360 学时）');
      expect(rowsOf(list, 3)).toEqual([
        ['序号', '姓名', '身份证号', '县区', '学校', '已获学时', '要求学时', '差额'],
        [
          1,
          '王晓梅',
          T1_ID.slice(0, 6) + '********' + T1_ID.slice(-4),
          '兰山区',
          '兰山区汪沟镇中心小学',
          100,
          360,
          260,
        ],
        [2, '李建国', expect.stringMatching(/^371302\*{8}/), '兰山区', '兰山区汪沟镇中心小学', 0, 360, 360],
        [3, '赵丽', expect.stringMatching(/^371302\*{8}/), '兰山区', '兰山区李官镇中心小学', 0, 360, 360],
      ]);
      expect(rowsOf(wb.getWorksheet('按学校汇总')!, 2)).toEqual([
        ['兰山区', '兰山区汪沟镇中心小学', 2, 2, 1, 620],
        ['兰山区', '兰山区李官镇中心小学', 1, 1, 1, 360],
      ]);
    });
  });
});
