import * as ExcelJS from 'exceljs';
import TestAgent from 'supertest/lib/agent';
import { AppConfig, Clock, TransactionRunner } from '@shipei/core';
import { alignCreditCycles } from '@shipei/people';
import { checkCreditTable, checkTeacherCounts, rebuildCreditTable } from '@shipei/records';
import { account } from './support/enrolment-fixtures';
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

/** Shanghai wall-clock time → Date (no daylight saving in Asia/Shanghai). */
const cst = (s: string) => new Date(`${s}+08:00`);

async function sheet(name: string, header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  ws.getColumn(2).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The maintained credit table (`credit_year`) against the rows that hold the credits, after every
 * kind of change made through the API: completion (and a recount that changes it), certificate
 * revocation, external credits imported and corrected (hours and date), a teacher moved within a
 * county, to another county, and by the teacher import, and the rebuild command. After each,
 * the table holds exactly the sums from the source rows (checkCreditTable), and the values asked
 * for; the compliance answers read it.
 *
 * County A (兰山区): schools A1, A2; T1, T2 in A1. County B (罗庄区): school B1; T3.
 */
describe('credit table (credit_year) kept in step with the credits', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let http: TestAgent;
  let tx: TransactionRunner;
  let cycleStart: number;
  let now = cst('2022-12-01T08:00:00');
  const tok: Record<string, string> = {};
  const id: Record<string, number> = {};

  const call = (who: string, method: 'get' | 'post' | 'put' | 'patch', path: string, body?: object) =>
    http[method](path)
      .auth(tok[who], { type: 'bearer' })
      .send(body ?? {});
  const ok = async (res: Promise<any> | any) => {
    const r = await res;
    if (![200, 201].includes(r.status))
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const upload = (who: string, path: string, file: Buffer) =>
    http.post(path).auth(tok[who], { type: 'bearer' }).attach('file', file, 'sheet.xlsx');

  /** The table's rows with hours, as `teacher year county/school hours`. */
  const table = async () =>
    (
      await t.db.query(
        'SELECT teacherId, year, countyId, schoolId, hours FROM credit_year WHERE hours <> 0 ORDER BY teacherId, year',
      )
    ).map(
      (r: any) =>
        `${Number(r.teacherId)} ${Number(r.year)} ${Number(r.countyId)}/${Number(r.schoolId)} ${Number(r.hours)}`,
    );
  /** credit_cycle likewise: `teacher cycle county/school hours`. */
  const cycles = async () =>
    (
      await t.db.query(
        'SELECT teacherId, cycle, countyId, schoolId, hours FROM credit_cycle WHERE hours <> 0 ORDER BY teacherId, cycle',
      )
    ).map(
      (r: any) =>
        `${Number(r.teacherId)} ${Number(r.cycle)} ${Number(r.countyId)}/${Number(r.schoolId)} ${Number(r.hours)}`,
    );
  const row = (teacher: string, year: number, school: string, hours: number) =>
    `${id[teacher]} ${year} ${id[school === 'B1' ? 'countyB' : 'countyA']}/${id[school]} ${hours}`;
  const expectInStep = async () => {
    expect(await checkCreditTable(tx, cycleStart, 2)).toEqual([]);
    expect(await checkTeacherCounts(tx)).toEqual([]);
  };
  /** The maintained teacher count per school, as `school: teachers`. */
  const counts = async () =>
    (await t.db.query('SELECT schoolId, teachers FROM teacher_count WHERE teachers <> 0 ORDER BY schoolId')).map(
      (r: any) => `${Number(r.schoolId)}: ${Number(r.teachers)}`,
    );

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    tx = t.app.get(TransactionRunner);
    cycleStart = t.app.get(AppConfig).creditCycleStartYear;
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    tok.city = await adminToken(http);
    id.countyA = await countyIdByCode(t.db, '371302');
    id.countyB = await countyIdByCode(t.db, '371311');
    tok.countyA = await countyAdmin(http, tok.city, id.countyA, 'ct_lanshan');
    tok.countyB = await countyAdmin(http, tok.city, id.countyB, 'ct_luozhuang');
    id.A1 = await createSchool(http, tok.countyA, id.countyA, '兰山区第一实验小学');
    id.A2 = await createSchool(http, tok.countyA, id.countyA, '兰山区第二实验小学');
    id.B1 = await createSchool(http, tok.countyB, id.countyB, '罗庄区第一实验小学');
    id.T1 = await createTeacher(http, tok.countyA, id.A1, 81001, { name: '王一' });
    id.T2 = await createTeacher(http, tok.countyA, id.A1, 81002, { name: '李二' });
    id.T3 = await createTeacher(http, tok.countyB, id.B1, 81003, { name: '张三' });
    const trainer = await account(http, tok.city, { username: 'ct_trainer', role: 'TRAINER', displayName: '刘老师' });
    id.trainer = trainer.id;
    tok.trainer = trainer.token;
  });
  afterAll(async () => t?.close());

  it('starts empty and in step; counts the teachers created per school', async () => {
    expect(await table()).toEqual([]);
    expect(await counts()).toEqual([`${id.A1}: 2`, `${id.B1}: 1`]);
    await expectInStep();
  });

  it('adds a completion in the year its cohort ends, and a recount that changes the result', async () => {
    const program = await ok(
      call('city', 'post', '/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2022,
        title: '2022年冬季骨干教师培训',
        seats: 10,
        creditHours: 24.5,
        attendanceThreshold: 0.8,
        certificatePrefix: 'CTGG',
      }),
    );
    await ok(
      call('city', 'put', `/api/v1/programs/${program.id}/quotas`, [
        { countyId: id.countyA, seats: 5 },
        { countyId: id.countyB, seats: 5 },
      ]),
    );
    await ok(call('city', 'post', `/api/v1/programs/${program.id}/open`));
    const enrolment: Record<string, number> = {};
    for (const [who, county] of [
      ['T1', 'countyA'],
      ['T2', 'countyA'],
      ['T3', 'countyB'],
    ]) {
      const e = await ok(call(county, 'post', `/api/v1/programs/${program.id}/enrolments`, { teacherId: id[who] }));
      await ok(call('city', 'post', `/api/v1/enrolments/${e.id}/approve`));
      enrolment[who] = e.id;
    }
    // Starts in 2022, ends in 2023: its credits count in 2023.
    const cohort = await ok(
      call('city', 'post', `/api/v1/programs/${program.id}/cohorts`, {
        name: '一班',
        capacity: 10,
        startDate: '2022-12-30',
        endDate: '2023-01-02',
        venue: '临沂大学',
        trainerIds: [id.trainer],
      }),
    );
    id.cohort = cohort.id;
    await ok(
      call('city', 'post', `/api/v1/cohorts/${cohort.id}/assignments`, { enrolmentIds: Object.values(enrolment) }),
    );
    await t.db.query(`UPDATE enrolment SET status = 'CONFIRMED' WHERE id IN (${Object.values(enrolment).join(',')})`);
    const session = await ok(
      call('city', 'post', `/api/v1/cohorts/${cohort.id}/sessions`, {
        title: '专题讲座',
        startsAt: cst('2022-12-30T09:00:00').toISOString(),
        endsAt: cst('2022-12-30T12:00:00').toISOString(),
        hours: 3,
      }),
    );
    now = cst('2023-01-03T10:00:00');
    const mark = (who: string, status: string) =>
      ok(
        call('trainer', 'put', `/api/v1/sessions/${session.id}/attendance/${enrolment[who]}`, {
          status,
          reason: '现场核对',
        }),
      );
    await mark('T1', 'PRESENT');
    await mark('T3', 'PRESENT');
    expect((await ok(call('city', 'post', `/api/v1/cohorts/${cohort.id}/completion`))).completed).toBe(2);
    expect(await table()).toEqual([row('T1', 2023, 'A1', 24.5), row('T3', 2023, 'B1', 24.5)]);
    await expectInStep();

    // A correction: T2 was there, T3 was not. The recount moves the credits with it.
    await mark('T2', 'PRESENT');
    await mark('T3', 'ABSENT');
    expect((await ok(call('city', 'post', `/api/v1/cohorts/${cohort.id}/completion`))).completed).toBe(2);
    expect(await table()).toEqual([row('T1', 2023, 'A1', 24.5), row('T2', 2023, 'A1', 24.5)]);
    await expectInStep();
    // Running it again changes nothing.
    await ok(call('city', 'post', `/api/v1/cohorts/${cohort.id}/completion`));
    expect(await table()).toEqual([row('T1', 2023, 'A1', 24.5), row('T2', 2023, 'A1', 24.5)]);

    // 考核: an item added re-decides the program's results in the same transaction (a missing score is
    // not a pass), and a score entered later decides again: the credits follow both.
    const { items } = await ok(
      call('city', 'put', `/api/v1/programs/${program.id}/assessment`, {
        items: [{ name: '结业考试', passMark: 60, maxScore: 100 }],
      }),
    );
    expect(await table()).toEqual([]);
    await expectInStep();
    const score = (who: string, value: number) => ({ enrolmentId: enrolment[who], itemId: items[0].id, score: value });
    await ok(call('trainer', 'put', `/api/v1/cohorts/${cohort.id}/scores`, { scores: [score('T1', 75)] }));
    expect(await table()).toEqual([row('T1', 2023, 'A1', 24.5)]);
    await ok(
      call('trainer', 'put', `/api/v1/cohorts/${cohort.id}/scores`, { scores: [score('T1', 50), score('T2', 90)] }),
    );
    expect(await table()).toEqual([row('T2', 2023, 'A1', 24.5)]);
    await ok(call('trainer', 'put', `/api/v1/cohorts/${cohort.id}/scores`, { scores: [score('T1', 60)] }));
    expect(await table()).toEqual([row('T1', 2023, 'A1', 24.5), row('T2', 2023, 'A1', 24.5)]);
    await expectInStep();
  });

  it('keeps the credits when a certificate is revoked (credits follow completion, not certificates)', async () => {
    const issued = await ok(call('city', 'post', `/api/v1/cohorts/${id.cohort}/certificates`));
    const before = await table();
    await ok(call('city', 'post', `/api/v1/certificates/${issued[0].id}/revoke`, { reason: '信息有误，重新发证' }));
    expect(await table()).toEqual(before);
    await expectInStep();
  });

  it('adds imported external credits by their date, and moves a corrected one (hours and date)', async () => {
    now = cst('2023-06-01T10:00:00');
    const header = ['姓名', '身份证号', '培训项目名称', '主办单位', '学时', '培训日期', '证书编号'];
    const first = await sheet('校外学时', header, [
      ['王一', makeIdNumber(81001), '信息技术应用能力提升', '山东省教育厅', 12.5, '2023-03-01', 'SD2023-1'],
      ['王一', makeIdNumber(81001), '心理健康教育', '临沂市教育局', 8, '2022-06-01', 'LY2022-9'],
      ['张三', makeIdNumber(81003), '师德师风', '罗庄区教体局', 30, '2023-02-01', 'LZ2023-3'],
    ]);
    expect(await ok(upload('city', '/api/v1/external-credits/import', first))).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await table()).toEqual([
      row('T1', 2022, 'A1', 8),
      row('T1', 2023, 'A1', 37),
      row('T2', 2023, 'A1', 24.5),
      row('T3', 2023, 'B1', 30),
    ]);
    await expectInStep();

    // The same certificate corrected: 12.5 hours in 2023 become 6.5 in 2022; the others unchanged.
    const corrected = await sheet('校外学时', header, [
      ['王一', makeIdNumber(81001), '信息技术应用能力提升', '山东省教育厅', 6.5, '2022-12-20', 'SD2023-1'],
      ['王一', makeIdNumber(81001), '心理健康教育', '临沂市教育局', 8, '2022-06-01', 'LY2022-9'],
    ]);
    expect(await ok(upload('countyA', '/api/v1/external-credits/import', corrected))).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
    });
    expect(await table()).toEqual([
      row('T1', 2022, 'A1', 14.5),
      row('T1', 2023, 'A1', 24.5),
      row('T2', 2023, 'A1', 24.5),
      row('T3', 2023, 'B1', 30),
    ]);
    // Both years fall in the 2021–2025 cycle.
    expect(await cycles()).toEqual([row('T1', 2021, 'A1', 39), row('T2', 2021, 'A1', 24.5), row('T3', 2021, 'B1', 30)]);
    await expectInStep();
  });

  it('moves the credits with a teacher: to another school, to another county, and by the teacher import', async () => {
    await ok(call('countyA', 'patch', `/api/v1/teachers/${id.T1}`, { schoolId: id.A2 }));
    expect((await table()).slice(0, 2)).toEqual([row('T1', 2022, 'A2', 14.5), row('T1', 2023, 'A2', 24.5)]);
    expect((await cycles())[0]).toBe(row('T1', 2021, 'A2', 39));
    expect(await counts()).toEqual([`${id.A1}: 1`, `${id.A2}: 1`, `${id.B1}: 1`]);
    await expectInStep();

    await ok(call('city', 'patch', `/api/v1/teachers/${id.T3}`, { schoolId: id.A1 }));
    expect((await table()).at(-1)).toBe(`${id.T3} 2023 ${id.countyA}/${id.A1} 30`);
    expect(await counts()).toEqual([`${id.A1}: 2`, `${id.A2}: 1`]);
    await expectInStep();
    // The county's compliance answers follow: T3's 30 hours now count for 兰山区.
    const summary = await ok(call('city', 'get', '/api/v1/credit-compliance/summary?year=2023'));
    expect(summary.rows.map((r: any) => [r.organisationId, r.teachers, r.short, r.shortfallHours])).toEqual([
      [id.countyA, 3, 3, 48 - 24.5 + 48 - 24.5 + 48 - 30],
    ]);

    const roster = await sheet(
      '花名册',
      ['姓名', '身份证号', '手机号', '学校'],
      [
        ['李二', makeIdNumber(81002), makePhone(81002), '兰山区第二实验小学'],
        ['赵四', makeIdNumber(81004), makePhone(81004), '兰山区第一实验小学'],
      ],
    );
    const imported = await upload('countyA', '/api/v1/teachers/import', roster);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 1, updated: 1 });
    expect(await table()).toContain(row('T2', 2023, 'A2', 24.5));
    expect(await counts()).toEqual([`${id.A1}: 2`, `${id.A2}: 2`]);
    await expectInStep();
  });

  it('rebuilds the tables from the source rows, idempotently, in batches', async () => {
    const kept = await table();
    const keptCycles = await cycles();
    const keptCounts = await counts();
    await t.db.query('UPDATE teacher_count SET teachers = teachers + 5 WHERE schoolId = ?', [id.A1]);
    expect(await checkTeacherCounts(tx)).toEqual([`${id.A1}: ${id.countyA}/7 ≠ ${id.countyA}/2`]);
    await t.db.query('UPDATE credit_year SET hours = hours + 1, schoolId = ? WHERE teacherId = ?', [id.B1, id.T1]);
    await t.db.query('DELETE FROM credit_year WHERE teacherId = ?', [id.T2]);
    await t.db.query('DELETE FROM credit_cycle WHERE teacherId = ?', [id.T3]);
    await t.db.query('INSERT INTO credit_year (teacherId, year, countyId, schoolId, hours) VALUES (?, 2019, ?, ?, 5)', [
      id.T3,
      id.countyA,
      id.A1,
    ]);
    const wrong = await checkCreditTable(tx, cycleStart, 2);
    expect(wrong.map((d) => [d.teacherId, d.table, d.year])).toEqual([
      [id.T1, 'credit_year', 2022],
      [id.T1, 'credit_year', 2023],
      [id.T2, 'credit_year', 2023],
      [id.T3, 'credit_cycle', 2021],
      [id.T3, 'credit_year', 2019],
    ]);
    expect(wrong[2]).toEqual({
      teacherId: id.T2,
      year: 2023,
      table: 'credit_year',
      held: null,
      source: `${id.countyA}/${id.A2} 24.5`,
    });

    const batches: number[] = [];
    expect(await rebuildCreditTable(tx, cycleStart, { batch: 2, progress: (done) => batches.push(done) })).toBe(4);
    const lastTeacher = Number((await t.db.query('SELECT MAX(id) AS m FROM teacher'))[0].m);
    expect(batches.length).toBe(Math.ceil(lastTeacher / 2));
    expect(await table()).toEqual(kept);
    expect(await cycles()).toEqual(keptCycles);
    expect(await counts()).toEqual(keptCounts);
    await expectInStep();
    expect(await rebuildCreditTable(tx, cycleStart)).toBe(4);
    expect(await table()).toEqual(kept);
    expect(await cycles()).toEqual(keptCycles);
  });

  it('realigns the cycles when the configured first cycle year changes', async () => {
    expect(await tx.run((em) => alignCreditCycles(em, cycleStart))).toBe(false);
    expect(await tx.run((em) => alignCreditCycles(em, 2017))).toBe(true);
    // Cycles from 2017: 2022–2026 holds both of T1's years.
    expect((await cycles())[0]).toBe(row('T1', 2022, 'A2', 39));
    expect(await checkCreditTable(tx, 2017)).toEqual([]);
    expect(await tx.run((em) => alignCreditCycles(em, cycleStart))).toBe(true);
    await expectInStep();
  });
});
