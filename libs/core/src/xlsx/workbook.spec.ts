import * as ExcelJS from 'exceljs';
import { addTableSheet, contentDisposition, newWorkbook, safeCellText, workbookBuffer } from './workbook';

describe('workbook helpers', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+86', '-2', '@SUM(A1)', '\tx', '\r=x'].map(safeCellText)).toEqual([
      "'=1+1",
      "'+86",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      "'\r=x",
    ]);
    expect(safeCellText('张三')).toBe('张三');
    expect(safeCellText(null)).toBe('');
  });

  it('sends Chinese file names in RFC 5987 form with an ASCII fallback', () => {
    expect(contentDisposition('证书-"x".pdf', 'inline')).toBe(
      `inline; filename="__-_x_.pdf"; filename*=UTF-8''${encodeURIComponent('证书-"x".pdf')}`,
    );
    expect(contentDisposition('教师名单.xlsx', 'attachment', 'teachers.xlsx')).toBe(
      `attachment; filename="teachers.xlsx"; filename*=UTF-8''${encodeURIComponent('教师名单.xlsx')}`,
    );
  });

  it('writes a title, a frozen header, text columns as text and numbers as numbers, with fixed dates', async () => {
    const date = new Date(Date.UTC(2019, 6, 15));
    const wb = newWorkbook(date, '登记册');
    addTableSheet(
      wb,
      '学分',
      [
        { header: '身份证号', width: 20, kind: 'text' },
        { header: '学时', width: 8, kind: 'number' },
        { header: '备注', width: 10 },
      ],
      [
        ['371302********1234', '48', 3],
        [12, 24.5, '=cmd'],
      ],
      { title: '学分登记表' },
    );
    const body = await workbookBuffer(wb);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(body as never);
    const ws = read.getWorksheet('学分')!;
    expect(read.created).toEqual(date);
    expect(ws.getCell('A1').value).toBe('学分登记表');
    expect(ws.getRow(2).values).toEqual([undefined, '身份证号', '学时', '备注']);
    expect([ws.getCell('A3').value, ws.getCell('A3').numFmt, ws.getCell('B3').value, ws.getCell('C3').value]).toEqual([
      '371302********1234',
      '@',
      48,
      3,
    ]);
    expect([ws.getCell('A4').value, ws.getCell('B4').value, ws.getCell('C4').value]).toEqual(['12', 24.5, "'=cmd"]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  });
});
