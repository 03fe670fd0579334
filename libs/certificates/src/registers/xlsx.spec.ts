import { contentDisposition, safeCellText } from './xlsx';

describe('register spreadsheets', () => {
  it('never lets a cell start like a formula', () => {
    for (const v of ['=1+1', '+86', '-5', '@SUM(A1)', '\t=x', '\r=x']) expect(safeCellText(v)).toBe(`'${v}`);
    expect(safeCellText('371302********1234')).toBe('371302********1234');
    expect(safeCellText('张三')).toBe('张三');
    expect(safeCellText(null)).toBe('');
  });

  it('sends Chinese file names in RFC 5987 form with an ASCII fallback', () => {
    expect(contentDisposition('证书-"x".pdf', 'inline')).toBe(
      `inline; filename="__-_x_.pdf"; filename*=UTF-8''${encodeURIComponent('证书-"x".pdf')}`,
    );
  });
});
