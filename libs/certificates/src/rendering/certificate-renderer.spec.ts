import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { CertificateRenderer } from './certificate-renderer';
import {
  CertificateTemplateError,
  CertificateViewError,
  EmptyCertificateBatchError,
} from './certificate-rendering.errors';
import { CertificateView } from './certificate-view';

// These tests read the PDFs back with poppler-utils (pdftotext, pdffonts, pdftoppm). They are not
// skipped when poppler is missing: a missing tool fails the suite with the message below.

const view: CertificateView = {
  holderName: '欧阳明远',
  schoolName: '临沂第一中学',
  programTitle: '2019年临沂市中小学骨干教师能力提升培训',
  startDate: '2019-07-01',
  endDate: '2019-07-10',
  creditHours: 36.5,
  number: 'LYGG2019-0001',
  issuer: '临沂市教育局',
  issueDate: '2019-07-15',
  verifyUrl: 'https://shipei.example.cn/v/8kq3Zp2xT9mW4rB7',
};

describe('CertificateRenderer', () => {
  const renderer = new CertificateRenderer();
  let dir: string;

  beforeAll(async () => {
    for (const tool of ['pdftotext', 'pdffonts', 'pdftoppm']) {
      try {
        execFileSync(tool, ['-v'], { stdio: 'pipe' });
      } catch (err) {
        throw new Error(
          `${tool} is required by these tests (apt-get install poppler-utils): ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'certificates-'));
    await renderer.warmUp();
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function save(pdf: Buffer, name: string): string {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    return file;
  }

  /** pdftotext output with all whitespace removed (CJK lines wrap anywhere; the title is letter-spaced). */
  function textOf(file: string): string {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  }

  function pageCount(file: string): number {
    return (execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).match(/\f/g) ?? []).length;
  }

  it('prints name, program, number, hours and issuer as extractable text', async () => {
    const file = save(await renderer.renderOne(view), 'one');
    const text = textOf(file);
    expect(text).toContain('培训结业证书');
    expect(text).toContain('欧阳明远');
    expect(text).toContain('2019年临沂市中小学骨干教师能力提升培训');
    expect(text).toContain('LYGG2019-0001');
    expect(text).toContain('36.5学时');
    expect(text).toContain('临沂第一中学');
    expect(text).toContain('临沂市教育局');
    expect(text).toContain('2019年7月15日');
    expect(text).toContain('扫码验证');
    expect(pageCount(file)).toBe(1);
  });

  it('embeds Noto Serif SC as subsets and no other font', async () => {
    const file = save(await renderer.renderOne(view), 'fonts');
    const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // name type(2 words) encoding emb sub uni object generation
      const [name, , , , emb, sub] = row.trim().split(/\s+/);
      expect(name).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)$/);
      expect([emb, sub]).toEqual(['yes', 'yes']);
    }
  });

  it('draws a QR code in the bottom-right corner that decodes to the verification URL', async () => {
    const file = save(await renderer.renderOne(view), 'qr');
    const prefix = join(dir, 'qr');
    // A4 landscape at 150 dpi is 1754 × 1241 px; render only its bottom-right quarter, which must
    // hold the whole code (pngjs is slow on a full page under jest).
    execFileSync('pdftoppm', [
      '-r',
      '150',
      '-png',
      '-gray',
      '-x',
      '877',
      '-y',
      '620',
      '-W',
      '877',
      '-H',
      '621',
      '-singlefile',
      file,
      prefix,
    ]);
    const png = PNG.sync.read(readFileSync(`${prefix}.png`));
    expect([png.width, png.height]).toEqual([877, 621]);
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' });
    expect(code?.data).toBe(view.verifyUrl);
  });

  it('prints markup in a name literally', async () => {
    const file = save(await renderer.renderOne({ ...view, holderName: '<b>x</b>张' }), 'html');
    expect(textOf(file)).toContain('<b>x</b>张同志');
  });

  it('puts a batch into one PDF, a page per certificate', async () => {
    const batch = [1, 2, 3].map((i) => ({ ...view, holderName: `学员${i}号`, number: `LYGG2019-000${i}` }));
    const file = save(await renderer.renderToBuffer(batch), 'batch');
    expect(pageCount(file)).toBe(3);
    const text = textOf(file);
    for (const i of [1, 2, 3]) expect(text).toContain(`学员${i}号`);
  });

  it('draws the service certificate from its template', async () => {
    const pdf = await renderer.renderOne(
      { ...view, extra: { hostSchool: '平邑县地方镇中心小学', assessment: '优秀' } },
      { template: 'service' },
    );
    const text = textOf(save(pdf, 'service'));
    expect(text).toContain('支教证明');
    expect(text).toContain('考核等次为“优秀”');
  });

  it('accepts a program template and rejects a broken one', async () => {
    const source = 'title|{{programTitle}} 证书\nbody|{{holderName}}（{{extra.level}}）';
    const pdf = await renderer.renderOne({ ...view, extra: { level: '一级教师' } }, { template: { source } });
    expect(textOf(save(pdf, 'custom'))).toContain('欧阳明远（一级教师）');

    await expect(renderer.renderOne(view, { template: { source: 'title|{{#each}}' } })).rejects.toThrow(
      CertificateTemplateError,
    );
    expect(() => renderer.validateTemplate('body|{{holderName}')).toThrow(CertificateTemplateError);
    expect(() => renderer.validateTemplate('free text, not a layout')).toThrow(/证书模板有误/);
  });

  it('gives the same bytes for the same input', async () => {
    const a = await renderer.renderOne(view);
    const b = await new CertificateRenderer().renderOne(view);
    expect(a.equals(b)).toBe(true);
  });

  it('renders documents concurrently with the shared parsed fonts', async () => {
    const a = [
      { ...view, holderName: '甲乙丙' },
      { ...view, holderName: '丁戊己' },
    ];
    const b = [{ ...view, holderName: '庚辛壬癸' }];
    const [pa, pb] = await Promise.all([renderer.renderToBuffer(a), renderer.renderToBuffer(b)]);
    expect(pa.equals(await renderer.renderToBuffer(a))).toBe(true);
    expect(pb.equals(await renderer.renderToBuffer(b))).toBe(true);
  });

  it('shrinks an overlong text to fit one page', async () => {
    const long = {
      ...view,
      programTitle: '很长的培训项目名称'.repeat(22),
      holderName: '名'.repeat(60),
      issuer: '临沂市兰山区教育和体育局'.repeat(3),
    };
    expect(pageCount(save(await renderer.renderOne(long), 'long'))).toBe(1);
    // Even a template that writes far too much stays on its page (cut off, not spilled onto another).
    const source = 'title|{{programTitle}}\n' + 'body|{{programTitle}}\n'.repeat(30) + 'sign|{{issuer}}';
    expect(pageCount(save(await renderer.renderOne(long, { template: { source } }), 'overflow'))).toBe(1);
  });

  it('checks a whole array before writing anything', async () => {
    const written: Buffer[] = [];
    const out = new Writable({ write: (chunk: Buffer, _e, done) => (written.push(chunk), done()) });
    await expect(renderer.renderToStream([view, { ...view, endDate: '2019-06-01' }], out)).rejects.toThrow(
      CertificateViewError,
    );
    await expect(renderer.renderToStream([], out)).rejects.toThrow(EmptyCertificateBatchError);
    expect(written).toHaveLength(0);
    expect(out.destroyed).toBe(false);
  });

  it('streams pages as they are drawn and honours backpressure', async () => {
    let received = 0;
    const seenBeforeItem: number[] = [];
    async function* cohort() {
      for (let i = 0; i < 6; i++) {
        seenBeforeItem.push(received);
        yield { ...view, number: `LYGG2019-${String(i + 1).padStart(4, '0')}` };
      }
    }
    const chunks: Buffer[] = [];
    // A slow sink with a tiny buffer, so the renderer has to wait for it.
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _e, done) {
        received += chunk.length;
        chunks.push(chunk);
        setTimeout(done, 1);
      },
    });
    const summary = await renderer.renderToStream(cohort(), out);
    expect(summary.pages).toBe(6);
    expect(summary.bytes).toBe(received);
    // Page 1 had reached the sink before the 3rd certificate was even asked for.
    expect(seenBeforeItem[2]).toBeGreaterThan(1000);
    expect(seenBeforeItem[5]).toBeGreaterThan(seenBeforeItem[2]);
    expect(out.writableFinished).toBe(true);
    expect(pageCount(save(Buffer.concat(chunks), 'stream'))).toBe(6);
  });
});
