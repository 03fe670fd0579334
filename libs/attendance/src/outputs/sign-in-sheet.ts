import { CjkFonts, shanghaiDateZh, shanghaiTime, shanghaiWeekday } from '@shipei/core';
import { A4, BOLD, cjkDocument, fit, REGULAR } from './pdf-doc';

export interface SignInSheetView {
  programTitle: string;
  cohortName: string;
  sessionTitle: string;
  startsAt: Date;
  endsAt: Date;
  hours: number;
  venue: string;
  room: string;
  /** Every trainee assigned to the cohort; `confirmed` false for those who have not reported (报到) yet. */
  trainees: { name: string; school: string; confirmed: boolean }[];
}

/** The venue without a trailing copy of the room (cohorts often name the room in the venue too). */
export function venueWithoutRoom(venue: string, room: string): string {
  const v = venue.trim();
  const r = room.trim();
  return r && v.endsWith(r) && v.length > r.length ? v.slice(0, -r.length).trim() : v;
}

const MARGIN = 48;
const ROW = 26;
const FOOTER = 64;
const COLUMNS = [
  { title: '序号', width: 44 },
  { title: '姓名', width: 96 },
  { title: '学校', width: 171.28 },
  { title: '备注', width: 56 },
  { title: '签名', width: 132 },
];
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/**
 * The paper sign-in sheet (签到表) of one session: A4 portrait, the program, cohort, session, date,
 * time, venue and room at the top of every page, then 序号 / 姓名 / 学校 / 备注 / 签名 rows (备注
 * says 未报到 for an assigned trainee who has not reported yet: they can sign on paper too), as many pages as
 * the roster needs, page numbers and a signature line for the trainer on the last page. Drawn in
 * Noto Serif SC, embedded as a subset. Same input → same content.
 */
export async function renderSignInSheet(view: SignInSheetView, fonts: CjkFonts): Promise<Buffer> {
  const { doc, bytes } = cjkDocument(fonts, { Title: `${view.sessionTitle} 签到表`, CreationDate: view.startsAt });

  const contentWidth = A4.width - 2 * MARGIN;
  const day = shanghaiWeekday(view.startsAt);
  const date = `${shanghaiDateZh(view.startsAt)}（星期${WEEKDAYS[day]}）`;
  const info = [
    `班级：${view.cohortName}`,
    `课次：${view.sessionTitle}`,
    `日期：${date}    时间：${shanghaiTime(view.startsAt)}–${shanghaiTime(view.endsAt)}    学时：${view.hours}`,
    `地点：${venueWithoutRoom(view.venue, view.room) || '—'}${view.room.trim() ? `    教室：${view.room.trim()}` : ''}`,
  ];
  const unconfirmed = view.trainees.filter((t) => !t.confirmed).length;

  // The heading is the same on every page: measure it once to know how many rows fit.
  doc.font(BOLD).fontSize(15);
  const titleHeight = doc.heightOfString(view.programTitle, { width: contentWidth, align: 'center' });
  const headingHeight = titleHeight + 6 + 26 + 8 + info.length * 17 + 10;
  const tableTop = MARGIN + headingHeight;
  const perPage = Math.max(1, Math.floor((A4.height - MARGIN - FOOTER - tableTop - ROW) / ROW));
  const pages = Math.max(1, Math.ceil(view.trainees.length / perPage));

  for (let page = 0; page < pages; page++) {
    doc.addPage({ size: 'A4', margin: 0 });
    let y = MARGIN;
    doc
      .font(BOLD)
      .fontSize(15)
      .fillColor('#000000')
      .text(view.programTitle, MARGIN, y, { width: contentWidth, align: 'center' });
    y += titleHeight + 6;
    doc.font(BOLD).fontSize(20).text('签 到 表', MARGIN, y, { width: contentWidth, align: 'center', lineBreak: false });
    y += 26 + 8;
    doc.font(REGULAR).fontSize(11);
    for (const line of info) {
      doc.text(fit(doc, line, contentWidth), MARGIN, y, { lineBreak: false });
      y += 17;
    }

    // Table header, then this page's rows.
    y = tableTop;
    const rows = view.trainees.slice(page * perPage, (page + 1) * perPage);
    doc.rect(MARGIN, y, contentWidth, ROW).fill('#eeeeee');
    doc.fillColor('#000000').font(BOLD).fontSize(11);
    let x = MARGIN;
    for (const c of COLUMNS) {
      doc.text(c.title, x, y + 7, { width: c.width, align: 'center', lineBreak: false });
      x += c.width;
    }
    doc.font(REGULAR).fontSize(10.5);
    rows.forEach((t, i) => {
      const top = y + ROW * (i + 1);
      const cells = [String(page * perPage + i + 1), t.name, t.school, t.confirmed ? '' : '未报到', ''];
      let cx = MARGIN;
      cells.forEach((text, c) => {
        const w = COLUMNS[c].width;
        if (text)
          doc.text(fit(doc, text, w - 10), cx + 5, top + 7.5, {
            width: w - 10,
            align: c === 2 ? 'left' : 'center',
            lineBreak: false,
          });
        cx += w;
      });
    });
    // Grid lines over the header and the rows.
    const bottom = y + ROW * (rows.length + 1);
    doc.lineWidth(0.6).strokeColor('#000000');
    for (let r = 0; r <= rows.length + 1; r++)
      doc.moveTo(MARGIN, y + r * ROW).lineTo(MARGIN + contentWidth, y + r * ROW);
    x = MARGIN;
    for (let c = 0; c <= COLUMNS.length; c++) {
      doc.moveTo(x, y).lineTo(x, bottom);
      x += COLUMNS[c]?.width ?? 0;
    }
    doc.stroke();

    doc.font(REGULAR).fontSize(10.5);
    if (page === pages - 1) {
      // Right under the table: the rows leave at least FOOTER points free on every page.
      doc.text(
        `应到 ${view.trainees.length} 人${unconfirmed ? `（其中未报到 ${unconfirmed} 人）` : ''}    实到 ______ 人    培训教师（签字）：________________`,
        MARGIN,
        bottom + 18,
        { width: contentWidth, lineBreak: false },
      );
    }
    doc.fontSize(9).text(`第 ${page + 1} 页 / 共 ${pages} 页`, MARGIN, A4.height - MARGIN - 10, {
      width: contentWidth,
      align: 'center',
      lineBreak: false,
    });
  }
  doc.end();
  return bytes;
}
