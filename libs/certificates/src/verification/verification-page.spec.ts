import { CertificateVerificationDto } from '../dto/certificate.dto';
import { renderVerificationNotFoundPage, renderVerificationPage } from './verification-page';

const valid: CertificateVerificationDto = {
  number: 'LYGG2019-0001',
  status: 'VALID',
  statusLabel: '有效',
  kindLabel: '培训结业证书',
  holderName: '欧阳明远',
  programTitle: '2019年临沂市骨干教师培训',
  creditHours: 36.5,
  startDate: '2019-07-01',
  endDate: '2019-07-10',
  issuer: '临沂市教育局',
  issueDate: '2019-07-15',
};

describe('verification page', () => {
  it('shows the status and the printed facts in Chinese', () => {
    const html = renderVerificationPage(valid, '临沂市教师培训与人才支持管理平台');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('data-status="VALID">有效</div>');
    expect(html).toContain('<dt>学时</dt><dd>36.5 学时</dd>');
    expect(html).toContain('2019年7月1日至2019年7月10日');
    expect(html).toContain('真实有效');
  });

  it('says clearly when a certificate is revoked', () => {
    const html = renderVerificationPage({ ...valid, status: 'REVOKED', statusLabel: '已撤销' }, '平台');
    expect(html).toContain('data-status="REVOKED">已撤销</div>');
    expect(html).toContain('该证书已被撤销，不再有效。');
    expect(html).not.toContain('真实有效');
  });

  it('escapes every value', () => {
    const html = renderVerificationPage({ ...valid, holderName: '<script>alert(1)</script>', programTitle: '"a" & \'b\'' }, '<b>平台</b>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;a&quot; &amp; &#39;b&#39;');
    expect(html).toContain('&lt;b&gt;平台&lt;/b&gt;');
  });

  it('has a not-found page', () => {
    expect(renderVerificationNotFoundPage('平台')).toContain('未找到该证书');
  });
});
