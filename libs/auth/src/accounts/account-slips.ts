import { Writable } from 'node:stream';
import { CjkFonts } from '@shipei/core';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { OpenedAccountDto } from '../dto/user.dto';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 36;
const PER_PAGE = 3;
const SLIP_HEIGHT = (A4.height - 2 * MARGIN) / PER_PAGE;
const QR_SIZE = 120;

/**
 * The printable account slips (开通通知单) of one batch: three per A4 page, cut along the dashed lines;
 * each with the teacher's name, username, one-time password, the login address and its QR code.
 * One-time passwords are never shown again, so this is the only copy.
 */
export async function renderAccountSlips(
  accounts: OpenedAccountDto[],
  view: { platformName: string; loginUrl: string; issuedAt: Date },
  fonts: CjkFonts,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    pdfVersion: '1.4',
    lang: 'zh-CN',
    font: null as unknown as string,
    info: { Title: '账号开通通知单', Creator: '师培 Shipei', Producer: 'PDFKit', CreationDate: view.issuedAt },
  });
  doc.registerFont('r', fonts.regular as unknown as Buffer);
  doc.registerFont('b', fonts.bold as unknown as Buffer);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.pipe(
      new Writable({
        write: (c: Buffer, _e, cb) => {
          chunks.push(c);
          cb();
        },
        final: (cb) => {
          resolve(Buffer.concat(chunks));
          cb();
        },
      }),
    );
    doc.on('error', reject);
  });
  accounts.forEach((a, i) => {
    if (i % PER_PAGE === 0) doc.addPage();
    drawSlip(doc, a, view, MARGIN + (i % PER_PAGE) * SLIP_HEIGHT);
  });
  doc.end();
  return done;
}

function drawSlip(
  doc: PDFKit.PDFDocument,
  a: OpenedAccountDto,
  view: { platformName: string; loginUrl: string },
  top: number,
): void {
  const left = MARGIN + 12;
  doc
    .font('b')
    .fontSize(16)
    .fillColor('#000')
    .text('账号开通通知单', left, top + 16);
  doc
    .font('r')
    .fontSize(10)
    .fillColor('#444')
    .text(view.platformName, left, top + 40);
  const lines: [string, string][] = [
    ['姓名', a.name],
    ['用户名', a.username],
    ['一次性密码', a.temporaryPassword ?? '（已有账号，密码未改变）'],
    ['登录地址', view.loginUrl],
  ];
  lines.forEach(([label, value], i) => {
    const y = top + 66 + i * 24;
    doc.font('r').fontSize(11).fillColor('#444').text(`${label}：`, left, y);
    doc
      .font('b')
      .fontSize(13)
      .fillColor('#000')
      .text(value, left + 76, y - 2, { width: 300, lineBreak: false });
  });
  doc
    .font('r')
    .fontSize(9)
    .fillColor('#444')
    .text('首次登录后须修改密码。一次性密码只在本通知单上出现，请妥善保管，勿转交他人。', left, top + 170, {
      width: 360,
    });
  drawQr(doc, view.loginUrl, A4.width - MARGIN - QR_SIZE - 12, top + 30);
  doc
    .font('r')
    .fontSize(9)
    .fillColor('#444')
    .text('扫码登录', A4.width - MARGIN - QR_SIZE - 12, top + 30 + QR_SIZE + 4, {
      width: QR_SIZE,
      align: 'center',
    });
  // The cut line under the slip.
  const bottom = top + SLIP_HEIGHT;
  doc
    .save()
    .moveTo(MARGIN, bottom)
    .lineTo(A4.width - MARGIN, bottom)
    .dash(4, { space: 4 })
    .stroke('#999')
    .restore();
}

/** The QR code of `text` as filled rectangles, with the quiet zone the specification asks for. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const unit = QR_SIZE / (n + 8);
  doc.save().rect(x, y, QR_SIZE, QR_SIZE).fill('#ffffff');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (modules.data[r * n + c]) doc.rect(x + (c + 4) * unit, y + (r + 4) * unit, unit, unit);
  doc.fill('#000000').restore();
}
