import { CertificateTemplateError } from './certificate-rendering.errors';
import { CertificateTemplates, formatChineseDate, formatHours, formatTraining } from './certificate-templates';
import { CertificateView } from './certificate-view';

const view: CertificateView = {
  holderName: '<b>张三</b>',
  schoolName: '临沂第一中学',
  programTitle: '2019年临沂市骨干教师培训',
  startDate: '2019-07-01',
  endDate: '2019-07-10',
  creditHours: 24.5,
  number: 'LYGG2019-0001',
  issuer: '临沂市教育局',
  issueDate: '2019-07-15',
  verifyUrl: 'https://shipei.example.cn/v/abc',
};

describe('CertificateTemplates', () => {
  const templates = new CertificateTemplates();

  it('renders the default template with literal (unescaped) values', () => {
    const layout = templates.builtin('default').render(view);
    expect(layout.flow[0]).toEqual({ kind: 'title', text: '培训结业证书' });
    const text = layout.flow.map((l) => l.text).join('\n');
    expect(text).toContain('<b>张三</b> 同志：');
    expect(text).toContain('2019年7月1日至2019年7月10日');
    expect(text).toContain('24.5 学时');
    expect(layout.meta).toEqual(['证书编号：LYGG2019-0001', '工作单位：临沂第一中学']);
    expect(layout.sign).toEqual(['临沂市教育局', '2019年7月15日']);
  });

  it('lets the view override the title', () => {
    expect(templates.builtin('default').render({ ...view, kind: '结业证书' }).flow[0].text).toBe('结业证书');
  });

  it('renders the service template (支教证明) with its extras', () => {
    const layout = templates
      .builtin('service')
      .render({ ...view, creditHours: 0, extra: { hostSchool: '平邑县地方镇中心小学', assessment: '优秀' } });
    expect(layout.flow[0].text).toBe('支教证明');
    const body = layout.flow.map((l) => l.text).join('');
    expect(body).toContain('在平邑县地方镇中心小学支教服务期满，考核等次为“优秀”。');
    expect(body).not.toContain('学时');
    expect(layout.meta).toEqual(['证明编号：LYGG2019-0001']);
  });

  it('compiles each template once', () => {
    expect(templates.builtin('default')).toBe(templates.builtin('default'));
    const source = 'title|{{programTitle}}\nbody|{{holderName}}';
    expect(templates.compile(source)).toBe(templates.resolve({ source }));
  });

  it.each([
    ['a syntax error', 'title|{{#if kind}}x'],
    ['an unknown helper', 'body|{{shout holderName}}'],
    ['an unknown partial', 'body|{{> footer}}'],
    ['output that is not a layout', '<h1>{{holderName}}</h1>'],
    ['an empty template', '   '],
  ])('rejects %s with a clear error', (_name, source) => {
    expect(() => templates.compile(source)).toThrow(CertificateTemplateError);
    expect(() => templates.compile(source)).toThrow(/^证书模板有误：/);
  });

  it('cannot be hijacked by a value containing a line break', () => {
    const layout = templates.compile('body|{{holderName}}').render({ ...view, holderName: '张三\nsign|伪造' });
    expect(layout.sign).toEqual([]);
    expect(layout.flow).toEqual([{ kind: 'body', text: '张三 sign|伪造' }]);
  });
});

describe('helpers', () => {
  it('formats dates and hours', () => {
    expect(formatChineseDate('2019-07-01')).toBe('2019年7月1日');
    expect(formatChineseDate('soon')).toBe('soon');
    expect(formatHours(24)).toBe('24');
    expect(formatHours(2 / 3)).toBe('0.67');
  });

  it('names the training once: 参加“…骨干教师培训”, not “…培训”培训', () => {
    expect(formatTraining('2019年全市贫困村学校骨干教师暑期培训')).toBe('“2019年全市贫困村学校骨干教师暑期培训”');
    expect(formatTraining('信息技术应用能力提升研修班')).toBe('“信息技术应用能力提升研修班”');
    expect(formatTraining('2019年临沂市骨干教师')).toBe('“2019年临沂市骨干教师”培训');
    const layout = new CertificateTemplates()
      .builtin('default')
      .render({ ...view, programTitle: '2019年临沂市骨干教师培训' });
    const body = layout.flow.map((l) => l.text).join('');
    expect(body).toContain('参加“2019年临沂市骨干教师培训”，完成');
    expect(body).not.toContain('培训”培训');
  });
});
