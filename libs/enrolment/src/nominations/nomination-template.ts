import * as ExcelJS from 'exceljs';

/** The bulk-nomination template: a title row, then the header; 身份证号 as text. */
export async function nominationTemplate(): Promise<{ filename: string; body: Buffer }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('推荐名单');
  ws.mergeCells(1, 1, 1, 3);
  ws.getCell(1, 1).value = '推荐名单（以身份证号识别教师；没有身份证号的行可填手机号）';
  ws.getCell(1, 1).font = { bold: true };
  ws.addRow(['身份证号', '手机号', '姓名（仅供核对）']).font = { bold: true };
  ws.getColumn(1).numFmt = '@';
  ws.getColumn(2).numFmt = '@';
  ws.getColumn(1).width = 22;
  ws.getColumn(2).width = 14;
  ws.getColumn(3).width = 16;
  return { filename: '批量推荐模板.xlsx', body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
