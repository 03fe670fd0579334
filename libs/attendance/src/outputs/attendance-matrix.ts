import * as ExcelJS from 'exceljs';
import { ATTENDANCE_STATUS_LABELS, AttendanceStatus } from '../statuses';
import { shanghaiDate, shanghaiTime } from '@shipei/core';

export interface MatrixView {
  programTitle: string;
  cohortName: string;
  threshold: number;
  totalHours: number;
  sessions: { title: string; startsAt: Date; hours: number }[];
  rows: {
    name: string;
    school: string;
    statuses: (AttendanceStatus | null)[];
    attendedHours: number;
    rate: number;
    result: string;
  }[];
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Text for a cell that can never be read as a formula (formula/CSV injection): a value starting
 * with = + - @ (or a tab or carriage return) gets a leading apostrophe.
 */
export function safeText(v: string | null | undefined): string {
  if (v == null) return '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const FIXED = 3; // 序号, 姓名, 学校

/**
 * 考勤表 of a cohort (spec §8): trainees × sessions with 出勤/迟到/请假/缺勤 (blank: not yet),
 * then attended hours, total hours, rate and the completion result (once computed) per trainee; a last row counts attendance per session.
 * No timestamps in the file, so the same records always give the same workbook.
 */
export async function buildAttendanceMatrix(v: MatrixView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.title = `${v.cohortName} 考勤表`;
  wb.created = new Date(Date.UTC(2019, 0, 1));
  wb.modified = wb.created;
  const ws = wb.addWorksheet('考勤表', { views: [{ state: 'frozen', xSplit: FIXED, ySplit: 3 }] });
  const rateCol = FIXED + v.sessions.length + 3;
  const lastCol = rateCol + 1;

  ws.mergeCells(1, 1, 1, lastCol);
  ws.getCell(1, 1).value = safeText(`${v.programTitle} ${v.cohortName} 考勤表`);
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.mergeCells(2, 1, 2, lastCol);
  ws.getCell(2, 1).value =
    `课次 ${v.sessions.length} 次，共 ${v.totalHours} 学时；结业要求出勤率不低于 ${Math.round(v.threshold * 10000) / 100}%（出勤、迟到计入出勤学时）`;

  const header = [
    '序号',
    '姓名',
    '学校',
    ...v.sessions.map((s) =>
      safeText(`${s.title}\n${shanghaiDate(s.startsAt).slice(5)} ${shanghaiTime(s.startsAt)}\n(${s.hours}学时)`),
    ),
    '出勤学时',
    '总学时',
    '出勤率',
    '结业结果',
  ];
  const head = ws.getRow(3);
  head.values = header;
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  head.height = 48;

  v.rows.forEach((r, i) => {
    const row = ws.getRow(4 + i);
    row.values = [
      i + 1,
      safeText(r.name),
      safeText(r.school),
      ...r.statuses.map((s) => (s ? ATTENDANCE_STATUS_LABELS[s] : '')),
      r.attendedHours,
      v.totalHours,
      r.rate,
      r.result,
    ];
    row.getCell(rateCol).numFmt = '0.00%';
    for (let c = FIXED + 1; c <= FIXED + v.sessions.length; c++) row.getCell(c).alignment = { horizontal: 'center' };
  });

  const totals = ws.getRow(4 + v.rows.length);
  totals.values = [
    '',
    '出勤人数',
    '',
    ...v.sessions.map((_, c) => v.rows.filter((r) => r.statuses[c] === 'PRESENT' || r.statuses[c] === 'LATE').length),
  ];
  totals.font = { bold: true };

  ws.getColumn(1).width = 6;
  ws.getColumn(2).width = 12;
  ws.getColumn(3).width = 28;
  for (let c = FIXED + 1; c <= FIXED + v.sessions.length; c++) ws.getColumn(c).width = 14;
  for (let c = rateCol - 2; c <= lastCol; c++) ws.getColumn(c).width = 10;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
