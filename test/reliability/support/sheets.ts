/** .xlsx files for imports, built with exceljs (streaming writer, so 10,000 rows stay cheap). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { makeIdNumber, makePhone } from '../../support/fixtures';

export interface TeacherRow {
  name: string;
  idNumber: string;
  phone: string;
  school: string;
  subject?: string;
}

/** `count` teachers from `serialBase`, spread over `schools` (school names as the 学校 column). */
export function teacherRows(count: number, serialBase: number, schools: string[]): TeacherRow[] {
  const given = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const names = '秀英桂英志强建华海燕文静明辉晓红国庆丽娟';
  return Array.from({ length: count }, (_, i) => ({
    name: `${given[i % given.length]}${names[(i * 7) % names.length]}${names[(i * 13 + 1) % names.length]}`,
    idNumber: makeIdNumber(serialBase + i),
    phone: makePhone(serialBase + i),
    school: schools[i % schools.length],
    subject: ['语文', '数学', '英语', '物理'][i % 4],
  }));
}

async function build(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'shipei-sheet-'));
  const file = join(dir, 'sheet.xlsx');
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet('名单');
    fill(ws as unknown as ExcelJS.Worksheet);
    (ws as unknown as { commit(): void }).commit();
    await wb.commit();
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The teacher import sheet: header 姓名/身份证号/手机号/学校/学科, ID and phone as text cells. */
export function teacherSheet(rows: TeacherRow[]): Promise<Buffer> {
  return build((ws) => {
    const header = ws.getRow(1);
    header.values = ['姓名', '身份证号', '手机号', '学校', '学科'];
    header.commit();
    rows.forEach((r, i) => {
      const row = ws.getRow(i + 2);
      row.values = [r.name, r.idNumber, r.phone, r.school, r.subject ?? ''];
      row.getCell(2).numFmt = '@';
      row.getCell(3).numFmt = '@';
      row.commit();
    });
  });
}

/** The bulk nomination sheet: one 身份证号 per row. */
export function nominationSheet(idNumbers: string[]): Promise<Buffer> {
  return build((ws) => {
    const header = ws.getRow(1);
    header.values = ['身份证号'];
    header.commit();
    idNumbers.forEach((id, i) => {
      const row = ws.getRow(i + 2);
      row.values = [id];
      row.getCell(1).numFmt = '@';
      row.commit();
    });
  });
}
