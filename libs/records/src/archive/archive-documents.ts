import { ENROLMENT_STATUS_LABELS } from '@shipei/enrolment';
import { addTableSheet, newWorkbook, workbookBuffer } from '../shared/workbook';

/** The parts of the cohort archive this module draws itself; the others come from their modules. */

export interface ArchiveHeader {
  programTitle: string;
  cohortName: string;
  /** The archive's fixed date (the cohort's end date): workbook timestamps, zip entry dates. */
  date: Date;
}

export interface ScheduleRow {
  title: string;
  date: string;
  start: string;
  end: string;
  hours: number;
  trainer: string;
  room: string;
}

export async function scheduleWorkbook(h: ArchiveHeader, rows: ScheduleRow[]): Promise<Buffer> {
  const wb = newWorkbook(h.date, `${h.cohortName} 课程安排`);
  const total = Math.round(rows.reduce((s, r) => s + Math.round(r.hours * 100), 0)) / 100;
  const ws = addTableSheet(
    wb,
    '课程安排',
    `${h.programTitle} ${h.cohortName} 课程安排`,
    [
      { header: '序号', width: 6 },
      { header: '课次', width: 36 },
      { header: '日期', width: 12, text: true },
      { header: '开始时间', width: 10, text: true },
      { header: '结束时间', width: 10, text: true },
      { header: '学时', width: 8, numFmt: '0.00' },
      { header: '培训教师', width: 14 },
      { header: '地点', width: 24 },
    ],
    rows.map((r, i) => [i + 1, r.title, r.date, r.start, r.end, r.hours, r.trainer, r.room]),
    `共 ${rows.length} 次课，${total} 学时（时间为北京时间）`,
  );
  ws.addRow(['', '合计', '', '', '', total]).font = { bold: true };
  return workbookBuffer(wb);
}

export interface LeaveRow {
  name: string;
  school: string;
  type: string;
  sessions: string;
  reason: string;
  status: string;
  decidedBy: string;
  decidedAt: string;
  note: string;
  askedAt: string;
}

export async function leaveWorkbook(h: ArchiveHeader, rows: LeaveRow[]): Promise<Buffer> {
  const wb = newWorkbook(h.date, `${h.cohortName} 请假记录`);
  addTableSheet(
    wb,
    '请假记录',
    `${h.programTitle} ${h.cohortName} 请假记录`,
    [
      { header: '序号', width: 6 },
      { header: '姓名', width: 12 },
      { header: '学校', width: 26 },
      { header: '请假类型', width: 10 },
      { header: '请假课次', width: 40 },
      { header: '事由', width: 30 },
      { header: '审批结果', width: 10 },
      { header: '审批人', width: 12 },
      { header: '审批时间', width: 18, text: true },
      { header: '审批意见', width: 24 },
      { header: '申请时间', width: 18, text: true },
    ],
    rows.map((r, i) => [
      i + 1,
      r.name,
      r.school,
      r.type,
      r.sessions,
      r.reason,
      r.status,
      r.decidedBy,
      r.decidedAt,
      r.note,
      r.askedAt,
    ]),
    rows.length ? `共 ${rows.length} 条请假申请（时间为北京时间）` : '本班没有请假申请',
  );
  return workbookBuffer(wb);
}

export interface ResultRow {
  name: string;
  school: string;
  attendedHours: number | null;
  rate: number | null;
  result: string;
  creditHours: number | null;
  certificate: string;
  /** 考核成绩 as one text (the program's items), when the program has items. */
  scores?: string;
}

/** `assessed`: the program has 考核 items, so a 考核成绩 column follows and the note says so. */
export async function resultsWorkbook(
  h: ArchiveHeader,
  totalHours: number,
  threshold: number,
  rows: ResultRow[],
  assessed = false,
): Promise<Buffer> {
  const wb = newWorkbook(h.date, `${h.cohortName} 结业情况`);
  const completed = rows.filter((r) => r.result === ENROLMENT_STATUS_LABELS.COMPLETED).length;
  addTableSheet(
    wb,
    '结业情况',
    `${h.programTitle} ${h.cohortName} 结业情况`,
    [
      { header: '序号', width: 6 },
      { header: '姓名', width: 12 },
      { header: '学校', width: 28 },
      { header: '出勤学时', width: 10, numFmt: '0.00' },
      { header: '总学时', width: 10, numFmt: '0.00' },
      { header: '出勤率', width: 10, numFmt: '0.00%' },
      { header: '结业结果', width: 10 },
      { header: '获得学时', width: 10, numFmt: '0.0' },
      { header: '证书编号', width: 18, text: true },
      ...(assessed ? [{ header: '考核成绩', width: 34 }] : []),
    ],
    rows.map((r, i) => [
      i + 1,
      r.name,
      r.school,
      r.attendedHours,
      totalHours,
      r.rate,
      r.result,
      r.creditHours,
      r.certificate,
      ...(assessed ? [r.scores ?? ''] : []),
    ]),
    `学员 ${rows.length} 人，结业 ${completed} 人，未结业 ${rows.length - completed} 人；结业要求出勤率不低于 ${Math.round(threshold * 10000) / 100}%${assessed ? '，且各考核项目均及格' : ''}`,
  );
  return workbookBuffer(wb);
}

export interface RegisterRow {
  number: string;
  name: string;
  idNumber: string;
  school: string;
  startDate: string;
  endDate: string;
  creditHours: number;
  issuer: string;
  issueDate: string;
  status: string;
  revokedAt: string;
  revokeReason: string;
}

export async function registerWorkbook(h: ArchiveHeader, rows: RegisterRow[]): Promise<Buffer> {
  const wb = newWorkbook(h.date, `${h.cohortName} 证书登记册`);
  addTableSheet(
    wb,
    '证书登记册',
    `${h.programTitle} ${h.cohortName} 证书登记册`,
    [
      { header: '序号', width: 6 },
      { header: '证书编号', width: 18, text: true },
      { header: '姓名', width: 12 },
      { header: '身份证号', width: 22, text: true },
      { header: '工作单位', width: 28 },
      { header: '培训开始日期', width: 13, text: true },
      { header: '培训结束日期', width: 13, text: true },
      { header: '学时', width: 8, numFmt: '0.0' },
      { header: '发证单位', width: 20 },
      { header: '发证日期', width: 12, text: true },
      { header: '状态', width: 8 },
      { header: '撤销日期', width: 12, text: true },
      { header: '撤销原因', width: 30 },
    ],
    rows.map((r, i) => [
      i + 1,
      r.number,
      r.name,
      r.idNumber,
      r.school,
      r.startDate,
      r.endDate,
      r.creditHours,
      r.issuer,
      r.issueDate,
      r.status,
      r.revokedAt,
      r.revokeReason,
    ]),
    rows.length ? `共 ${rows.length} 张证书` : '本班未颁发证书',
  );
  return workbookBuffer(wb);
}
