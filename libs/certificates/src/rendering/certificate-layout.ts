import { CertificateTemplateError } from './certificate-rendering.errors';

/*
 * The certificate layout format: what a Handlebars template produces and the page renderer draws.
 *
 * Plain text, one instruction per line:   <kind>|<text>
 *
 *   title|培训结业证书        large bold heading, centred, letter-spaced (at most one per page)
 *   subtitle|…               smaller centred line under the heading
 *   lead|张三 同志：           bold line, left-aligned (the salutation)
 *   body|你于……准予结业。       paragraph: wraps, first line indented two characters
 *   center|……                centred line
 *   space|12                 vertical gap in points (0–200)
 *   meta|证书编号：…            small line in the bottom-left block (at most 4)
 *   sign|临沂市教育局           line of the signature block, bottom right, centred (at most 4)
 *
 * Rules: the kind is everything before the first `|`; the text is everything after it (so the text
 * may itself contain `|`), trimmed. Blank lines and lines starting with `#` are ignored. Text is
 * drawn literally: no markup, no escaping. Values reach the template already folded onto one line
 * (see `singleLine`), so data can never start a new instruction. The QR code and its caption are
 * always drawn by the renderer (bottom-right corner) and need no instruction.
 *
 * Flow kinds (title … space) are stacked from the top of the page in template order and shrunk
 * together if they would not fit; meta and sign are placed in fixed blocks at the bottom.
 */

export const FLOW_KINDS = ['title', 'subtitle', 'lead', 'body', 'center', 'space'] as const;
export const BLOCK_KINDS = ['meta', 'sign'] as const;

export type FlowKind = (typeof FLOW_KINDS)[number];
export type BlockKind = (typeof BLOCK_KINDS)[number];
export type LayoutKind = FlowKind | BlockKind;

export interface LayoutLine {
  kind: FlowKind;
  text: string;
}

export interface CertificateLayout {
  /** Flow lines in template order (title, subtitle, lead, body, center, space); meta and sign go below. */
  flow: LayoutLine[];
  /** Bottom-left block. */
  meta: string[];
  /** Bottom-right signature block (issuer, date). */
  sign: string[];
}

const KINDS = new Set<string>([...FLOW_KINDS, ...BLOCK_KINDS]);
export const MAX_BLOCK_LINES = 4;
export const MAX_FLOW_LINES = 40;
export const MAX_SPACE = 200;

/** Parses template output; throws `CertificateTemplateError` (with the 1-based line number) if malformed. */
export function parseCertificateLayout(text: string): CertificateLayout {
  const layout: CertificateLayout = { flow: [], meta: [], sign: [] };
  let titles = 0;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bar = line.indexOf('|');
    const kind = (bar < 0 ? line : line.slice(0, bar)).trim();
    const lineNo = i + 1;
    if (bar < 0 || !KINDS.has(kind)) {
      throw new CertificateTemplateError(`第 ${lineNo} 行不是“类型|文字”格式（类型可为 ${[...KINDS].join('、')}）`, {
        line: lineNo,
        text: line.slice(0, 80),
      });
    }
    const body = line.slice(bar + 1).trim();
    switch (kind as LayoutKind) {
      case 'meta':
      case 'sign': {
        const block = layout[kind as BlockKind];
        if (block.length >= MAX_BLOCK_LINES)
          throw new CertificateTemplateError(`${kind} 最多 ${MAX_BLOCK_LINES} 行`, { line: lineNo });
        block.push(body);
        return;
      }
      case 'space': {
        const points = Number(body);
        if (body === '' || !Number.isFinite(points) || points < 0 || points > MAX_SPACE) {
          throw new CertificateTemplateError(`第 ${lineNo} 行 space 应为 0–${MAX_SPACE} 的数字`, { line: lineNo });
        }
        break;
      }
      case 'title':
        if (++titles > 1) throw new CertificateTemplateError('title 只能有一行', { line: lineNo });
        break;
      default:
        break;
    }
    if (layout.flow.length >= MAX_FLOW_LINES)
      throw new CertificateTemplateError(`正文最多 ${MAX_FLOW_LINES} 行`, { line: lineNo });
    layout.flow.push({ kind: kind as FlowKind, text: body });
  });
  if (!layout.flow.some((l) => l.kind !== 'space' && l.text !== '')) {
    throw new CertificateTemplateError('模板没有输出任何正文（title/lead/body…）');
  }
  return layout;
}

/** The text of the title line, if any (used as the PDF document title). */
export function layoutTitle(layout: CertificateLayout): string | undefined {
  return layout.flow.find((l) => l.kind === 'title')?.text || undefined;
}
