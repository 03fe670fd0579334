import * as ExcelJS from 'exceljs';
import { CREDIT_COLUMNS } from './external-credit-sheet';

export const CREDIT_TEMPLATE_HEADER_ROW = 3;

/**
 * The external-credit import template: sheet 「校外学时」 with a title, a note and the header on
 * row 3 (身份证号/证书编号 as text columns, 培训日期 as a date column), and sheet 「填写说明」.
 */
export async function buildCreditTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.created = new Date(Date.UTC(2025, 0, 1));
  wb.modified = wb.created;
  const last = CREDIT_COLUMNS.length;
  const ws = wb.addWorksheet('校外学时', { views: [{ state: 'frozen', ySplit: CREDIT_TEMPLATE_HEADER_ROW }] });
  CREDIT_COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.text) col.numFmt = '@';
    if (c.key === 'date') col.numFmt = 'yyyy-mm-dd';
  });
  ws.mergeCells(1, 1, 1, last);
  ws.getCell(1, 1).value = '校外培训学时导入表';
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, last);
  ws.getCell(2, 1).value =
    '说明：身份证号、培训项目名称、主办单位、学时、培训日期为必填；身份证号请按文本填写；同一教师的同一证书编号（无证书编号时为同一项目名称和日期）再次导入时更新原记录，不会重复计入。详见「填写说明」工作表。';
  ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
  ws.getCell(2, 1).font = { color: { argb: 'FFC00000' } };
  ws.getRow(2).height = 36;
  const header = ws.getRow(CREDIT_TEMPLATE_HEADER_ROW);
  CREDIT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.label;
    cell.font = { bold: true, color: c.required ? { argb: 'FFC00000' } : undefined };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { horizontal: 'center' };
  });

  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 16 }, { width: 10 }, { width: 80 }];
  help.addRow(['列名', '是否必填', '填写要求']).font = { bold: true };
  for (const c of CREDIT_COLUMNS) help.addRow([c.label, c.required ? '必填' : '选填', c.hint]);
  help.addRow([]);
  for (const note of [
    '1. 用于登记在本系统之外参加培训获得的学时（学分），导入后在教师培训档案中标记为「校外」。',
    '2. 县区只能导入本县区教师的学时；市级可导入全市教师的学时。',
    '3. 全部行校验通过才会导入；任何一行有误都不会导入，并列出所有出错的行号、列名和原因。',
    '4. 表头可以在第 1–20 行中的任意一行，表头上方可以有标题行。',
  ])
    help.addRow([note]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
