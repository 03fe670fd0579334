import { CjkFonts, shanghaiDate, shanghaiDateZh, shanghaiTime, shanghaiWeekday } from '@shipei/core';
import { A4, BOLD, cjkDocument, fit, REGULAR } from './pdf-doc';

export interface TimetableView {
  programTitle: string;
  cohortName: string;
  /** 2019年7月15日 */
  from: string;
  to: string;
  venue: string;
  sessions: { title: string; startsAt: Date; endsAt: Date; hours: number; trainer: string; room: string }[];
  /** When it was printed: shown in the footer (the schedule may change) and the document's date. */
  printedAt: Date;
}

const MARGIN = 48;
const ROW = 24;
const FOOTER = 56;
const COLUMNS = [
  { title: '日期', width: 104 },
  { title: '时间', width: 76 },
  { title: '课程', width: 170.28 },
  { title: '授课教师', width: 70 },
  { title: '教室', width: 46 },
  { title: '学时', width: 33 },
];
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** The hours as printed: 2, 1.5, 1.99 (never 2.00). */
const hoursText = (h: number) => String(Math.round(h * 100) / 100);

/**
 * A cohort's printable timetable (课程表): A4 portrait, the program and cohort at the top of every page,
 * then one row per session in time order — the date (with 星期) on a day's first row only, the time,
 * the course, its lecturer, the room and its hours — page numbers, and the total on the last page.
 * Drawn in the embedded CJK fonts only (Noto Serif SC, subset), like the sign-in sheet.
 */
export async function renderTimetable(view: TimetableView, fonts: CjkFonts): Promise<Buffer> {
  const { doc, bytes } = cjkDocument(fonts, { Title: `${view.cohortName} 课程表`, CreationDate: view.printedAt });
  const contentWidth = A4.width - 2 * MARGIN;
  const info = [
    `班级：${view.cohortName}    培训时间：${view.from} 至 ${view.to}`,
    `地点：${view.venue.trim() || '另行通知'}`,
  ];

  doc.font(BOLD).fontSize(15);
  const titleHeight = doc.heightOfString(view.programTitle, { width: contentWidth, align: 'center' });
  const tableTop = MARGIN + titleHeight + 6 + 26 + 8 + info.length * 17 + 10;
  const perPage = Math.max(1, Math.floor((A4.height - MARGIN - FOOTER - tableTop - ROW) / ROW));
  const pages = Math.max(1, Math.ceil(view.sessions.length / perPage));
  const total = view.sessions.reduce((sum, s) => sum + s.hours, 0);

  for (let page = 0; page < pages; page++) {
    doc.addPage({ size: 'A4', margin: 0 });
    let y = MARGIN;
    doc
      .font(BOLD)
      .fontSize(15)
      .fillColor('#000000')
      .text(view.programTitle, MARGIN, y, { width: contentWidth, align: 'center' });
    y += titleHeight + 6;
    doc.font(BOLD).fontSize(20).text('课 程 表', MARGIN, y, { width: contentWidth, align: 'center', lineBreak: false });
    y += 26 + 8;
    doc.font(REGULAR).fontSize(11);
    for (const line of info) {
      doc.text(fit(doc, line, contentWidth), MARGIN, y, { lineBreak: false });
      y += 17;
    }

    y = tableTop;
    const rows = view.sessions.slice(page * perPage, (page + 1) * perPage);
    doc.rect(MARGIN, y, contentWidth, ROW).fill('#eeeeee');
    doc.fillColor('#000000').font(BOLD).fontSize(10.5);
    let x = MARGIN;
    for (const c of COLUMNS) {
      doc.text(c.title, x, y + 7, { width: c.width, align: 'center', lineBreak: false });
      x += c.width;
    }
    doc.font(REGULAR).fontSize(10);
    rows.forEach((s, i) => {
      const index = page * perPage + i;
      const day = shanghaiDate(s.startsAt);
      // A day's date once, on its first row (and again at the top of a new page).
      const showDay = i === 0 || shanghaiDate(view.sessions[index - 1].startsAt) !== day;
      const cells = [
        showDay
          ? `${shanghaiDateZh(s.startsAt).replace(/^\d+年/, '')} 星期${WEEKDAYS[shanghaiWeekday(s.startsAt)]}`
          : '',
        `${shanghaiTime(s.startsAt)}–${shanghaiTime(s.endsAt)}`,
        s.title,
        s.trainer || '—',
        s.room.trim() || '—',
        hoursText(s.hours),
      ];
      const top = y + ROW * (i + 1);
      let cx = MARGIN;
      cells.forEach((text, c) => {
        const w = COLUMNS[c].width;
        if (text)
          doc.text(fit(doc, text, w - 8), cx + 4, top + 7, {
            width: w - 8,
            align: c === 2 ? 'left' : 'center',
            lineBreak: false,
          });
        cx += w;
      });
    });
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
    if (!view.sessions.length)
      doc.text('课程安排另行通知', MARGIN, bottom + 18, { width: contentWidth, align: 'center', lineBreak: false });
    else if (page === pages - 1)
      doc.text(`共 ${view.sessions.length} 次课，${hoursText(total)} 学时`, MARGIN, bottom + 18, {
        width: contentWidth,
        lineBreak: false,
      });
    doc
      .fontSize(9)
      .text(
        `第 ${page + 1} 页 / 共 ${pages} 页    打印于 ${shanghaiDateZh(view.printedAt)} ${shanghaiTime(view.printedAt)}，以平台最新安排为准`,
        MARGIN,
        A4.height - MARGIN - 10,
        { width: contentWidth, align: 'center', lineBreak: false },
      );
  }
  doc.end();
  return bytes;
}
