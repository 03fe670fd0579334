import QRCode from 'qrcode';

/** Light modules around the symbol, as the QR specification asks. */
export const QR_QUIET_ZONE = 4;

export interface QrBox {
  x: number;
  y: number;
  /** Side of the square, quiet zone included, in points. */
  size: number;
}

/**
 * Draws `text` as a QR code (error correction M) with vector rectangles: a white square for the
 * symbol and its quiet zone, then every horizontal run of dark modules as one rectangle, all in a
 * single path filled once (no seams between modules, few operators per page).
 */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, box: QrBox): void {
  // One byte-mode segment: a URL is bytes anyway. Given a plain string, qrcode searches the cheapest
  // mix of byte/alphanumeric/numeric segments (a shortest-path search per symbol), which took about a
  // fifth of a 400-page batch's CPU for a symbol of the same version; the mask is still chosen by penalty.
  const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const unit = box.size / (n + 2 * QR_QUIET_ZONE);
  const origin = (i: number) => round((i + QR_QUIET_ZONE) * unit);

  doc.save();
  doc.rect(box.x, box.y, box.size, box.size).fill('#ffffff');
  doc.translate(box.x, box.y);
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.data[row * n + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.data[row * n + col]) col++;
      // Edges come from the same grid, so rows and runs meet exactly.
      doc.rect(origin(start), origin(row), round(origin(col) - origin(start)), round(origin(row + 1) - origin(row)));
    }
  }
  doc.fill('#000000');
  doc.restore();
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
