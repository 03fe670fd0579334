import * as ExcelJS from 'exceljs';
import { buildWorkbook, contentDisposition, safeCellText } from './xlsx';

describe('register spreadsheets', () => {
  it('never lets a cell start like a formula', () => {
    for (const v of ['=1+1', '+86', '-5', '@SUM(A1)', '\t=x', '\r=x']) expect(safeCellText(v)).toBe(`'${v}`);
    expect(safeCellText('371302********1234')).toBe('371302********1234');
    expect(safeCellText('张三')).toBe('张三');
    expect(safeCellText(null)).toBe('');
  });

  it('writes text columns as text cells and numbers as numbers', async () => {
    const body = await buildWorkbook({
      name: '学分登记',
      title: 't',
      date: new Date(Date.UTC(2019, 6, 15)),
      columns: [
        { header: '身份证号', width: 20, kind: 'text' },
        { header: '学时', width: 8, kind: 'number' },
      ],
      rows: [
        ['371302********1234', 48],
        ['=cmd', 24.5],
      ],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as never);
    const ws = wb.getWorksheet('学分登记')!;
    expect(ws.getCell('A2').value).toBe('371302********1234');
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(ws.getCell('B2').value).toBe(48);
    expect(ws.getCell('A3').value).toBe("'=cmd");
    expect(ws.getCell('B3').value).toBe(24.5);
  });

  it('sends Chinese file names in RFC 5987 form with an ASCII fallback', () => {
    expect(contentDisposition('证书-"x".pdf', 'inline')).toBe(
      `inline; filename="__-_x_.pdf"; filename*=UTF-8''${encodeURIComponent('证书-"x".pdf')}`,
    );
  });
});
