import { CertificateLayout, FlowKind, LayoutLine } from './certificate-layout';
import { drawQrCode, QrBox } from './certificate-qr';

/** Font names registered on every certificate document (see `CertificateRenderer`). */
export const FONT_REGULAR = 'cert-serif';
export const FONT_BOLD = 'cert-serif-bold';

/** A4 landscape in points. */
export const PAGE_WIDTH = 841.89;
export const PAGE_HEIGHT = 595.28;

const INK = '#1f1f1f';
const RED = '#9b1c1c';
const GOLD = '#b8912f';
const MUTED = '#555555';

interface TextStyle {
  font: typeof FONT_REGULAR | typeof FONT_BOLD;
  size: number;
  color: string;
  align: 'left' | 'center';
  /** Wrapping paragraph (true) or a single line shrunk to fit the width (false). */
  wrap: boolean;
  gapAfter: number;
  characterSpacingEm?: number;
  lineGap?: number;
  indentEm?: number;
}

const STYLES: Record<Exclude<FlowKind, 'space'>, TextStyle> = {
  title: { font: FONT_BOLD, size: 38, color: RED, align: 'center', wrap: false, gapAfter: 16, characterSpacingEm: 0.4 },
  subtitle: { font: FONT_REGULAR, size: 14, color: MUTED, align: 'center', wrap: false, gapAfter: 12 },
  lead: { font: FONT_BOLD, size: 20, color: INK, align: 'left', wrap: false, gapAfter: 14 },
  body: { font: FONT_REGULAR, size: 18, color: INK, align: 'left', wrap: true, gapAfter: 8, lineGap: 10, indentEm: 2 },
  center: { font: FONT_REGULAR, size: 18, color: INK, align: 'center', wrap: true, gapAfter: 8, lineGap: 8 },
};
const META_STYLE = { size: 11, lineHeight: 18 };
const SIGN_STYLE = { size: 18, lineHeight: 30 };
const CAPTION_SIZE = 9;
const MIN_FONT_SIZE = 7;

// Geometry. The frame sits 22/30 pt inside the page edge; everything else inside it.
const FLOW_LEFT = 110;
const FLOW_RIGHT = PAGE_WIDTH - 110;
const FLOW_TOP = 70;
const QR_BOX: QrBox = { x: PAGE_WIDTH - 52 - 96, y: PAGE_HEIGHT - 52 - 14 - 96, size: 96 };
const SIGN_CENTER_X = QR_BOX.x - 24 - 120;
const SIGN_MAX_WIDTH = 240;
const SIGN_BOTTOM = PAGE_HEIGHT - 84;
const META_LEFT = 84;
const META_MAX_WIDTH = SIGN_CENTER_X - SIGN_MAX_WIDTH / 2 - 20 - META_LEFT;
const META_BOTTOM = PAGE_HEIGHT - 58;
/** Shrink steps tried, largest first, when the flow does not fit above the bottom blocks. */
const SCALES = [1, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6];

export const QR_CAPTION = '扫码验证';

/**
 * Draws one certificate on the current page: frame, flow (title, lead, body…), the meta and
 * signature blocks, and the QR code for `verifyUrl` with its caption. Pure drawing; the layout
 * has been validated by `parseCertificateLayout`.
 */
export function drawCertificatePage(doc: PDFKit.PDFDocument, layout: CertificateLayout, verifyUrl: string): void {
  drawFrame(doc);

  const signTop = SIGN_BOTTOM - layout.sign.length * SIGN_STYLE.lineHeight;
  const metaTop = META_BOTTOM - layout.meta.length * META_STYLE.lineHeight;
  const flowBottom = Math.min(signTop, metaTop, QR_BOX.y) - 18;
  const available = flowBottom - FLOW_TOP;

  let scale = SCALES[SCALES.length - 1];
  let height = 0;
  for (const s of SCALES) {
    height = flowHeight(doc, layout.flow, s);
    scale = s;
    if (height <= available) break;
  }
  // With room to spare, move the flow down a little rather than leave a hole above the signature.
  let y = FLOW_TOP + Math.max(0, Math.min((available - height) * 0.3, 56));
  for (const line of layout.flow) {
    y = drawFlowLine(doc, line, y, scale, flowBottom);
  }

  doc.font(FONT_REGULAR).fillColor(INK);
  layout.meta.forEach((line, i) => {
    const { text } = fitLine(doc, line, META_STYLE.size, META_MAX_WIDTH);
    doc.text(text, META_LEFT, metaTop + i * META_STYLE.lineHeight, { lineBreak: false });
  });
  layout.sign.forEach((line, i) => {
    const { text, width } = fitLine(doc, line, SIGN_STYLE.size, SIGN_MAX_WIDTH);
    doc.text(text, SIGN_CENTER_X - width / 2, signTop + i * SIGN_STYLE.lineHeight, { lineBreak: false });
  });

  drawQrCode(doc, verifyUrl, QR_BOX);
  doc.font(FONT_REGULAR).fontSize(CAPTION_SIZE).fillColor(MUTED);
  const captionWidth = doc.widthOfString(QR_CAPTION);
  doc.text(QR_CAPTION, QR_BOX.x + (QR_BOX.size - captionWidth) / 2, QR_BOX.y + QR_BOX.size + 1, { lineBreak: false });
}

