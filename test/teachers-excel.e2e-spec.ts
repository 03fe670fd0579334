import { Readable } from 'node:stream';
import { Actor, WorkerPool } from '@shipei/core';
import { TeacherImportService } from '@shipei/people';
import * as ExcelJS from 'exceljs';
import { CRASH_TASK } from './support/worker-fixtures.task';
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

const HEADER = [
  '姓名',
  '身份证号',
  '手机号',
  '学校',
  '学段',
  '学科',
  '职称',
  '骨干教师',
  '开始任教年份',
  '近三年考核合格',
  '教师资格证号',
  '试用期',
  '特岗教师',
];
type CellValue = string | number | boolean | null | { value: string | number; numFmt: string };

/**
 * A bureau-style sheet: a merged title row and a merged note row above the header (unless
 * `bare`), then the data rows, then a few blank-but-styled trailing rows as Excel leaves them.
 */
async function xlsx(rows: CellValue[][], opts: { bare?: boolean; header?: string[] } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  const header = opts.header ?? HEADER;
  if (!opts.bare) {
    ws.mergeCells(1, 1, 1, header.length);
    ws.getCell(1, 1).value = '2025 年兰山区中小学教师花名册';
    ws.mergeCells(2, 1, 2, 4);
    ws.getCell(2, 1).value = '填报单位：兰山区教育和体育局';
  }
  ws.addRow(header);
  for (const r of rows) {
    const row = ws.addRow(r.map((c) => (c && typeof c === 'object' ? c.value : c)));
    r.forEach((c, i) => {
      if (c && typeof c === 'object') row.getCell(i + 1).numFmt = c.numFmt;
    });
  }
  for (let i = 0; i < 3; i++) ws.addRow([]).getCell(1).border = { top: { style: 'thin' } };
  ws.addRow(['', '  ', null]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as any);
  return wb;
}

