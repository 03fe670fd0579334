import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZipEntries, ZipEntry } from '@shipei/records';
import * as ExcelJS from 'exceljs';
import TestAgent from 'supertest/lib/agent';
import { account, binary } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makeIdNumber } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { Clock, WorkerPool } from '@shipei/core';
import { Certificate, CertificatePrinter, CertificateRenderer, toCertificateView } from '@shipei/certificates';
import { CRASH_TASK } from './support/worker-fixtures.task';

const cst = (s: string) => new Date(`${s}+08:00`);

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

function rowsOf(ws: ExcelJS.Worksheet, from: number): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n >= from) out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'archive-pdf-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), pdf);
    return execFileSync('pdftotext', ['-raw', join(dir, 'f.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

/** The DOS modification date/time of every entry, from the ZIP's central directory. */
function entryDates(zip: Buffer): string[] {
  const out: string[] = [];
  let p = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  while (p >= 0 && zip.readUInt32LE(p) === 0x02014b50) {
    const time = zip.readUInt16LE(p + 12);
    const date = zip.readUInt16LE(p + 14);
    const pad = (n: number) => String(n).padStart(2, '0');
    out.push(
      `${(date >> 9) + 1980}-${pad((date >> 5) & 15)}-${pad(date & 31)} ${pad(time >> 11)}:${pad((time >> 5) & 63)}`,
    );
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

/**
 * 一期一档: a finished cohort of three trainees made through the API — 王晓梅 present twice
 * (completed, certificate LYGG2019-0001), 李建国 present once and on approved sick leave once (50%,
 * not completed), 赵丽 present and late (completed; her certificate LYGG2019-0002 then revoked).
 */
describe('records: cohort archive (一期一档)', () => {
  jest.setTimeout(60_000); // first PDFs load the CJK fonts; MariaDB is slower
  let t: TestApp;
  let http: TestAgent;
  let now: Date;
  const tok: Record<string, string> = {};
  const id: Record<string, number> = {};
  const enrolment: Record<string, number> = {};
  const ROOT = '2019年全市贫困村学校骨干教师暑期培训-一班-一期一档';

  const as = (who: string) => ({
    get: (path: string) => http.get(path).auth(tok[who], { type: 'bearer' }),
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(tok[who], { type: 'bearer' })
        .send(body ?? {}),
    put: (path: string, body: object) => http.put(path).auth(tok[who], { type: 'bearer' }).send(body),
    bytes: (path: string) => http.get(path).auth(tok[who], { type: 'bearer' }).buffer(true).parse(binary),
  });
  const ok = async (res: Promise<any> | any, status = [200, 201]) => {
    const r = await res;
    if (!status.includes(r.status))
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const archive = async (who = 'trainer') =>
    (await as(who).bytes(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(200)).body as Buffer;
  const part = (entries: ZipEntry[], name: string) => {
    const e = entries.find((x) => x.name === `${ROOT}/${name}`);
    if (!e) throw new Error(`no ${name} in ${entries.map((x) => x.name).join(', ')}`);
    return e.data;
  };

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    now = cst('2019-07-01T08:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    tok.city = await adminToken(http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const luozhuang = await countyIdByCode(t.db, '371311');
    tok.countyA = await countyAdmin(http, tok.city, lanshan, 'arc_lanshan');
    tok.countyB = await countyAdmin(http, tok.city, luozhuang, 'arc_luozhuang');
    const school = await createSchool(http, tok.countyA, lanshan, '兰山区汪沟镇中心小学');
    const trainer = await account(http, tok.city, { username: 'arc_trainer', role: 'TRAINER', displayName: '刘振华' });
    tok.trainer = trainer.token;
    tok.otherTrainer = (
      await account(http, tok.city, { username: 'arc_trainer2', role: 'TRAINER', displayName: '陈老师' })
    ).token;

    const program = await ok(
      as('city').post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年全市贫困村学校骨干教师暑期培训',
        seats: 20,
        creditHours: 48,
        attendanceThreshold: 0.8,
        certificatePrefix: 'LYGG',
      }),
    );
    id.program = program.id;
    await ok(as('city').put(`/api/v1/programs/${program.id}/quotas`, [{ countyId: lanshan, seats: 10 }]));
    await ok(as('city').post(`/api/v1/programs/${program.id}/open`));
    const cohort = await ok(
      as('city').post(`/api/v1/programs/${program.id}/cohorts`, {
        name: '一班',
        capacity: 50,
        startDate: '2019-07-15',
        endDate: '2019-07-16',
        venue: '临沂大学',
        trainerIds: [trainer.id],
        headTrainerId: trainer.id,
      }),
    );
    id.cohort = cohort.id;
    for (const [key, n, name] of [
      ['wang', 81001, '王晓梅'],
      ['li', 81002, '李建国'],
      ['zhao', 81003, '赵丽'],
    ] as const) {
      const teacherId = await createTeacher(http, tok.countyA, school, n, { name });
      const e = await ok(as('countyA').post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as('city').post(`/api/v1/enrolments/${e.id}/approve`));
      enrolment[key] = e.id;
      tok[key] = (
        await account(http, tok.countyA, { username: `1390008100${n % 10}`, role: 'TEACHER', teacherId })
      ).token;
    }
    await ok(as('city').post(`/api/v1/cohorts/${cohort.id}/assignments`, { enrolmentIds: Object.values(enrolment) }));
    for (const key of Object.keys(enrolment)) await ok(as(key).post(`/api/v1/enrolments/${enrolment[key]}/confirm`));
    const session = async (title: string, from: string, to: string) =>
      (
        await ok(
          as('city').post(`/api/v1/cohorts/${cohort.id}/sessions`, {
            title,
            startsAt: cst(from).toISOString(),
            endsAt: cst(to).toISOString(),
            hours: 3,
            trainerId: trainer.id,
            room: '博文楼 201',
          }),
        )
      ).id as number;
    id.s1 = await session('新课标解读', '2019-07-15T09:00:00', '2019-07-15T12:00:00');
    id.s2 = await session('课堂观察与诊断', '2019-07-16T09:00:00', '2019-07-16T12:00:00');

    now = cst('2019-07-15T13:00:00');
    const leave = await ok(
      as('li').post('/api/v1/leave-requests', { sessionIds: [id.s2], type: 'SICK', reason: '发烧就医' }),
    );
    await ok(as('trainer').post(`/api/v1/leave-requests/${leave.id}/approve`, { note: '同意，注意休息' }));
    for (const key of ['wang', 'li', 'zhao'])
      await ok(
        as('trainer').put(`/api/v1/sessions/${id.s1}/attendance/${enrolment[key]}`, {
          status: 'PRESENT',
          reason: '现场核对',
        }),
      );
    now = cst('2019-07-16T12:30:00');
    await ok(
      as('trainer').put(`/api/v1/sessions/${id.s2}/attendance/${enrolment.wang}`, {
        status: 'PRESENT',
        reason: '现场核对',
      }),
    );
    await ok(
      as('trainer').put(`/api/v1/sessions/${id.s2}/attendance/${enrolment.zhao}`, {
        status: 'LATE',
        reason: '迟到 20 分钟',
      }),
    );
  }, 180_000);
  afterAll(async () => t?.close());

  it('is refused while the cohort has not ended', async () => {
    now = cst('2019-07-16T20:00:00');
    const res = await as('trainer').get(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      code: 'COHORT_NOT_FINISHED',
      message: '本班尚未结束（结束日期 2019-07-16），结束后才能生成一期一档',
    });

    const done = await ok(as('trainer').post(`/api/v1/cohorts/${id.cohort}/completion`));
    expect(done).toMatchObject({ completed: 2, notCompleted: 1 });
    const issued = await ok(as('city').post(`/api/v1/cohorts/${id.cohort}/certificates`));
    expect(issued.map((c: any) => c.number).sort()).toEqual(['LYGG2019-0001', 'LYGG2019-0002']);
    const zhao = issued.find((c: any) => c.number === 'LYGG2019-0002');
    await ok(as('city').post(`/api/v1/certificates/${zhao.id}/revoke`, { reason: '考勤记录有误，经核查需补训' }));
    now = cst('2019-07-20T09:00:00');
  });

  it('is for the program owner and the cohort’s trainers: 404 for who may not see the cohort, 403 for who only reads it', async () => {
    for (const who of ['trainer', 'city']) {
      const res = await as(who).bytes(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="cohort-${id.cohort}-archive.zip"; filename*=UTF-8''${encodeURIComponent(`${ROOT}.zip`)}`,
      );
      expect(res.body.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    }
    await as('otherTrainer').get(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(404);
    for (const who of ['countyA', 'countyB'])
      expect((await as(who).get(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(403)).body.code).toBe(
        'NOT_SESSION_MANAGER',
      );
    await as('wang').get(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(403);
    await as('city').get('/api/v1/cohorts/999999/archive.zip').expect(404);
    await http.get(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(401);
  });

  it('holds every part under stable names, in a stable order, dated the cohort’s end date', async () => {
    const zip = await archive();
    const entries = readZipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual([
      `${ROOT}/00-说明.txt`,
      `${ROOT}/01-花名册.xlsx`,
      `${ROOT}/02-课程安排.xlsx`,
      `${ROOT}/03-考勤表.xlsx`,
      `${ROOT}/04-签到表/01-2019-07-15-新课标解读.pdf`,
      `${ROOT}/04-签到表/02-2019-07-16-课堂观察与诊断.pdf`,
      `${ROOT}/05-请假记录.xlsx`,
      `${ROOT}/06-结业情况.xlsx`,
      `${ROOT}/07-证书登记册.xlsx`,
      `${ROOT}/08-结业证书.pdf`,
    ]);
    expect(new Set(entryDates(zip))).toEqual(new Set(['2019-07-16 00:00']));
    // A standard tool reads it: every entry's CRC checks out and the UTF-8 names come through.
    const dir = mkdtempSync(join(tmpdir(), 'archive-zip-'));
    try {
      writeFileSync(join(dir, 'a.zip'), zip);
      expect(execFileSync('unzip', ['-t', join(dir, 'a.zip')], { encoding: 'utf8' })).toContain(
        'No errors detected in compressed data',
      );
      expect(execFileSync('unzip', ['-l', join(dir, 'a.zip')], { encoding: 'utf8' })).toContain(
        `${ROOT}/04-签到表/01-2019-07-15-新课标解读.pdf`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const readme = part(entries, '00-说明.txt').toString('utf8');
    expect(readme.startsWith('\ufeff一期一档（班级培训档案）')).toBe(true);
    expect(readme).toContain('培训项目：2019年全市贫困村学校骨干教师暑期培训（2019 年）');
    expect(readme).toContain('培训教师：刘振华（班主任）');
    expect(readme).toContain('学员：3 人；课次：2 次，共 6 学时；有效证书：1 张');
    expect(readme).toContain('08-结业证书.pdf  —  结业证书（有效证书 1 张，按编号顺序）');
  });

  it('contains the roster, schedule, attendance matrix, leave records, results and certificate register as .xlsx', async () => {
    const entries = readZipEntries(await archive());
    const masked = (n: number) => makeIdNumber(n).slice(0, 6) + '********' + makeIdNumber(n).slice(-4);

    const roster = (await workbook(part(entries, '01-花名册.xlsx'))).getWorksheet('花名册')!;
    expect(rowsOf(roster, 3).map((r) => [r[1], r[3], r[11], r[12]])).toEqual([
      ['王晓梅', masked(81001), '一班', '已结业'],
      ['李建国', masked(81002), '一班', '未结业'],
      ['赵丽', masked(81003), '一班', '已结业'],
    ]);

    const schedule = (await workbook(part(entries, '02-课程安排.xlsx'))).getWorksheet('课程安排')!;
    expect(rowsOf(schedule, 4)).toEqual([
      [1, '新课标解读', '2019-07-15', '09:00', '12:00', 3, '刘振华', '博文楼 201'],
      [2, '课堂观察与诊断', '2019-07-16', '09:00', '12:00', 3, '刘振华', '博文楼 201'],
      ['', '合计', '', '', '', 6],
    ]);

    const matrix = (await workbook(part(entries, '03-考勤表.xlsx'))).getWorksheet('考勤表')!;
    expect(
      rowsOf(matrix, 4)
        .slice(0, 3)
        .map((r) => [r[1], r[3], r[4], r[5], r[7], r[8]]),
    ).toEqual([
      ['李建国', '出勤', '请假', 3, 0.5, '未结业'],
      ['王晓梅', '出勤', '出勤', 6, 1, '已结业'],
      ['赵丽', '出勤', '迟到', 6, 1, '已结业'],
    ]);

    const leave = (await workbook(part(entries, '05-请假记录.xlsx'))).getWorksheet('请假记录')!;
    expect(rowsOf(leave, 4)).toEqual([
      [
        1,
        '李建国',
        '兰山区汪沟镇中心小学',
        '病假',
        '2019-07-16 09:00 课堂观察与诊断',
        '发烧就医',
        '已批准',
        '刘振华',
        '2019-07-15 13:00',
        '同意，注意休息',
        '2019-07-15 13:00',
      ],
    ]);

    const results = (await workbook(part(entries, '06-结业情况.xlsx'))).getWorksheet('结业情况')!;
    expect(results.getCell(2, 1).value).toBe('学员 3 人，结业 2 人，未结业 1 人；结业要求出勤率不低于 80%');
    expect(rowsOf(results, 4)).toEqual([
      [1, '李建国', '兰山区汪沟镇中心小学', 3, 6, 0.5, '未结业', 0, ''],
      [2, '王晓梅', '兰山区汪沟镇中心小学', 6, 6, 1, '已结业', 48, 'LYGG2019-0001'],
      [3, '赵丽', '兰山区汪沟镇中心小学', 6, 6, 1, '已结业', 48, ''],
    ]);

    const register = (await workbook(part(entries, '07-证书登记册.xlsx'))).getWorksheet('证书登记册')!;
    expect(rowsOf(register, 4).map((r) => [r[1], r[2], r[3], r[7], r[10], r[12]])).toEqual([
      ['LYGG2019-0001', '王晓梅', masked(81001), 48, '有效', ''],
      ['LYGG2019-0002', '赵丽', masked(81003), 48, '已撤销', '考勤记录有误，经核查需补训'],
    ]);

    // Every workbook carries the archive's date, not the time it was written.
    for (const name of ['01-花名册.xlsx', '03-考勤表.xlsx', '06-结业情况.xlsx']) {
      const wb = await workbook(part(entries, name));
      expect(wb.created.toISOString()).toBe('2019-07-16T00:00:00.000Z');
      expect(wb.modified.toISOString()).toBe('2019-07-16T00:00:00.000Z');
    }
  });

  it('contains every session’s sign-in sheet and the valid certificates as PDFs', async () => {
    const entries = readZipEntries(await archive());
    const first = pdfText(part(entries, '04-签到表/01-2019-07-15-新课标解读.pdf'));
    expect(first).toContain('签到表');
    expect(first).toContain('课次：新课标解读');
    for (const name of ['李建国', '王晓梅', '赵丽']) expect(first).toContain(name);
    expect(pdfText(part(entries, '04-签到表/02-2019-07-16-课堂观察与诊断.pdf'))).toContain('课次：课堂观察与诊断');

    const certificates = part(entries, '08-结业证书.pdf');
    expect(pdfPages(certificates)).toBe(1);
    const text = pdfText(certificates);
    expect(text).toContain('王晓梅');
    expect(text).toContain('LYGG2019-0001');
    expect(text).not.toContain('赵丽');
  });

  it('holds the certificates as drawn in a worker thread, byte for byte what the renderer draws on the event loop', async () => {
    const entries = readZipEntries(await archive());
    const certificates = await t.app.get(CertificatePrinter).cohortCertificates(id.cohort);
    const inline = await new CertificateRenderer().renderToBuffer(
      certificates.map((c: Certificate) => toCertificateView(c, t.config.publicBaseUrl)),
    );
    expect(part(entries, '08-结业证书.pdf').equals(inline)).toBe(true);
  });

  it('answers a worker thread that dies before the download begins with 503 WORKER_FAILED in Chinese', async () => {
    const pool = t.app.get(WorkerPool);
    const run = pool.run.bind(pool);
    const spy = jest.spyOn(pool, 'run').mockImplementationOnce((_task, args, ports) => run(CRASH_TASK, args, ports));
    try {
      const res = await as('trainer').get(`/api/v1/cohorts/${id.cohort}/archive.zip`).expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'WORKER_FAILED' });
      expect(res.body.message).toMatch(/工作线程意外中止/);
    } finally {
      spy.mockRestore();
    }
    expect(readZipEntries(await archive()).length).toBeGreaterThan(8);
  });

  it('is the same every time it is made: identical entry names and contents, byte for byte', async () => {
    const first = await archive('trainer');
    await new Promise((r) => setTimeout(r, 2100)); // past the 2-second resolution of zip times
    const second = await archive('city');
    const a = readZipEntries(first);
    const b = readZipEntries(second);
    expect(b.map((e) => e.name)).toEqual(a.map((e) => e.name));
    a.forEach((e, i) => expect({ name: e.name, same: e.data.equals(b[i].data) }).toEqual({ name: e.name, same: true }));
    expect(first.equals(second)).toBe(true);
  });
});