function drawFrame(doc: PDFKit.PDFDocument): void {
  doc.save();
  doc
    .lineWidth(2.4)
    .rect(22, 22, PAGE_WIDTH - 44, PAGE_HEIGHT - 44)
    .stroke(RED);
  doc
    .lineWidth(0.8)
    .rect(30, 30, PAGE_WIDTH - 60, PAGE_HEIGHT - 60)
    .stroke(GOLD);
  // Corner brackets inside the inner frame.
  const inset = 38;
  const arm = 28;
  doc.lineWidth(1.6);
  for (const [x, y, dx, dy] of [
    [inset, inset, 1, 1],
    [PAGE_WIDTH - inset, inset, -1, 1],
    [inset, PAGE_HEIGHT - inset, 1, -1],
    [PAGE_WIDTH - inset, PAGE_HEIGHT - inset, -1, -1],
  ]) {
    doc
      .moveTo(x, y + dy * arm)
      .lineTo(x, y)
      .lineTo(x + dx * arm, y);
  }
  doc.stroke(GOLD);
  doc.restore();
}

function flowHeight(doc: PDFKit.PDFDocument, flow: LayoutLine[], scale: number): number {
  let height = 0;
  for (const line of flow) {
    if (line.kind === 'space') {
      height += Number(line.text) * scale;
      continue;
    }
    const style = STYLES[line.kind];
    height += measure(doc, line.text, style, scale) + style.gapAfter * scale;
  }
  return height;
}

/** Sets font and size for `style` at `scale` and returns the height the text will take. */
function measure(doc: PDFKit.PDFDocument, text: string, style: TextStyle, scale: number): number {
  const size = style.size * scale;
  doc.font(style.font).fontSize(size);
  if (!style.wrap) return doc.currentLineHeight(true);
  return doc.heightOfString(text || ' ', textOptions(style, size, scale));
}

function drawFlowLine(doc: PDFKit.PDFDocument, line: LayoutLine, y: number, scale: number, bottom: number): number {
  if (line.kind === 'space') return y + Number(line.text) * scale;
  const style = STYLES[line.kind];
  const height = measure(doc, line.text, style, scale);
  // Text that would not even start above the bottom blocks is left out rather than drawn over them.
  if (y + doc.currentLineHeight(true) > bottom) return y;
  doc.fillColor(style.color);
  const width = FLOW_RIGHT - FLOW_LEFT;
  if (style.wrap) {
    // `height` cuts the paragraph off (with an ellipsis) at the bottom instead of opening a new page.
    doc.text(line.text, FLOW_LEFT, y, {
      ...textOptions(style, style.size * scale, scale),
      height: bottom - y,
      ellipsis: true,
    });
  } else {
    const spacingEm = style.characterSpacingEm ?? 0;
    const fitted = fitLine(doc, line.text, style.size * scale, width, spacingEm);
    const x = style.align === 'center' ? FLOW_LEFT + (width - fitted.width) / 2 : FLOW_LEFT;
    // A shrunk line keeps roughly the baseline the full-size line would have had.
    const drop = Math.max(0, height - doc.currentLineHeight(true)) * 0.8;
    doc.text(fitted.text, x, y + drop, { lineBreak: false, characterSpacing: spacingEm * fitted.size });
  }
  return y + height + style.gapAfter * scale;
}

function textOptions(style: TextStyle, size: number, scale: number): PDFKit.Mixins.TextOptions {
  return {
    width: FLOW_RIGHT - FLOW_LEFT,
    align: style.align,
    lineGap: (style.lineGap ?? 0) * scale,
    indent: (style.indentEm ?? 0) * size,
  };
}

/**
 * Sets the largest font size ≤ `size` at which `text` fits `maxWidth` on one line (current font) and
 * returns it with the text and its width. Below a legible minimum the text is cut with an ellipsis.
 */
function fitLine(
  doc: PDFKit.PDFDocument,
  text: string,
  size: number,
  maxWidth: number,
  spacingEm = 0,
): { text: string; size: number; width: number } {
  const widthAt = (t: string, s: number) => doc.fontSize(s).widthOfString(t, { characterSpacing: spacingEm * s });
  const full = widthAt(text, size);
  if (full <= maxWidth) return { text, size, width: full };
  const minimum = Math.min(size, Math.max(MIN_FONT_SIZE, size * 0.35));
  const fitted = Math.max(minimum, Math.floor(size * (maxWidth / full) * 100) / 100);
  let chars = [...text];
  let shown = text;
  let width = widthAt(shown, fitted);
  if (width > maxWidth) chars = chars.slice(0, Math.ceil((chars.length * maxWidth) / width) + 1); // first guess
  while (width > maxWidth && chars.length > 1) {
    chars = chars.slice(0, -1);
    shown = chars.join('') + '…';
    width = widthAt(shown, fitted);
  }
  return { text: shown, size: fitted, width };
}
