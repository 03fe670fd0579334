import { Writable } from 'node:stream';
import { CjkFonts } from '@shipei/core';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

export const REGULAR = 'cjk-regular';
export const BOLD = 'cjk-bold';
export const A4 = { width: 595.28, height: 841.89 };

/** An A4 document drawn only in the embedded CJK fonts (no Helvetica), and a promise of its bytes. */
export function cjkDocument(
  fonts: CjkFonts,
  info: { Title: string; CreationDate: Date },
): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    pdfVersion: '1.4',
    lang: 'zh-CN',
    font: null as unknown as string,
    info: { ...info, Creator: '师培 Shipei', Producer: 'PDFKit' },
  });
  doc.registerFont(REGULAR, fonts.regular as unknown as Buffer);
  doc.registerFont(BOLD, fonts.bold as unknown as Buffer);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    sink.on('finish', () => resolve(Buffer.concat(chunks)));
    sink.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(sink);
  return { doc, bytes };
}

/** Shortens `text` with an ellipsis until it fits `width` at the current font and size. */
export function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let chars = [...text];
  while (chars.length && doc.widthOfString(`${chars.join('')}…`) > width) chars = chars.slice(0, -1);
  return `${chars.join('')}…`;
}

/**
 * A QR code drawn as vector squares (sharp at any printer resolution), `size` points wide with
 * a quiet zone of two modules inside that width.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = size / (n + 4);
  doc.save().fillColor('#000000');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (modules.get(r, c)) doc.rect(x + (c + 2) * cell, y + (r + 2) * cell, cell, cell);
  doc.fill().restore();
}
