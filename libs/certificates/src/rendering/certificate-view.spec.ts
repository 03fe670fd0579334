import { CertificateViewError } from './certificate-rendering.errors';
import {
  assertCertificateView,
  CertificateView,
  containsResidentIdNumber,
  singleLine,
  toTemplateContext,
} from './certificate-view';

const view: CertificateView = {
  holderName: '张三',
  schoolName: '临沂第一中学',
  programTitle: '骨干教师培训',
  startDate: '2019-07-01',
  endDate: '2019-07-10',
  creditHours: 24,
  number: 'LYGG2019-0001',
  issuer: '临沂市教育局',
  issueDate: '2019-07-15',
  verifyUrl: 'https://shipei.example.cn/v/abc',
};

describe('assertCertificateView', () => {
  it('accepts a complete view', () => {
    expect(() => assertCertificateView(view)).not.toThrow();
  });

  it.each<[string, Partial<CertificateView>]>([
    ['holderName', { holderName: '  ' }],
    ['startDate', { startDate: '2019-02-30' }],
    ['endDate', { endDate: '2019-06-30' }],
    ['issueDate', { issueDate: '2019/07/15' }],
    ['creditHours', { creditHours: Number.NaN }],
    ['creditHours', { creditHours: -1 }],
    ['verifyUrl', { verifyUrl: 'javascript:alert(1)' }],
    ['extra.nested', { extra: { nested: {} as unknown as string } }],
  ])('rejects a bad %s', (field, patch) => {
    expect(() => assertCertificateView({ ...view, ...patch }, 7)).toThrow(
      expect.objectContaining({
        code: 'CERTIFICATE_DATA_INVALID',
        details: expect.objectContaining({ field, index: 7 }),
      }),
    );
  });

  it('refuses a full resident ID number anywhere, extra included', () => {
    expect(() => assertCertificateView({ ...view, extra: { note: '身份证 11010519491231002X' } })).toThrow(
      CertificateViewError,
    );
    expect(() => assertCertificateView({ ...view, holderName: '张三 11010519491231002x' })).toThrow(/身份证号/);
  });
});

describe('containsResidentIdNumber', () => {
  it('matches only 18-character numbers with a valid check character', () => {
    expect(containsResidentIdNumber('11010519491231002X')).toBe(true);
    expect(containsResidentIdNumber('370302198001011238')).toBe(true);
    expect(containsResidentIdNumber('370302198001011234')).toBe(false); // wrong check digit
    expect(containsResidentIdNumber('3703021980010112381')).toBe(false); // 19 digits
    expect(containsResidentIdNumber('3703**********1238')).toBe(false); // masked
    expect(containsResidentIdNumber('LYGG2019-0001')).toBe(false);
  });
});

describe('toTemplateContext', () => {
  it('folds every value onto one line so data cannot add layout instructions', () => {
    const ctx = toTemplateContext({
      ...view,
      holderName: '张三\nsign|伪造',
      extra: { hostSchool: 'a\r\nb', skipped: null, n: 3 },
    });
    expect(ctx.holderName).toBe('张三 sign|伪造');
    expect(ctx.extra).toEqual({ hostSchool: 'a b', n: 3 });
  });

  it('singleLine removes control characters and trims', () => {
    expect(singleLine('\t a\u0000b\u2028c  ')).toBe('a b c');
  });
});
