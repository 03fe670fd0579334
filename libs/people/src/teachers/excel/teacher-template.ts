import * as ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from './teacher-columns';

/** Rows of the template that get the drop-down lists (the office rarely imports more at once). */
const DROPDOWN_ROWS = 5000;
export const TEMPLATE_HEADER_ROW = 3;

/**
 * The import template: sheet 「教师信息」 with a title, a one-line note and the header on row 3
 * (身份证号/手机号/教师资格证号 columns formatted as text, drop-downs for the coded columns), and
 * sheet 「填写说明」 describing every column. Built once; the same bytes every time.
 */
export async function buildTeacherTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.created = new Date(Date.UTC(2025, 0, 1));
  wb.modified = wb.created;
  const last = IMPORT_COLUMNS.length;

  const ws = wb.addWorksheet('教师信息', { views: [{ state: 'frozen', ySplit: TEMPLATE_HEADER_ROW }] });
  IMPORT_COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.text) col.numFmt = '@';
  });
  ws.mergeCells(1, 1, 1, last);
  ws.getCell(1, 1).value = '教师信息导入表';
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, last);
  ws.getCell(2, 1).value =
    '说明：姓名、身份证号、手机号、学校为必填；身份证号、手机号请按文本填写（勿改为数字格式）；请勿修改第 3 行表头；同一身份证号再次导入时更新该教师信息。详见「填写说明」工作表。';
  ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
  ws.getCell(2, 1).font = { color: { argb: 'FFC00000' } };
  ws.getRow(2).height = 36;

  const header = ws.getRow(TEMPLATE_HEADER_ROW);
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.label;
    cell.font = { bold: true, color: c.required ? { argb: 'FFC00000' } : undefined };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { horizontal: 'center' };
  });

  // One range per coded column (exceljs's typings lack `dataValidations`, its runtime has it).
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } })
    .dataValidations;
  IMPORT_COLUMNS.forEach((c, i) => {
    if (!c.values) return;
    const col = ws.getColumn(i + 1).letter;
    validations.add(`${col}${TEMPLATE_HEADER_ROW + 1}:${col}${TEMPLATE_HEADER_ROW + DROPDOWN_ROWS}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${c.values.join(',')}"`],
      showErrorMessage: true,
      errorTitle: '输入有误',
      error: `请从下拉列表中选择：${c.values.join('/')}`,
    });
  });

  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 16 }, { width: 10 }, { width: 70 }];
  help.addRow(['列名', '是否必填', '填写要求']).font = { bold: true };
  for (const c of IMPORT_COLUMNS) help.addRow([c.label, c.required ? '必填' : '选填', c.hint]);
  help.addRow([]);
  for (const note of [
    '1. 表头可以在第 1–20 行中的任意一行，表头上方可以有标题行（含合并单元格）。',
    '2. 每次导入一个县区的教师；学校须为本县区已登记的学校。',
    '3. 全部行校验通过才会导入；任何一行有误都不会导入，并列出所有出错的行号、列名和原因。',
    '4. 身份证号已在本县区登记的教师会被更新（选填列留空表示保留原值），否则新建教师。',
    '5. 身份证号如被保存为数字，超过 15 位的部分会丢失，导入时会报错，请将该列设为文本格式。',
  ])
    help.addRow([note]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
