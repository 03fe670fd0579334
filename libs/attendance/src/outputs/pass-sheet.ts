import { CjkFonts } from '@shipei/core';
import { A4, BOLD, cjkDocument, drawQr, fit, REGULAR } from './pdf-doc';

export const PASS_SHEET_LAYOUTS = ['slips', 'roster'] as const;
export type PassSheetLayout = (typeof PASS_SHEET_LAYOUTS)[number];

export interface PassSheetView {
  programTitle: string;
  cohortName: string;
  /** The cohort's first and last day: 2019年7月15日 */
  from: string;
  to: string;
  venue: string;
  /** When the passes stop being accepted, as people read it. */
  validUntil: string;
  /** Every assigned trainee in roster order, with their signed pass. */
  trainees: { name: string; school: string; confirmed: boolean; token: string }[];
}

const MARGIN = 36;

/**
 * The printed check-in passes of a cohort (spec §14), for trainees without a smartphone:
 * - `slips`: 报到凭证, eight to an A4 page with dashed cut lines, one per trainee to hand out at 报到;
 * - `roster`: one list of the cohort with each trainee's pass beside their name, for the trainer
 *   to scan from at the door.
 * The QR holds the same signed token as the teacher's phone page, so the scanner treats both alike.
 */
export async function renderPassSheet(view: PassSheetView, layout: PassSheetLayout, fonts: CjkFonts): Promise<Buffer> {
  const title = layout === 'slips' ? '报到凭证' : '签到凭证名册';
  // A fixed date: the same cohort and passes print the same file.
  const { doc, bytes } = cjkDocument(fonts, { Title: `${view.cohortName} ${title}`, CreationDate: new Date(0) });
  if (layout === 'slips') drawSlips(doc, view);
  else drawRoster(doc, view);
  if (!view.trainees.length) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.font(REGULAR).fontSize(12).text('本班暂无已分班学员。', MARGIN, MARGIN);
  }
  doc.end();
  return bytes;
}

function drawSlips(doc: PDFKit.PDFDocument, view: PassSheetView): void {
  const cols = 2;
  const rows = 4;
  const w = (A4.width - 2 * MARGIN) / cols;
  const h = (A4.height - 2 * MARGIN) / rows;
  const qr = 120;
  view.trainees.forEach((t, i) => {
    const slot = i % (cols * rows);
    if (slot === 0) {
      doc.addPage({ size: 'A4', margin: 0 });
      cutLines(doc, cols, rows, w, h);
    }
    const x = MARGIN + (slot % cols) * w;
    const y = MARGIN + Math.floor(slot / cols) * h;
    const text = (s: string, font: string, size: number, tx: number, ty: number, width: number) =>
      doc
        .font(font)
        .fontSize(size)
        .fillColor('#000000')
        .text(fit(doc, s, width), tx, ty, { lineBreak: false });
    // Across the top: what it is and for which program; across the bottom: how to use it.
    text('报到凭证', BOLD, 12, x + 8, y + 8, w - 16);
    text(view.programTitle, REGULAR, 9, x + 8, y + 25, w - 16);
    text('报到及每次课程签到时出示此码，请妥善保管', REGULAR, 8, x + 8, y + h - 27, w - 16);
    text(`有效期至${view.validUntil}`, REGULAR, 8, x + 8, y + h - 16, w - 16);
    // The pass on the left, the trainee and the cohort on the right.
    drawQr(doc, t.token, x + 4, y + 38, qr);
    const tx = x + qr + 10;
    const tw = w - qr - 16;
    let ty = y + 46;
    for (const [s, font, size, gap] of [
      [t.name, BOLD, 15, 8],
      [t.school, REGULAR, 9, 6],
      [view.cohortName, REGULAR, 9, 6],
      [`${view.from}至`, REGULAR, 8.5, 3],
      [view.to, REGULAR, 8.5, 6],
      [view.venue || '地点另行通知', REGULAR, 8.5, 0],
    ] as const) {
      text(s, font, size, tx, ty, tw);
      ty += size + gap;
    }
  });
}

/** Dashed lines between the slips, to cut along. */
function cutLines(doc: PDFKit.PDFDocument, cols: number, rows: number, w: number, h: number): void {
  doc.save().lineWidth(0.5).strokeColor('#888888').dash(4, { space: 3 });
  for (let c = 1; c < cols; c++) doc.moveTo(MARGIN + c * w, MARGIN).lineTo(MARGIN + c * w, A4.height - MARGIN);
  for (let r = 1; r < rows; r++) doc.moveTo(MARGIN, MARGIN + r * h).lineTo(A4.width - MARGIN, MARGIN + r * h);
  doc.stroke().undash().restore();
}

const ROW = 96;
const COLUMNS = [
  { title: '序号', width: 40 },
  { title: '姓名', width: 90 },
  { title: '学校', width: 200 },
  { title: '备注', width: 59.28 },
  { title: '签到凭证', width: 134 },
];

function drawRoster(doc: PDFKit.PDFDocument, view: PassSheetView): void {
  const width = A4.width - 2 * MARGIN;
  const head = [
    view.programTitle,
    `${view.cohortName}    ${view.from}至${view.to}    ${view.venue || '地点另行通知'}`,
    `凭证有效期至${view.validUntil}；培训教师用扫码签到页扫描右侧二维码即可为学员签到（可离线）。`,
  ];
  const top = MARGIN + 24 + head.length * 16 + 8;
  const perPage = Math.floor((A4.height - MARGIN - 24 - top - 22) / ROW);
  const pages = Math.ceil(view.trainees.length / perPage);
  for (let p = 0; p < pages; p++) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.font(BOLD).fontSize(16).fillColor('#000000');
    doc.text('签到凭证名册', MARGIN, MARGIN, { width, align: 'center', lineBreak: false });
    doc.font(REGULAR).fontSize(10);
    head.forEach((text, i) => doc.text(fit(doc, text, width), MARGIN, MARGIN + 26 + i * 16, { lineBreak: false }));
    let y = top;
    doc.rect(MARGIN, y, width, 22).fill('#eeeeee');
    doc.fillColor('#000000').font(BOLD).fontSize(10.5);
    let x = MARGIN;
    for (const c of COLUMNS) {
      doc.text(c.title, x, y + 6, { width: c.width, align: 'center', lineBreak: false });
      x += c.width;
    }
    y += 22;
    const rows = view.trainees.slice(p * perPage, (p + 1) * perPage);
    rows.forEach((t, i) => {
      const cells = [String(p * perPage + i + 1), t.name, t.school, t.confirmed ? '' : '未报到'];
      doc.font(REGULAR).fontSize(10.5);
      let cx = MARGIN;
      cells.forEach((text, c) => {
        const cw = COLUMNS[c].width;
        if (text)
          doc.text(fit(doc, text, cw - 10), cx + 5, y + ROW / 2 - 6, {
            width: cw - 10,
            align: c === 2 ? 'left' : 'center',
            lineBreak: false,
          });
        cx += cw;
      });
      drawQr(doc, t.token, cx + (COLUMNS[4].width - (ROW - 4)) / 2, y + 2, ROW - 4);
      doc.lineWidth(0.6).strokeColor('#000000').rect(MARGIN, y, width, ROW).stroke();
      y += ROW;
    });
    doc
      .font(REGULAR)
      .fontSize(9)
      .text(`第 ${p + 1} 页 / 共 ${pages} 页`, MARGIN, A4.height - MARGIN - 10, {
        width,
        align: 'center',
        lineBreak: false,
      });
  }
}
