/**
 * Large, realistic input (issue 9 §1): a 10,000-row teacher sheet written in Chinese must arrive byte
 * for byte. exceljs 4.4's streaming reader (used by POST /api/v1/teachers/import) decodes every
 * decompressed chunk on its own (lib/utils/parse-sax.js: `textDecoder.decode(chunk)` without
 * `{stream: true}`), so a character split across two chunks became U+FFFD: a school name no longer
 * matched (the whole import was refused: rows 4311/4740/9674) or, in the 姓名 column, a garbled name
 * was stored. Every import now reads through libs/core's walkSheet, which decodes across chunks.
 */
import { adminToken, countyIdByCode } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { teacherRows, teacherSheet } from './support/sheets';

jest.setTimeout(300_000);

describe('a 10,000-row teacher sheet in Chinese', () => {
  let t: TestApp;
  let admin: string;
  let countyId: number;
  const schools = Array.from(
    { length: 20 },
    (_, i) => `沂蒙山区第${'一二三四五六七八九十'[i % 10]}${i < 10 ? '' : '分'}校实验小学`,
  );

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    countyId = await countyIdByCode(t.db, '371302');
    for (const name of schools) {
      await t.http
        .post('/api/v1/organisations')
        .auth(admin, { type: 'bearer' })
        .send({ type: 'SCHOOL', name, parentId: countyId, povertyVillage: true, receivingSchool: false })
        .expect(201);
    }
  });

  afterAll(async () => t?.close());

  it('imports every row with its names unchanged (no U+FFFD from a chunk boundary)', async () => {
    const rows = teacherRows(10_000, 4_100_000, schools);
    const res = await t.http
      .post(`/api/v1/teachers/import?countyId=${countyId}`)
      .auth(admin, { type: 'bearer' })
      .attach('file', await teacherSheet(rows), '教师名单.xlsx');
    const garbled = (res.body.errors ?? []).filter((e: { message: string }) => e.message.includes('\ufffd'));
    expect(garbled).toEqual([]);
    expect([res.status, res.body]).toEqual([200, { created: 10_000, updated: 0 }]);
    const stored: { idNumber: string; name: string }[] = await t.db.query(`SELECT idNumber, name FROM teacher`);
    const byId = new Map(stored.map((s) => [s.idNumber, s.name]));
    expect(rows.filter((r) => byId.get(r.idNumber) !== r.name).map((r) => [r.name, byId.get(r.idNumber)])).toEqual([]);
  });
});
