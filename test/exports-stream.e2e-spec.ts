/**
 * Streamed exports (issue 21 point 4): the certificate register, the credit-hours list, the roster and
 * the teacher list are written while they are read, in keyset batches. Here each holds more rows than
 * several batches, and comes out complete, in the export's order, numbered without a gap; and an
 * export that fails after its first bytes aborts the response instead of ending a cut file.
 * Runs on SQLite and (TEST_DATABASE_URL=mysql://…) MariaDB/MySQL.
 */
import { AddressInfo } from 'node:net';
import { CertificateRegisters, REGISTER_BATCH } from '@shipei/certificates';
import { ROSTER_BATCH } from '@shipei/enrolment';
import { Teacher } from '@shipei/people';
import * as ExcelJS from 'exceljs';
import { EntityManager } from 'typeorm';
import { seedExportRows, ExportSeed } from './support/export-seed';
import { adminToken } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const ROWS = 6 * Math.max(REGISTER_BATCH, ROSTER_BATCH) + 147;

describe('exports stream in batches, complete and in order', () => {
  let t: TestApp;
  let admin: string;
  let seed: ExportSeed;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    seed = await seedExportRows(t.db, ROWS);
    // A real socket, so a client sees exactly what a browser would (an aborted body, not a short one).
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.close());

  const get = (path: string) => fetch(base + path, { headers: { authorization: `Bearer ${admin}` } });

  async function sheet(path: string): Promise<unknown[][]> {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    // Streamed: sent in chunks, its length unknown beforehand.
    expect(res.headers.get('content-length')).toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  }

  const column = (rows: unknown[][], i: number) => rows.map((r) => r[i]);
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('the certificate register: every certificate, by sequence then id, 序号 from 1', async () => {
    const rows = (await sheet(`/api/v1/programs/${seed.programId}/certificates.xlsx`)).slice(1);
    const expected = await t.db.query(
      `SELECT number, status FROM certificate WHERE programId = ? ORDER BY sequence, id`,
      [seed.programId],
    );
    expect(expected).toHaveLength(ROWS);
    expect(column(rows, 1)).toEqual(expected.map((r: { number: string }) => r.number));
    expect(column(rows, 0)).toEqual(oneTo(ROWS));
    expect(column(rows, 12)).toEqual(
      expected.map((r: { status: string }) => (r.status === 'VALID' ? '有效' : '已撤销')),
    );
    expect(String(rows[0][3])).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('the credit-hours list: the valid certificates only, in the same order', async () => {
    const rows = (await sheet(`/api/v1/programs/${seed.programId}/credit-hours.xlsx`)).slice(1);
    const expected = await t.db.query(
      `SELECT number FROM certificate WHERE programId = ? AND status = 'VALID' ORDER BY sequence, id`,
      [seed.programId],
    );
    expect(expected.length).toBeGreaterThan(4 * REGISTER_BATCH);
    expect(column(rows, 9)).toEqual(expected.map((r: { number: string }) => r.number));
    expect(column(rows, 0)).toEqual(oneTo(expected.length));
  });

  it('the roster: every enrolment, county by county then by id', async () => {
    const rows = (await sheet(`/api/v1/programs/${seed.programId}/roster`)).slice(2);
    const expected = await t.db.query(
      `SELECT t.name AS name FROM enrolment e JOIN teacher t ON t.id = e.teacherId WHERE e.programId = ? ORDER BY e.countyId, e.id`,
      [seed.programId],
    );
    expect(expected).toHaveLength(ROWS);
    expect(column(rows, 1)).toEqual(expected.map((r: { name: string }) => r.name));
    expect(column(rows, 0)).toEqual(oneTo(ROWS));
    expect(rows.every((r) => r[11] === '压测一期' && r[12] === '已结业')).toBe(true);
  });

  it('the teacher list: every teacher, by id', async () => {
    const rows = (await sheet(`/api/v1/teachers/export`)).slice(1);
    const expected = await t.db.query(`SELECT name FROM teacher ORDER BY id`);
    expect(expected.length).toBeGreaterThanOrEqual(ROWS);
    expect(column(rows, 0)).toEqual(expected.map((r: { name: string }) => r.name));
  });

  it('aborts the response when the export fails after its first bytes: never a cut file that looks complete', async () => {
    // The fifth batch's 身份证号 lookup fails, as a lost database would.
    const em = (t.app.get(CertificateRegisters) as unknown as { em: EntityManager }).em;
    const find = em.find.bind(em);
    let teacherLookups = 0;
    const spy = jest.spyOn(em, 'find').mockImplementation(((entity: unknown, options: unknown) => {
      if (entity === Teacher && ++teacherLookups === 5) return Promise.reject(new Error('connection lost'));
      return find(entity as never, options as never);
    }) as never);
    try {
      const res = await get(`/api/v1/programs/${seed.programId}/certificates.xlsx`);
      // Four batches were written before the failure, so the headers and the first bytes have left:
      // the body must break off (a cut chunked body is an error to the client).
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
      expect(teacherLookups).toBe(5);
    } finally {
      spy.mockRestore();
    }
    // The next export is whole again.
    const rows = await sheet(`/api/v1/programs/${seed.programId}/credit-hours.xlsx`);
    expect(rows.length).toBeGreaterThan(4 * REGISTER_BATCH);
  });
});
