import { formatCertificateNumber, newVerificationCode, VERIFICATION_CODE_PATTERN } from './certificate-numbers';
import { issuerName } from './certificate-issuer.service';

describe('certificate numbers and codes', () => {
  it('formats prefix + year + a sequence of at least four digits', () => {
    expect(formatCertificateNumber('LYGG', 2019, 1)).toBe('LYGG2019-0001');
    expect(formatCertificateNumber('LYGG', 2019, 400)).toBe('LYGG2019-0400');
    expect(formatCertificateNumber('LS', 2020, 12345)).toBe('LS2020-12345');
  });

  it('makes 128-bit base64url verification codes that match the accepted pattern', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newVerificationCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) {
      expect(code).toMatch(VERIFICATION_CODE_PATTERN);
      expect(Buffer.from(code, 'base64url')).toHaveLength(16);
    }
    expect(VERIFICATION_CODE_PATTERN.test("' OR 1=1 --------------")).toBe(false);
    expect(VERIFICATION_CODE_PATTERN.test('short')).toBe(false);
  });

  it('names the issuing authority: the city bureau as is, a county unit as its bureau', () => {
    expect(issuerName({ type: 'CITY', name: '临沂市教育局' })).toBe('临沂市教育局');
    expect(issuerName({ type: 'COUNTY', name: '兰山区' })).toBe('兰山区教育和体育局');
    expect(issuerName({ type: 'COUNTY', name: '费县教育和体育局' })).toBe('费县教育和体育局');
  });
});
