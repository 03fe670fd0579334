import { formatChineseDate, formatHours } from '../rendering';
import { CertificateVerificationDto } from '../dto/certificate.dto';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f1ea;color:#1f1f1f;font:16px/1.6 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
header{background:#9b1c1c;color:#fff;padding:12px 16px;font-size:15px}
main{max-width:640px;margin:16px auto;padding:0 12px}
.card{background:#fff;border:1px solid #e2d9c6;border-radius:8px;padding:20px}
h1{font-size:22px;margin:0 0 12px}
.status{display:inline-block;font-size:18px;font-weight:bold;padding:4px 14px;border-radius:4px;margin-bottom:12px}
.valid{background:#e6f4ea;color:#1e6b34;border:1px solid #9fd3ae}
.revoked{background:#fde8e8;color:#9b1c1c;border:1px solid #f1a7a7}
dl{display:grid;grid-template-columns:6.5em 1fr;gap:8px 12px;margin:0}
dt{color:#555}
dd{margin:0;word-break:break-all}
.note{margin:16px 0 0;color:#555;font-size:14px}
.warn{color:#9b1c1c;font-weight:bold}
`;

function layout(title: string, platformName: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)} - ${esc(platformName)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${esc(platformName)}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The verification result: the certificate's status first, then what is printed on it (no personal identifiers). */
export function renderVerificationPage(v: CertificateVerificationDto, platformName: string): string {
  const revoked = v.status === 'REVOKED';
  const service = v.kind === 'SERVICE';
  const rows: [string, string][] = [
    ['证书编号', v.number],
    ['姓名', v.holderName],
    [v.titleLabel ?? '培训项目', v.programTitle],
    ...(service && !v.creditHours ? [] : ([['学时', `${formatHours(v.creditHours)} 学时`]] as [string, string][])),
    [service ? '服务时间' : '培训时间', `${formatChineseDate(v.startDate)}至${formatChineseDate(v.endDate)}`],
    ['发证单位', v.issuer],
    ['发证日期', formatChineseDate(v.issueDate)],
  ];
  const body = `<div class="card">
<h1>${esc(v.kindLabel)}验证</h1>
<div class="status ${revoked ? 'revoked' : 'valid'}" data-status="${esc(v.status)}">${esc(v.statusLabel)}</div>
<dl>
${rows.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${esc(val)}</dd>`).join('\n')}
</dl>
<p class="note${revoked ? ' warn' : ''}">${revoked ? '该证书已被撤销，不再有效。' : '该证书由本平台颁发，真实有效。'}</p>
</div>`;
  return layout('证书验证', platformName, body);
}

export function renderVerificationNotFoundPage(platformName: string): string {
  const body = `<div class="card">
<h1>证书验证</h1>
<div class="status revoked" data-status="NOT_FOUND">未找到该证书</div>
<p class="note">请核对二维码或链接是否完整。如有疑问，请联系发证单位。</p>
</div>`;
  return layout('未找到证书', platformName, body);
}
