import { Writable } from 'node:stream';
import { CertificateRenderer } from './certificate-renderer';
import { CertificateView } from './certificate-view';

/**
 * Micro-benchmark of certificate rendering, for bench/: `renderBatch(400)` draws 400 certificates
 * into one PDF and discards the bytes. Fonts and templates are loaded before the clock starts
 * (a warm server); call it once first to warm the JIT as well.
 */
export interface RenderBatchResult {
  /** Wall time of the render, fonts already loaded. */
  ms: number;
  bytes: number;
  pages: number;
}

let renderer: CertificateRenderer | undefined;

export async function renderBatch(n: number): Promise<RenderBatchResult> {
  renderer ??= new CertificateRenderer();
  await renderer.warmUp();
  const views = benchCertificates(n);
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  const start = process.hrtime.bigint();
  const { pages, bytes } = await renderer.renderToStream(views, sink);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms: Math.round(ms * 10) / 10, bytes, pages };
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鹏飞建国志强海燕雪晨宇轩子涵欣怡浩然思远嘉琪';
const SCHOOLS = [
  '临沂第一中学',
  '兰山区第一实验小学',
  '罗庄区册山街道中心小学',
  '沂水县第三中学',
  '费县实验中学',
  '平邑县地方镇中心幼儿园',
];

/** n distinct, deterministic certificates of one cohort (names vary, so the font subset grows). */
export function benchCertificates(n: number): CertificateView[] {
  return Array.from({ length: n }, (_, i) => ({
    holderName:
      SURNAMES[i % SURNAMES.length] +
      GIVEN[(i * 7) % GIVEN.length] +
      (i % 3 === 0 ? '' : GIVEN[(i * 13 + 5) % GIVEN.length]),
    schoolName: SCHOOLS[i % SCHOOLS.length],
    programTitle: '2019年临沂市中小学骨干教师能力提升培训',
    startDate: '2019-07-01',
    endDate: '2019-07-10',
    creditHours: 24,
    number: `LYGG2019-${String(i + 1).padStart(4, '0')}`,
    issuer: '临沂市教育局',
    issueDate: '2019-07-15',
    verifyUrl: `https://shipei.example.cn/v/${((i * 2654435761) >>> 0).toString(36).padStart(8, '0')}Qx7Lm2`,
  }));
}