const binary = (res: any, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('teachers: Excel import, template and export', () => {
  let t: TestApp;
  let admin: string;
  let countyA: string;
  let countyB: string;
  let lanshan: number;
  let luozhuang: number;
  let schoolA: number;
  let schoolB: number;

  const count = async (where = '1 = 1', params: unknown[] = []) =>
    Number((await t.db.query(`SELECT COUNT(*) AS n FROM teacher WHERE ${where}`, params))[0].n);
  const auditCount = async (action: string) =>
    Number((await t.db.query(`SELECT COUNT(*) AS n FROM audit_entry WHERE action = ?`, [action]))[0].n);
  const upload = (token: string, file: Buffer, query = '', name = 'teachers.xlsx') =>
    t.http.post(`/api/v1/teachers/import${query}`).auth(token, { type: 'bearer' }).attach('file', file, {
      filename: name,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
  const download = (token: string, path: string) =>
    t.http.get(path).auth(token, { type: 'bearer' }).buffer(true).parse(binary);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'xl_lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'xl_luozhuang');
    schoolA = await createSchool(t.http, countyA, lanshan, '兰山区第二实验小学');
    await createSchool(t.http, countyA, lanshan, '兰山区白沙埠中学');
    schoolB = await createSchool(t.http, countyB, luozhuang, '罗庄区第一中学');
  });
  afterAll(async () => t?.close());

  describe('template', () => {
    it('has the Chinese headers, text-formatted ID and phone columns, and an instructions sheet', async () => {
      const res = await download(countyA, '/api/v1/teachers/import-template').expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('教师信息导入模板.xlsx'));
      const wb = await readXlsx(res.body);
      const ws = wb.getWorksheet('教师信息')!;
      expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([...HEADER, '普通话等级']);
      expect(ws.getColumn(2).numFmt).toBe('@');
      expect(ws.getColumn(3).numFmt).toBe('@');
      expect(String(ws.getCell(1, 1).value)).toContain('导入');
      const help = wb.getWorksheet('填写说明')!;
      expect(help.getColumn(1).values).toEqual(expect.arrayContaining(['身份证号', '骨干教师']));
    });

    it('imports as it comes once rows are filled in below the header', async () => {
      const tpl = await readXlsx((await download(countyA, '/api/v1/teachers/import-template').expect(200)).body);
      const ws = tpl.getWorksheet('教师信息')!;
      ws.getRow(4).values = [
        '模板甲',
        makeIdNumber(310001),
        makePhone(310001),
        '兰山区第二实验小学',
        '小学',
        '语文',
        '一级教师',
        '县级',
        2010,
        '是',
        '',
        '否',
        '否',
      ];
      const res = await upload(countyA, Buffer.from(await tpl.xlsx.writeBuffer())).expect(200);
      expect(res.body).toEqual({ created: 1, updated: 0 });
      const empty = await upload(countyA, (await download(countyA, '/api/v1/teachers/import-template')).body).expect(
        400,
      );
      expect(empty.body.code).toBe('IMPORT_INVALID');
      expect(empty.body.message).toContain('没有教师数据');
    });
  });

  describe('import', () => {
    const good = (n: number, extra: Partial<Record<number, CellValue>> = {}): CellValue[] => {
      const row: CellValue[] = [
        `导入${n}`,
        makeIdNumber(n),
        makePhone(n),
        '兰山区第二实验小学',
        '初中',
        '数学',
        '高级教师',
        '省级',
        2005,
        '是',
        `A${n}0000`,
        '否',
        '是',
      ];
      for (const [i, v] of Object.entries(extra)) row[Number(i)] = v as CellValue;
      return row;
    };

    it('creates teachers from a sheet with a merged title row, number-formatted cells and trailing blank rows', async () => {
      const coded = (
        await t.http
          .post('/api/v1/organisations')
          .auth(countyA, { type: 'bearer' })
          .send({ type: 'SCHOOL', name: '兰山区代码学校', code: 'LS-0042', parentId: lanshan })
          .expect(201)
      ).body.id;
      const before = await count();
      const file = await xlsx([
        good(320001),
        // 身份证号 typed as text into a number-formatted cell; phone stored as a number.
        good(320002, { 1: { value: makeIdNumber(320002), numFmt: '0' }, 2: Number(makePhone(320002)) }),
        good(320003, { 4: null, 5: null, 6: null, 7: '无', 8: null, 9: '否', 10: null, 11: null, 12: null }),
        good(320004, { 1: ` ${makeIdNumber(320004).toLowerCase()} `, 3: ' 兰山区第二实验小学 ' }),
        // The school by its organisation code instead of its name.
        good(320005, { 3: 'LS-0042' }),
      ]);
      const res = await upload(countyA, file).expect(200);
      expect(res.body).toEqual({ created: 5, updated: 0 });
      expect(await count()).toBe(before + 5);
      expect(await count('idNumber = ? AND schoolId = ?', [makeIdNumber(320005), coded])).toBe(1);
      const [row] = await t.db.query(`SELECT * FROM teacher WHERE idNumber = ?`, [makeIdNumber(320001)]);
      expect(row).toMatchObject({
        name: '导入320001',
        phone: makePhone(320001),
        schoolId: schoolA,
        countyId: lanshan,
        stage: '初中',
        subject: '数学',
        title: '高级教师',
        backboneLevel: 'PROVINCE',
        teachingStartYear: 2005,
        qualificationCertNo: 'A3200010000',
      });
      expect(Boolean(row.appraisalsQualified)).toBe(true);
      expect(Boolean(row.specialPost)).toBe(true);
      expect(Boolean(row.onProbation)).toBe(false);
      const [sparse] = await t.db.query(`SELECT * FROM teacher WHERE idNumber = ?`, [makeIdNumber(320003)]);
      expect(sparse).toMatchObject({ stage: null, subject: null, backboneLevel: 'NONE', teachingStartYear: null });
      expect(await count('phone = ?', [makePhone(320002)])).toBe(1);
    });

    it('reads the optional 普通话等级 column (older sheets without it still import), refusing an unknown level', async () => {
      const header = [...HEADER, '普通话等级'];
      const res = await upload(
        countyA,
        await xlsx([good(335001, { 13: '二级甲等' }), good(335002)], { header }),
      ).expect(200);
      expect(res.body).toEqual({ created: 2, updated: 0 });
      const rows = await t.db.query(
        `SELECT idNumber, putonghuaLevel FROM teacher WHERE idNumber IN (?, ?) ORDER BY idNumber`,
        [makeIdNumber(335001), makeIdNumber(335002)],
      );
      expect(rows.map((r: any) => r.putonghuaLevel)).toEqual(['二级甲等', null]);
      const bad = await upload(countyA, await xlsx([good(335003, { 13: '四级' })], { header })).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ row: expect.any(Number), column: '普通话等级' })]);
    });

    it('updates rather than duplicates when the same sheet is imported again', async () => {
      const rows = [good(330001), good(330002), good(330003)];
      await upload(countyA, await xlsx(rows)).expect(200);
      const before = await count();
      rows[1] = good(330002, { 5: '物理', 7: '市级' });
      const again = await upload(countyA, await xlsx(rows)).expect(200);
      expect(again.body).toEqual({ created: 0, updated: 3 });
      expect(await count()).toBe(before);
      const [row] = await t.db.query(`SELECT subject, backboneLevel FROM teacher WHERE idNumber = ?`, [
        makeIdNumber(330002),
      ]);
      expect(row).toEqual({ subject: '物理', backboneLevel: 'CITY' });
      // Blank optional cells keep what is stored.
      await upload(countyA, await xlsx([good(330002, { 4: null, 5: null, 7: null, 9: null, 12: null })])).expect(200);
      const [kept] = await t.db.query(
        `SELECT stage, subject, backboneLevel, appraisalsQualified, specialPost FROM teacher WHERE idNumber = ?`,
        [makeIdNumber(330002)],
      );
      expect({
        ...kept,
        appraisalsQualified: Boolean(kept.appraisalsQualified),
        specialPost: Boolean(kept.specialPost),
      }).toEqual({
        stage: '初中',
        subject: '物理',
        backboneLevel: 'CITY',
        appraisalsQualified: true,
        specialPost: true,
      });
      const mixed = await upload(countyA, await xlsx([good(330001), good(330004)])).expect(200);
      expect(mixed.body).toEqual({ created: 1, updated: 1 });
    });

    it('records one audit line for an import, with counts and no personal data', async () => {
      const res = await t.http
        .get('/api/v1/audit?action=import&entity=teacher&pageSize=50')
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(res.body.total).toBeGreaterThanOrEqual(3);
      expect(res.body.items[0].note).toMatch(/^county \d+: created \d+, updated \d+$/);
      // Request ids are random UUIDs whose hex groups can hold eleven digits in a row: leave them out.
      const lines = res.body.items.map(({ requestId: _id, ...line }: Record<string, unknown>) => line);
      expect(JSON.stringify(lines)).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}|导入3/);
    });

    it('rejects the whole sheet, listing every bad row in Chinese, and writes nothing', async () => {
      const inB = makeIdNumber(340100);
      await createTeacher(t.http, countyB, schoolB, 340100);
      await createTeacher(t.http, countyA, schoolA, 340101);
      const precise = makeIdNumber(340002);
      const rows: CellValue[][] = [
        good(340001), // row 4: fine
        good(340002, { 1: { value: Number(precise), numFmt: '0' } }), // 5: 身份证号 as a number: digits lost
        good(340003, { 1: '110108196711301866' }), // 6: bad check digit
        good(340004, { 2: '12345' }), // 7: bad phone
        good(340005, { 3: '不存在的学校' }), // 8: unknown school
        good(340006, { 3: '罗庄区第一中学' }), // 9: a school of another county
        good(340007, { 4: '大学', 7: '国家级', 9: '合格' }), // 10: three bad codes
        good(340001, { 2: makePhone(340008) }), // 11: same 身份证号 as row 4
        good(340009, { 2: makePhone(340001) }), // 12: same phone as row 4
        good(340010, { 1: inB }), // 13: registered in county B
        good(340011, { 2: makePhone(340101) }), // 14: phone of another teacher
        good(340012, { 0: null, 8: 1890 }), // 15: no name, year out of range
        good(340013), // 16: fine
      ];
      const before = await count();
      const audits = await auditCount('import');
      const res = await upload(countyA, await xlsx(rows)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'IMPORT_INVALID' });
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
      const at = (row: number) => res.body.errors.filter((e: any) => e.row === row).map((e: any) => e.column);
      expect([...new Set(res.body.errors.map((e: any) => e.row))]).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(at(5)).toEqual(['身份证号']);
      expect(res.body.errors.find((e: any) => e.row === 5).message).toMatch(/文本格式/);
      expect(at(6)).toEqual(['身份证号']);
      expect(at(7)).toEqual(['手机号']);
      expect(at(8)).toEqual(['学校']);
      expect(at(9)).toEqual(['学校']);
      expect(at(10)).toEqual(['学段', '骨干教师', '近三年考核合格']);
      expect(res.body.errors.find((e: any) => e.row === 10 && e.column === '骨干教师').message).toContain(
        '省级/市级/县级/无',
      );
      expect(res.body.errors.find((e: any) => e.row === 11).message).toContain('第 4 行');
      expect(at(12)).toEqual(['手机号']);
      expect(at(13)).toEqual(['身份证号']);
      expect(res.body.errors.find((e: any) => e.row === 13).message).toContain('其他县区');
      expect(at(14)).toEqual(['手机号']);
      expect(at(15)).toEqual(['姓名', '开始任教年份']);
      for (const e of res.body.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      expect(JSON.stringify(res.body)).not.toContain(inB);
      expect(await count()).toBe(before);
      expect(await count('idNumber IN (?, ?)', [makeIdNumber(340001), makeIdNumber(340013)])).toBe(0);
      expect(await auditCount('import')).toBe(audits);
    });

    it('parses in a worker thread and lists exactly the errors the buffered reading lists', async () => {
      await createTeacher(t.http, countyB, schoolB, 345100);
      await createTeacher(t.http, countyA, schoolA, 345101);
      const sheet = await xlsx([
        good(345001),
        good(345002, { 1: '110108196711301866', 4: '大学' }),
        good(345001, { 2: makePhone(345003) }),
        good(345004, { 2: makePhone(345001) }),
        good(345005, { 1: makeIdNumber(345100) }),
        good(345006, { 2: makePhone(345101) }),
        good(345007, { 3: '不存在的学校' }),
      ]);
      const streamed = await upload(countyA, sheet).expect(400);
      const actor: Actor = { userId: 1, role: 'CITY_ADMIN', organisationId: null, countyId: null, teacherId: null };
      const buffered = await t.app
        .get(TeacherImportService)
        .importBuffered(t.db.manager, actor, lanshan, Readable.from([sheet]))
        .catch((e: unknown) => e);
      expect(buffered).toMatchObject({ status: 400, code: 'IMPORT_INVALID' });
      expect(streamed.body.message).toBe((buffered as Error).message);
      expect(streamed.body.errors).toEqual((buffered as { details: { errors: unknown[] } }).details.errors);
      expect(streamed.body.errors.map((e: any) => e.row)).toEqual([5, 5, 6, 7, 8, 9, 10]);
    });

    it('streams a sheet of many batches all-or-nothing: one bad row near the end writes nothing; fixed, all are created', async () => {
      const rows = Array.from({ length: 1_200 }, (_, i) => good(350_000 + i));
      rows[1_150] = good(350_000, { 2: makePhone(351_150) }); // row 1,154 repeats row 4's 身份证号
      const before = await count();
      const bad = await upload(countyA, await xlsx(rows)).expect(400);
      expect(bad.body.errors).toEqual([
        { row: 1_154, column: '身份证号', message: expect.stringContaining('第 4 行') },
      ]);
      expect(await count()).toBe(before);
      rows[1_150] = good(351_150);
      const res = await upload(countyA, await xlsx(rows)).expect(200);
      expect(res.body).toEqual({ created: 1_200, updated: 0 });
      expect(await count()).toBe(before + 1_200);
      const [last] = await t.db.query(`SELECT name, schoolId FROM teacher WHERE idNumber = ?`, [makeIdNumber(351_199)]);
      expect(last).toMatchObject({ name: '导入351199', schoolId: schoolA });
    });

    it('answers a worker thread that dies while parsing with 503 WORKER_FAILED in Chinese, and writes nothing', async () => {
      const pool = t.app.get(WorkerPool);
      const stream = pool.stream.bind(pool);
      const spy = jest
        .spyOn(pool, 'stream')
        .mockImplementationOnce((_task, args, opts) => stream(CRASH_TASK, args, opts));
      try {
        const before = await count();
        const res = await upload(countyA, await xlsx([good(352_001)])).expect(503);
        expect(res.body).toMatchObject({ statusCode: 503, code: 'WORKER_FAILED' });
        expect(res.body.message).toMatch(/工作线程意外中止/);
        expect(await count()).toBe(before);
      } finally {
        spy.mockRestore();
      }
      await upload(countyA, await xlsx([good(352_001)])).expect(200);
    });

    it('accepts a number cell for 身份证号 only when it holds the digits exactly (never for 18 digits)', async () => {
      const res = await upload(countyA, await xlsx([good(350001, { 1: 110105194912310 })])).expect(400);
      expect(res.body.errors).toEqual([
        { row: 4, column: '身份证号', message: expect.stringContaining('身份证号无效') },
      ]);
    });

    it('finds the header anywhere near the top, by its cells', async () => {
      const res = await upload(countyA, await xlsx([good(360001)], { bare: true })).expect(200);
      expect(res.body).toEqual({ created: 1, updated: 0 });
      const noHeader = await upload(countyA, await xlsx([good(360002)], { header: ['名字', '证件'] })).expect(400);
      expect(noHeader.body.code).toBe('IMPORT_INVALID');
      expect(noHeader.body.message).toContain('未找到表头');
      const missing = await upload(
        countyA,
        await xlsx([[`缺列`, makeIdNumber(360003)]], { header: ['姓名', '身份证号'] }),
      ).expect(400);
      expect(missing.body.errors.map((e: any) => e.column)).toEqual(['手机号', '学校']);
    });

    it('scopes the import to a county: city names it, a county cannot name another', async () => {
      const row = [[`市级导入`, makeIdNumber(370001), makePhone(370001), '罗庄区第一中学']];
      const header = { header: ['姓名', '身份证号', '手机号', '学校'] };
      const missing = await upload(admin, await xlsx(row, header)).expect(400);
      expect(missing.body.code).toBe('COUNTY_REQUIRED');
      const notCounty = await upload(admin, await xlsx(row, header), `?countyId=${schoolB}`).expect(404);
      expect(notCounty.body.code).toBe('NOT_FOUND');
      const other = await upload(countyA, await xlsx(row, header), `?countyId=${luozhuang}`).expect(404);
      expect(other.body.code).toBe('NOT_FOUND');
      const wrongCounty = await upload(countyA, await xlsx(row, header)).expect(400);
      expect(wrongCounty.body.errors).toEqual([
        { row: 4, column: '学校', message: expect.stringContaining('罗庄区第一中学') },
      ]);
      expect(await count('idNumber = ?', [makeIdNumber(370001)])).toBe(0);
      const ok = await upload(admin, await xlsx(row, header), `?countyId=${luozhuang}`).expect(200);
      expect(ok.body).toEqual({ created: 1, updated: 0 });
      expect(await count('idNumber = ? AND countyId = ?', [makeIdNumber(370001), luozhuang])).toBe(1);
      // County A may not take over county B's teacher by importing its 身份证号.
      const takeover = await upload(
        countyA,
        await xlsx([[`抢注`, makeIdNumber(370001), makePhone(370002), '兰山区第二实验小学']], header),
      ).expect(400);
      expect(takeover.body.errors[0]).toMatchObject({ row: 4, column: '身份证号' });
    });

    it('refuses what is not an .xlsx upload', async () => {
      const csv = await upload(countyA, Buffer.from('姓名,身份证号\n'), '', 'teachers.csv').expect(400);
      expect(csv.body.code).toBe('NOT_XLSX');
      const garbage = await upload(countyA, Buffer.from('this is not a zip file at all'), '', 'teachers.xlsx').expect(
        400,
      );
      // Not a zip at all: named for what it is (issue 16), in Chinese.
      expect(garbage.body.code).toBe('NOT_XLSX');
      expect(garbage.body.message).toMatch(/[\u4e00-\u9fff]/);
      const json = await t.http
        .post('/api/v1/teachers/import')
        .auth(countyA, { type: 'bearer' })
        .send({ file: 'x' })
        .expect(415);
      expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const wrongField = await t.http
        .post('/api/v1/teachers/import')
        .auth(countyA, { type: 'bearer' })
        .attach('upload', Buffer.from('x'), 'teachers.xlsx')
        .expect(400);
      expect(wrongField.body.code).toBe('FILE_REQUIRED');
    });
  });

  describe('export', () => {
    beforeAll(async () => {
      await createTeacher(t.http, countyA, schoolA, 380001, { subject: '=HYPERLINK("http://x")' });
      await createTeacher(t.http, countyB, schoolB, 380002);
    });

    const sheetRows = async (buf: Buffer) => {
      const ws = (await readXlsx(buf)).getWorksheet('教师名单')!;
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const rows: Record<string, ExcelJS.Cell>[] = [];
      ws.eachRow((row, n) => {
        if (n === 1) return;
        rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])));
      });
      return rows;
    };

    it('exports the county list masked, with IDs as text cells and formulas neutralised', async () => {
      const res = await download(countyA, '/api/v1/teachers/export').expect(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const rows = await sheetRows(res.body);
      expect(rows.length).toBe(await count('countyId = ?', [lanshan]));
      expect(rows.every((r) => r['县区'].value === '兰山区')).toBe(true);
      for (const r of rows) {
        expect(r['身份证号'].type).toBe(ExcelJS.ValueType.String);
        expect(r['身份证号'].value).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
        expect(r['手机号'].value).toMatch(/^1\d{2}\*{4}\d{4}$/);
      }
      const evil = rows.find((r) => r['姓名'].value === '教师380001')!;
      expect(evil['学科'].value).toBe(`'=HYPERLINK("http://x")`);
      expect(evil['学科'].type).toBe(ExcelJS.ValueType.String);
    });

    it('applies the list filters, and a county cannot export another county', async () => {
      const bySchool = await sheetRows(
        (await download(admin, `/api/v1/teachers/export?schoolId=${schoolB}`).expect(200)).body,
      );
      expect(bySchool.length).toBe(await count('schoolId = ?', [schoolB]));
      expect(bySchool.every((r) => r['学校'].value === '罗庄区第一中学')).toBe(true);
      const leak = await sheetRows(
        (await download(countyA, `/api/v1/teachers/export?countyId=${luozhuang}`).expect(200)).body,
      );
      expect(leak).toEqual([]);
      await t.http.get('/api/v1/teachers/export?pageSize=5').auth(countyA, { type: 'bearer' }).expect(400);
    });

    it('gives full values only to the city when asked, and audits it', async () => {
      const before = await auditCount('reveal');
      const county = await sheetRows((await download(countyA, '/api/v1/teachers/export?full=true').expect(200)).body);
      expect(county.every((r) => String(r['身份证号'].value).includes('*'))).toBe(true);
      expect(await auditCount('reveal')).toBe(before);
      const full = await sheetRows(
        (await download(admin, `/api/v1/teachers/export?countyId=${lanshan}&full=true`).expect(200)).body,
      );
      const row = full.find((r) => r['姓名'].value === '教师380001')!;
      expect(row['身份证号'].value).toBe(makeIdNumber(380001));
      expect(row['身份证号'].type).toBe(ExcelJS.ValueType.String);
      expect(row['手机号'].value).toBe(makePhone(380001));
      expect(await auditCount('reveal')).toBe(before + 1);
      const [entry] = await t.db.query(
        `SELECT fields, note FROM audit_entry WHERE action = 'reveal' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry.fields).toBe('idNumber,phone');
      expect(entry.note).toMatch(/^export of \d+ teachers$/);
    });

    it('round-trips: a full export imports again as updates', async () => {
      const buf = (await download(admin, `/api/v1/teachers/export?countyId=${luozhuang}&full=true`).expect(200)).body;
      const n = await count('countyId = ?', [luozhuang]);
      const res = await upload(admin, buf, `?countyId=${luozhuang}`).expect(200);
      expect(res.body).toEqual({ created: 0, updated: n });
    });
  });
});
