/**
 * 考核 (issue 19 point 2, spec §15) through the API on the real database (SQLite and MariaDB/MySQL):
 * the owner's items, the trainer's scores (JSON and xlsx import, all-or-nothing), completion needing
 * every item passed and re-decided in the same request after a score change, certificates freezing
 * the result, and the trainee's submissions (type by content, ≤ 20 MB, stored in chunks).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import * as ExcelJS from 'exceljs';
import { Clock } from '@shipei/core';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makePhone,
} from './support/fixtures';
import { binary, readXlsx } from './support/enrolment-fixtures';
import { conformance } from './support/openapi-conformance';
import { startTestApp, TestApp } from './support/test-app';

const cst = (s: string) => new Date(`${s}+08:00`);
jest.setTimeout(180_000);

describe('assessment (考核)', () => {
  let t: TestApp;
  let http: TestAgent;
  let now: Date;
  let admin: string;
  let county: string;
  let trainer: { id: number; token: string };
  let otherTrainer: { id: number; token: string };
  let program: { id: number };
  let cohort: { id: number };
  const trainees: Record<'A' | 'B' | 'C', { teacherId: number; enrolmentId: number; token: string }> = {} as never;
  let exam: number;
  let essay: number;

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
  async function account(admin: string, role: 'TRAINER' | 'TEACHER', username: string, teacherId?: number) {
    const created = await ok(
      as(admin).post('/api/v1/users', { username, password: 'Once12345', role, ...(teacherId ? { teacherId } : {}) }),
    );
    const first = await login(http, username, 'Once12345');
    const changed = await ok(
      as(first).post('/api/v1/auth/password', { currentPassword: 'Once12345', newPassword: 'Secret1234' }),
    );
    return { id: created.id as number, token: changed.accessToken as string };
  }
  const status = async (enrolmentId: number) =>
    (await t.db.query(`SELECT status FROM enrolment WHERE id = ${enrolmentId}`))[0].status;
  const decidedEvents = async (enrolmentId: number) =>
    Number(
      (
        await t.db.query(
          `SELECT COUNT(*) AS n FROM domain_event WHERE type = 'completion.decided' AND entityId = '${enrolmentId}'`,
        )
      )[0].n,
    );
  const setScores = (token: string, scores: { enrolmentId: number; itemId: number; score: number }[]) =>
    as(token).put(`/api/v1/cohorts/${cohort.id}/scores`, { scores });
  const upload = (token: string, enrolmentId: number, itemId: number, content: Buffer, name: string) =>
    http
      .put(`/api/v1/enrolments/${enrolmentId}/submissions/${itemId}`)
      .auth(token, { type: 'bearer' })
      .attach('file', content, name);
  const download = (token: string, enrolmentId: number, itemId: number) =>
    http
      .get(`/api/v1/enrolments/${enrolmentId}/submissions/${itemId}`)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse(binary);
  async function sheet(rows: (string | number | null)[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成绩');
    rows.forEach((r) => ws.addRow(r));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const importSheet = (token: string, content: Buffer) =>
    http
      .post(`/api/v1/cohorts/${cohort.id}/scores/import`)
      .auth(token, { type: 'bearer' })
      .attach('file', content, '成绩.xlsx');

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    now = cst('2019-07-15T08:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    admin = await adminToken(http);
    const lanshan = await countyIdByCode(t.db, '371302');
    county = await countyAdmin(http, admin, lanshan, 'as_county');
    const school = await createSchool(http, county, lanshan, '兰山区考核小学');
    trainer = await account(admin, 'TRAINER', 'as_trainer');
    otherTrainer = await account(admin, 'TRAINER', 'as_trainer2');
    program = await ok(
      as(admin).post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年骨干教师考核培训',
        seats: 10,
        creditHours: 48,
        attendanceThreshold: 0.5,
        certificatePrefix: 'LYKH',
      }),
    );
    await ok(as(admin).put(`/api/v1/programs/${program.id}/quotas`, [{ countyId: lanshan, seats: 10 }]));
    await ok(as(admin).post(`/api/v1/programs/${program.id}/open`));
    cohort = await ok(
      as(admin).post(`/api/v1/programs/${program.id}/cohorts`, {
        name: '考核一班',
        capacity: 10,
        startDate: '2019-07-15',
        endDate: '2019-07-15',
        venue: '临沂大学',
        trainerIds: [trainer.id],
      }),
    );
    const session = await ok(
      as(admin).post(`/api/v1/cohorts/${cohort.id}/sessions`, {
        title: '新课标解读',
        startsAt: cst('2019-07-15T09:00:00').toISOString(),
        endsAt: cst('2019-07-15T11:00:00').toISOString(),
        hours: 2,
      }),
    );
    for (const [key, n, name] of [
      ['A', 65001, '孔繁星'],
      ['B', 65002, '孟子涵'],
      ['C', 65003, '曾思远'],
    ] as const) {
      const teacherId = await createTeacher(http, county, school, n, { name });
      const e = await ok(as(county).post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
      await ok(as(admin).post(`/api/v1/cohorts/${cohort.id}/assignments`, { enrolmentIds: [e.id] }));
      const { token } = await account(county, 'TEACHER', makePhone(n), teacherId);
      await ok(as(token).post(`/api/v1/enrolments/${e.id}/confirm`));
      trainees[key] = { teacherId, enrolmentId: e.id, token };
    }
    now = cst('2019-07-15T11:30:00');
    for (const k of ['A', 'B'] as const)
      await ok(
        as(trainer.token).put(`/api/v1/sessions/${session.id}/attendance/${trainees[k].enrolmentId}`, {
          status: 'PRESENT',
          reason: '现场核对',
        }),
      );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the owner sets the items, checked in Chinese; trainers and teachers only read them', async () => {
    const bad = await as(admin)
      .put(`/api/v1/programs/${program.id}/assessment`, {
        items: [
          { name: '结业考试', passMark: 120, maxScore: 100 },
          { name: '结业考试', passMark: 1, maxScore: 10 },
        ],
      })
      .expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'items[0].passMark', message: '「结业考试」的及格分不能高于满分' },
      { field: 'items[1].name', message: '考核项目「结业考试」重复' },
    ]);
    const negative = await as(admin)
      .put(`/api/v1/programs/${program.id}/assessment`, { items: [{ name: '作业', passMark: -1, maxScore: 0 }] })
      .expect(400);
    expect(JSON.stringify(negative.body)).toContain('及格分不能小于 0');
    expect(JSON.stringify(negative.body)).toContain('满分须大于 0');
    await as(trainer.token)
      .put(`/api/v1/programs/${program.id}/assessment`, { items: [{ name: '作业', passMark: 1, maxScore: 2 }] })
      .expect(403);

    const set = await ok(
      as(admin).put(`/api/v1/programs/${program.id}/assessment`, {
        items: [
          { name: '结业考试', passMark: 60, maxScore: 100 },
          { name: '研修作业', passMark: 6, maxScore: 10 },
        ],
      }),
    );
    expect(set.items.map((i: any) => [i.name, i.passMark, i.maxScore])).toEqual([
      ['结业考试', 60, 100],
      ['研修作业', 6, 10],
    ]);
    [exam, essay] = set.items.map((i: any) => i.id);
    expect((await ok(as(trainees.A.token).get(`/api/v1/programs/${program.id}/assessment`))).items).toHaveLength(2);
  });

  it('trainers enter scores within the cohort and the 满分; others may not', async () => {
    const bad = await setScores(trainer.token, [
      { enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 101 },
      { enrolmentId: 999999, itemId: exam, score: 50 },
      { enrolmentId: trainees.B.enrolmentId, itemId: 999999, score: 5 },
    ]).expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'scores[0].score', message: '「结业考试」成绩不能超过满分 100' },
      { field: 'scores[1].enrolmentId', message: '该学员不在本班名单中（须已报到并分入本班）' },
      { field: 'scores[2].itemId', message: '考核项目不属于本班所在的培训项目' },
    ]);
    await setScores(otherTrainer.token, [{ enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 1 }]).expect(404);
    await setScores(trainees.A.token, [{ enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 100 }]).expect(403);
    await setScores(county, [{ enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 100 }]).expect(403);

    const res = await ok(
      setScores(trainer.token, [
        { enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 88.5 },
        { enrolmentId: trainees.A.enrolmentId, itemId: essay, score: 6 },
        { enrolmentId: trainees.B.enrolmentId, itemId: exam, score: 59.99 },
        { enrolmentId: trainees.B.enrolmentId, itemId: essay, score: 9 },
      ]),
    );
    expect(res).toEqual({ updated: 4, redecided: 0 });
    const view = await ok(as(trainer.token).get(`/api/v1/cohorts/${cohort.id}/scores`));
    const a = view.trainees.find((x: any) => x.enrolmentId === trainees.A.enrolmentId);
    expect(a.scores.map((s: any) => [s.score, s.passed])).toEqual([
      [88.5, true],
      [6, true],
    ]);
    expect(a.passed).toBe(true);
  });

  it('completion needs attendance and every item passed, and a score change re-decides at once', async () => {
    const done = await ok(as(trainer.token).post(`/api/v1/cohorts/${cohort.id}/completion`));
    const by = (id: number) => done.items.find((i: any) => i.enrolmentId === id).status;
    expect(by(trainees.A.enrolmentId)).toBe('COMPLETED');
    expect(by(trainees.B.enrolmentId)).toBe('NOT_COMPLETED'); // attended, 59.99 < 60
    expect(by(trainees.C.enrolmentId)).toBe('NOT_COMPLETED'); // absent, no scores
    expect(await decidedEvents(trainees.B.enrolmentId)).toBe(1);

    // B's exam corrected to 60: COMPLETED in the same request, with a DECIDED event and credit hours.
    expect(
      await ok(setScores(trainer.token, [{ enrolmentId: trainees.B.enrolmentId, itemId: exam, score: 60 }])),
    ).toEqual({ updated: 1, redecided: 1 });
    expect(await status(trainees.B.enrolmentId)).toBe('COMPLETED');
    const [{ creditHours }] = await t.db.query(
      `SELECT creditHours FROM enrolment WHERE id = ${trainees.B.enrolmentId}`,
    );
    expect(Number(creditHours)).toBe(48);
    expect(await decidedEvents(trainees.B.enrolmentId)).toBe(2);
    // C passes both items but was absent: still NOT_COMPLETED.
    await ok(
      setScores(trainer.token, [
        { enrolmentId: trainees.C.enrolmentId, itemId: exam, score: 100 },
        { enrolmentId: trainees.C.enrolmentId, itemId: essay, score: 10 },
      ]),
    );
    expect(await status(trainees.C.enrolmentId)).toBe('NOT_COMPLETED');
    // The same score again changes nothing and records nothing.
    expect(
      await ok(setScores(trainer.token, [{ enrolmentId: trainees.B.enrolmentId, itemId: exam, score: 60 }])),
    ).toEqual({ updated: 0, redecided: 0 });
    // A raised pass mark re-decides the program's decided trainees: B (60 < 70) is no longer completed.
    await ok(
      as(admin).put(`/api/v1/programs/${program.id}/assessment`, {
        items: [
          { name: '结业考试', passMark: 70, maxScore: 100 },
          { name: '研修作业', passMark: 6, maxScore: 10 },
        ],
      }),
    );
    expect(await status(trainees.B.enrolmentId)).toBe('NOT_COMPLETED');
    expect(await status(trainees.A.enrolmentId)).toBe('COMPLETED');
  });

  it('a valid certificate freezes the result until it is revoked; scored items stay', async () => {
    const [cert] = (await as(trainer.token).post(`/api/v1/cohorts/${cohort.id}/certificates`).expect(201)).body;
    const refused = await setScores(trainer.token, [
      { enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 40 },
    ]).expect(409);
    expect(refused.body.code).toBe('ASSESSMENT_CERTIFIED');
    expect(refused.body.message).toContain('孔繁星已颁发结业证书');
    // A pass mark that would fail A is refused too; nothing changed.
    const raised = await as(admin)
      .put(`/api/v1/programs/${program.id}/assessment`, {
        items: [
          { name: '结业考试', passMark: 90, maxScore: 100 },
          { name: '研修作业', passMark: 6, maxScore: 10 },
        ],
      })
      .expect(409);
    expect(raised.body.code).toBe('ASSESSMENT_CERTIFIED');
    expect((await ok(as(admin).get(`/api/v1/programs/${program.id}/assessment`))).items[0].passMark).toBe(70);
    // Removing a scored item, or a 满分 below a recorded score: 409.
    expect(
      (
        await as(admin)
          .put(`/api/v1/programs/${program.id}/assessment`, {
            items: [{ name: '结业考试', passMark: 70, maxScore: 100 }],
          })
          .expect(409)
      ).body.code,
    ).toBe('ASSESSMENT_ITEM_SCORED');
    expect(
      (
        await as(admin)
          .put(`/api/v1/programs/${program.id}/assessment`, {
            items: [
              { name: '结业考试', passMark: 70, maxScore: 95 },
              { name: '研修作业', passMark: 6, maxScore: 10 },
            ],
          })
          .expect(409)
      ).body.code,
    ).toBe('ASSESSMENT_MAX_BELOW_SCORE');

    await ok(as(admin).post(`/api/v1/certificates/${cert.id}/revoke`, { reason: '成绩更正' }));
    expect(
      await ok(setScores(trainer.token, [{ enrolmentId: trainees.A.enrolmentId, itemId: exam, score: 40 }])),
    ).toEqual({
      updated: 1,
      redecided: 1,
    });
    expect(await status(trainees.A.enrolmentId)).toBe('NOT_COMPLETED');
  });

  it('imports scores from xlsx all-or-nothing with row errors in Chinese, from the template', async () => {
    const template = await as(trainer.token)
      .get(`/api/v1/cohorts/${cohort.id}/scores/template`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const ws = await readXlsx(template.body);
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual(['报名编号', '姓名', '学校', '结业考试（满分100）', '研修作业（满分10）']);

    const before = await ok(as(trainer.token).get(`/api/v1/cohorts/${cohort.id}/scores`));
    const bad = await importSheet(
      trainer.token,
      await sheet([
        ['报名编号', '姓名', '结业考试（满分100）', '研修作业'],
        [trainees.A.enrolmentId, '孔繁星', 95, 8],
        [trainees.B.enrolmentId, '张三', 80, null],
        [trainees.C.enrolmentId, '曾思远', 101, '优'],
        [999999, '', 50, null],
      ]),
    ).expect(400);
    expect(bad.body.code).toBe('IMPORT_INVALID');
    expect(bad.body.message).toBe('导入失败：3 行数据有误，未导入任何成绩。请按提示修改后重新导入。');
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { row: 3, column: '姓名', message: '姓名与报名编号不符（该编号是 孟子涵）' },
        { row: 4, column: '研修作业（满分10）', message: '成绩须为数字' },
        { row: 5, column: '报名编号', message: '该学员不在本班名单中（须已报到并分入本班）' },
      ]),
    );
    expect(await ok(as(trainer.token).get(`/api/v1/cohorts/${cohort.id}/scores`))).toEqual(before);

    const res = await ok(
      importSheet(
        trainer.token,
        await sheet([
          ['考核一班成绩'],
          ['报名编号', '姓名', '结业考试（满分100）', '研修作业'],
          [trainees.A.enrolmentId, '孔繁星', 95, 8],
          [trainees.B.enrolmentId, '孟子涵', '80', null],
        ]),
      ),
    );
    expect(res).toEqual({ updated: 3, redecided: 2 }); // A: both items, B: the exam (blank essay kept)
    expect(await status(trainees.A.enrolmentId)).toBe('COMPLETED');
    expect(await status(trainees.B.enrolmentId)).toBe('COMPLETED');
    await importSheet(trainees.A.token, await sheet([['报名编号'], [1]])).expect(403);
  });

  it('a trainee uploads a submission checked by content; trainers and the owner download it, others cannot', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2_500_000, 7)]);
    const mine = await ok(upload(trainees.A.token, trainees.A.enrolmentId, essay, pdf, '研修成果.pdf'));
    expect(mine.scores[1].submission).toMatchObject({
      filename: '研修成果.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
    });
    const got = await download(trainer.token, trainees.A.enrolmentId, essay).expect(200);
    expect(Buffer.compare(got.body, pdf)).toBe(0);
    expect((await download(admin, trainees.A.enrolmentId, essay).expect(200)).body.length).toBe(pdf.length);
    expect((await download(trainees.A.token, trainees.A.enrolmentId, essay).expect(200)).body.length).toBe(pdf.length);
    await download(trainees.B.token, trainees.A.enrolmentId, essay).expect(404);
    await download(otherTrainer.token, trainees.A.enrolmentId, essay).expect(404);
    await download(county, trainees.A.enrolmentId, essay).expect(403);
    await download(trainer.token, trainees.B.enrolmentId, essay).expect(404); // none uploaded

    // A docx is a zip with word/document.xml; an xlsx (another zip) or text named .pdf is refused.
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....word/document.xml....')]);
    expect(
      (await ok(upload(trainees.B.token, trainees.B.enrolmentId, exam, docx, '作业.docx'))).scores[0].submission
        .contentType,
    ).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xlsxFile = await sheet([['x']]);
    const refused = await upload(trainees.B.token, trainees.B.enrolmentId, exam, xlsxFile, '作业.docx').expect(400);
    expect(refused.body.message).toContain('文件须为 PDF、Word（.docx/.doc）或图片');
    await upload(trainees.B.token, trainees.B.enrolmentId, exam, Buffer.from('plain text'), '假的.pdf').expect(400);
    // Someone else's enrolment, a trainer, an item of no program of theirs.
    await upload(trainees.B.token, trainees.A.enrolmentId, essay, pdf, 'x.pdf').expect(404);
    await upload(trainer.token, trainees.A.enrolmentId, essay, pdf, 'x.pdf').expect(403);
    await upload(trainees.B.token, trainees.B.enrolmentId, 999999, pdf, 'x.pdf').expect(404);
  });

  it('keeps a file past the 16 MB statement limit of MySQL (chunks) and refuses one past 20 MB', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(17 * 1024 * 1024, 3)]);
    await ok(upload(trainees.C.token, trainees.C.enrolmentId, exam, big, '大文件.pdf'));
    const got = await download(trainer.token, trainees.C.enrolmentId, exam).expect(200);
    expect(got.body.length).toBe(big.length);
    expect(Buffer.compare(got.body, big)).toBe(0);
    const [{ n }] = await t.db.query(
      `SELECT COUNT(*) AS n FROM assessment_submission_chunk k INNER JOIN assessment_submission s ON s.id = k.submissionId WHERE s.enrolmentId = ${trainees.C.enrolmentId}`,
    );
    expect(Number(n)).toBe(18);
    const tooBig = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024, 3)]);
    await upload(trainees.C.token, trainees.C.enrolmentId, exam, tooBig, '太大.pdf').expect(413);
  });

  it('shows the scores in the teacher file, the certificates register and the cohort archive', async () => {
    await as(trainer.token).post(`/api/v1/cohorts/${cohort.id}/certificates`).expect(201);
    const file = await ok(as(trainees.A.token).get(`/api/v1/teachers/${trainees.A.teacherId}/file`));
    const training = file.trainings.find((x: any) => x.enrolmentId === trainees.A.enrolmentId);
    expect(training.scores).toEqual([
      { name: '结业考试', score: 95, maxScore: 100, passMark: 70, passed: true },
      { name: '研修作业', score: 8, maxScore: 10, passMark: 6, passed: true },
    ]);
    const fileXlsx = await readXlsx(
      (
        await as(trainees.A.token)
          .get(`/api/v1/teachers/${trainees.A.teacherId}/file.xlsx`)
          .buffer(true)
          .parse(binary)
          .expect(200)
      ).body,
    );
    expect(fileXlsx).toBeDefined();

    const register = await as(admin)
      .get(`/api/v1/programs/${program.id}/certificates.xlsx`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(register.body as unknown as ArrayBuffer);
    const cells = wb.worksheets[0].getSheetValues().flat().map(String);
    expect(cells).toContain('考核成绩');
    expect(cells).toContain('结业考试 95/100；研修作业 8/10');

    now = cst('2019-07-16T10:00:00'); // the archive is of a finished cohort
    const zip = await as(admin).get(`/api/v1/cohorts/${cohort.id}/archive.zip`).buffer(true).parse(binary).expect(200);
    const dir = mkdtempSync(join(tmpdir(), 'assessment-archive-'));
    try {
      writeFileSync(join(dir, 'a.zip'), zip.body);
      const names = execFileSync('unzip', ['-Z1', join(dir, 'a.zip')], { encoding: 'utf8' }).split('\n');
      const results = names.find((n) => n.endsWith('06-结业情况.xlsx'))!;
      const content = execFileSync('unzip', ['-p', join(dir, 'a.zip'), results], { maxBuffer: 1 << 26 });
      const rwb = new ExcelJS.Workbook();
      await rwb.xlsx.load(content as unknown as ArrayBuffer);
      const all = rwb.worksheets[0].getSheetValues().flat().map(String);
      expect(all).toContain('考核成绩');
      expect(all).toContain('结业考试 95/100；研修作业 8/10');
      expect(all.some((c) => c.includes('且各考核项目均及格'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers as its OpenAPI document says (contract)', async () => {
    const conforms = conformance((await http.get('/api/docs-json').expect(200)).body);
    const calls: [string, string, string, () => Promise<any>][] = [
      [
        'GET',
        '/api/v1/programs/{id}/assessment',
        'items',
        () => as(trainees.A.token).get(`/api/v1/programs/${program.id}/assessment`),
      ],
      [
        'PUT',
        '/api/v1/programs/{id}/assessment',
        'set items',
        () =>
          as(admin).put(`/api/v1/programs/${program.id}/assessment`, {
            items: [
              { name: '结业考试', passMark: 70, maxScore: 100 },
              { name: '研修作业', passMark: 6, maxScore: 10 },
            ],
          }),
      ],
      [
        'GET',
        '/api/v1/cohorts/{id}/scores',
        'scores',
        () => as(trainer.token).get(`/api/v1/cohorts/${cohort.id}/scores`),
      ],
      [
        'PUT',
        '/api/v1/cohorts/{id}/scores',
        'set scores',
        () => setScores(trainer.token, [{ enrolmentId: trainees.C.enrolmentId, itemId: essay, score: 9 }]),
      ],
      [
        'GET',
        '/api/v1/enrolments/{id}/assessment',
        'trainee view',
        () => as(trainees.A.token).get(`/api/v1/enrolments/${trainees.A.enrolmentId}/assessment`),
      ],
      [
        'GET',
        '/api/v1/enrolments/{id}/submissions/{itemId}',
        'file',
        () => download(trainer.token, trainees.A.enrolmentId, essay),
      ],
      [
        'GET',
        '/api/v1/cohorts/{id}/scores/template',
        'template',
        () => as(trainer.token).get(`/api/v1/cohorts/${cohort.id}/scores/template`).buffer(true).parse(binary),
      ],
      [
        'POST',
        '/api/v1/cohorts/{id}/scores/import',
        'import refused',
        () => importSheet(trainer.token, Buffer.alloc(0)),
      ],
    ];
    for (const [method, path, , call] of calls) {
      const res = await call();
      if (res.status === 400 && path.endsWith('/import')) continue; // an empty upload: the error body, checked below
      expect([200, 201]).toContain(res.status);
      conforms(method, path, res.status, res);
    }
    const invalid = await importSheet(
      trainer.token,
      await sheet([
        ['报名编号', '结业考试'],
        ['x', 1],
      ]),
    ).expect(400);
    conforms('POST', '/api/v1/cohorts/{id}/scores/import', 400, invalid);
  });

  it('refuses a new item that would take the result of certified trainees away', async () => {
    const refused = await as(admin)
      .put(`/api/v1/programs/${program.id}/assessment`, {
        items: [
          { name: '结业考试', passMark: 70, maxScore: 100 },
          { name: '研修作业', passMark: 6, maxScore: 10 },
          { name: '读书笔记', passMark: 1, maxScore: 5 },
        ],
      })
      .expect(409);
    expect(refused.body.code).toBe('ASSESSMENT_CERTIFIED');
    expect((await ok(as(admin).get(`/api/v1/programs/${program.id}/assessment`))).items).toHaveLength(2);
    expect(await status(trainees.A.enrolmentId)).toBe('COMPLETED');
  });
});
