import { layoutTitle, parseCertificateLayout } from './certificate-layout';
import { CertificateTemplateError } from './certificate-rendering.errors';

describe('parseCertificateLayout', () => {
  it('splits flow lines from the meta and signature blocks, keeping order', () => {
    const layout = parseCertificateLayout(
      [
        '# a comment',
        'title|培训结业证书',
        '',
        'space|12',
        '  lead|张三 同志：  ',
        'meta|证书编号：X',
        'body|a|b',
        'sign|临沂市教育局',
      ].join('\n'),
    );
    expect(layout.flow).toEqual([
      { kind: 'title', text: '培训结业证书' },
      { kind: 'space', text: '12' },
      { kind: 'lead', text: '张三 同志：' },
      { kind: 'body', text: 'a|b' },
    ]);
    expect(layout.meta).toEqual(['证书编号：X']);
    expect(layout.sign).toEqual(['临沂市教育局']);
    expect(layoutTitle(layout)).toBe('培训结业证书');
  });

  it('keeps markup literally', () => {
    expect(parseCertificateLayout('lead|<b>张三</b> & 李四').flow[0].text).toBe('<b>张三</b> & 李四');
  });

  it.each([
    ['an unknown kind', 'heading|x'],
    ['a line without a kind', 'just text'],
    ['a bad space', 'body|x\nspace|lots'],
    ['a negative space', 'body|x\nspace|-3'],
    ['two titles', 'title|a\ntitle|b'],
    ['too many meta lines', 'body|x\n' + 'meta|m\n'.repeat(5)],
    ['no visible flow', 'space|10\nmeta|only meta'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseCertificateLayout(text)).toThrow(CertificateTemplateError);
  });

  it('names the offending line', () => {
    expect(() => parseCertificateLayout('title|ok\n\nwrong|x')).toThrow(/第 3 行/);
  });
});
