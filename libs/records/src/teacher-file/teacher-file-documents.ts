import { CjkFonts, shanghaiDateTime } from '@shipei/core';
import { CYCLE_REQUIREMENT, YEARLY_REQUIREMENT } from '../credits/credit-rules';
import { ReportPdf } from '../shared/report-pdf';
import { addTableSheet, newWorkbook, SheetColumn, workbookBuffer } from '../shared/workbook';
import { FileCertificateDto, TeacherFileDto } from './dto/teacher-file.dto';

const GENDER = { M: '男', F: '女' } as const;
const yesNo = (met: boolean, inProgress: boolean) => (met ? '达标' : inProgress ? '未达标（进行中）' : '未达标');
const percent = (rate: number | null) => (rate === null ? '' : `${(Math.round(rate * 10000) / 100).toFixed(2)}%`);
const hours = (h: number | null) => (h === null ? '' : String(h));
const certificates = (list: FileCertificateDto[]) =>
  list.map((c) => (c.status === 'VALID' ? c.number : `${c.number}（${c.statusLabel}）`)).join('、');

function facts(f: TeacherFileDto): [string, string][] {
  const t = f.teacher;
  return [
    ['姓名', t.name],
    ['身份证号', t.idNumber],
    ['性别', GENDER[t.gender] ?? ''],
    ['县区', t.countyName],
    ['学校', t.schoolName],
    ['学段', t.stage ?? ''],
    ['学科', t.subject ?? ''],
    ['职称', t.title ?? ''],
  ];
}

const TRAINING_COLUMNS: SheetColumn[] = [
  { header: '序号', width: 6 },
  { header: '年度', width: 7 },
  { header: '培训项目', width: 36 },
  { header: '类别', width: 18 },
  { header: '班级', width: 12 },
  { header: '开始日期', width: 12, text: true },
  { header: '结束日期', width: 12, text: true },
  { header: '状态', width: 10 },
  { header: '出勤学时', width: 10, numFmt: '0.00' },
  { header: '出勤率', width: 10 },
  { header: '结业结果', width: 10 },
  { header: '获得学时', width: 10, numFmt: '0.0' },
  { header: '学时计入年度', width: 12 },
  { header: '证书', width: 28 },
  { header: '考核成绩', width: 30 },
];

/** 一人一档 as .xlsx: 基本信息, 培训记录, 学时统计 (years and cycles), 支教经历, 校外学时. */
export async function teacherFileWorkbook(f: TeacherFileDto): Promise<Buffer> {
  const generated = new Date(f.generatedAt);
  const wb = newWorkbook(generated, `${f.teacher.name} 教师培训档案`);
  const name = f.teacher.name;

  addTableSheet(
    wb,
    '基本信息',
    `${name} 教师培训档案（一人一档）`,
    [
      { header: '项目', width: 16 },
      { header: '内容', width: 48 },
    ],
    [
      ...facts(f),
      ['学时要求', f.requirement.note],
      ['学时周期起始年', String(f.requirement.cycleStartYear)],
      ['生成时间', shanghaiDateTime(generated)],
    ],
  );

  addTableSheet(
    wb,
    '培训记录',
    `${name} 培训记录`,
    TRAINING_COLUMNS,
    f.trainings.map((t, i) => [
      i + 1,
      t.programYear,
      t.programTitle,
      t.programKindLabel,
      t.cohortName ?? '',
      t.startDate ?? '',
      t.endDate ?? '',
      t.statusLabel,
      t.attendedHours,
      percent(t.attendanceRate),
      t.resultLabel ?? '',
      t.creditHours,
      t.creditYear,
      certificates(t.certificates),
      t.scores.map((x) => `${x.name} ${x.score}/${x.maxScore}${x.passed ? '' : '（未及格）'}`).join('；'),
    ]),
  );

  const ws = addTableSheet(
    wb,
    '学时统计',
    `${name} 学时统计`,
    [
      { header: '年度', width: 10 },
      { header: '系统内培训学时', width: 16, numFmt: '0.0' },
      { header: '校外培训学时', width: 14, numFmt: '0.0' },
      { header: '合计学时', width: 12, numFmt: '0.0' },
      { header: '要求学时', width: 10 },
      { header: '差额', width: 10, numFmt: '0.0' },
      { header: '是否达标', width: 18 },
    ],
    f.years.map((y) => [
      y.year,
      y.internalHours,
      y.externalHours,
      y.totalHours,
      y.required,
      y.shortfall,
      yesNo(y.met, y.inProgress),
    ]),
    `${f.requirement.note}。学时计入班级结束日期（校外培训为培训日期）所在年度。`,
  );
  ws.addRow([]);
  ws.addRow(['五年周期', '合计学时', '要求学时', '差额', '是否达标', '达到年度要求的年数']).font = { bold: true };
  for (const c of f.cycles)
    ws.addRow([c.label, c.totalHours, c.required, c.shortfall, yesNo(c.met, c.inProgress), c.yearsMet]);

  addTableSheet(
    wb,
    '支教经历',
    `${name} 人才支持计划选派`,
    [
      { header: '计划', width: 30 },
      { header: '类别', width: 30 },
      { header: '年度', width: 8 },
      { header: '服务期', width: 24 },
      { header: '受援学校', width: 26 },
      { header: '状态', width: 12 },
      { header: '到岗日期', width: 12, text: true },
      { header: '结束日期', width: 12, text: true },
      { header: '考核等次', width: 10 },
      { header: '支教证明', width: 20 },
      { header: '受援县区', width: 14 },
      { header: '在岗天数', width: 10 },
      { header: '农村任教经历', width: 14 },
      { header: '说明', width: 40 },
    ],
    f.placements.map((p) => [
      p.schemeTitle,
      p.schemeKindLabel,
      p.schemeYear,
      `${p.termStart} 至 ${p.termEnd}`,
      p.receivingSchoolName,
      p.statusLabel,
      p.arrivalDate ?? '',
      p.endDate ?? '',
      p.assessment ?? '',
      certificates(p.certificates),
      p.receivingCountyName,
      p.daysServed,
      p.countsAsRuralService ? '计入' : '不计入',
      p.ruralServiceNote,
    ]),
  );

  addTableSheet(
    wb,
    '校外学时',
    `${name} 校外培训学时（导入）`,
    [
      { header: '序号', width: 6 },
      { header: '培训项目名称', width: 36 },
      { header: '主办单位', width: 24 },
      { header: '学时', width: 8, numFmt: '0.0' },
      { header: '培训日期', width: 12, text: true },
      { header: '证书编号', width: 22, text: true },
      { header: '来源', width: 8 },
    ],
    f.externalCredits.map((x, i) => [
      i + 1,
      x.programName,
      x.organiser,
      x.hours,
      x.date,
      x.certificateNumber ?? '',
      '校外',
    ]),
  );
  return workbookBuffer(wb);
}

/** 一人一档 as PDF (A4 portrait), in Noto Serif SC. */
export async function teacherFilePdf(f: TeacherFileDto, fonts: CjkFonts): Promise<Buffer> {
  const generated = new Date(f.generatedAt);
  const pdf = new ReportPdf(fonts, { title: `${f.teacher.name} 教师培训档案`, creationDate: generated });
  pdf.title('教师培训档案（一人一档）', `生成时间：${shanghaiDateTime(generated)}`);
  pdf.facts(facts(f));

  pdf.heading('一、学时统计');
  pdf.paragraph(`${f.requirement.note}。学时计入班级结束日期（校外培训为培训日期）所在年度。`);
  pdf.table(
    [
      { header: '年度', weight: 1, align: 'center' },
      { header: '系统内', weight: 1, align: 'right' },
      { header: '校外', weight: 1, align: 'right' },
      { header: '合计', weight: 1, align: 'right' },
      { header: `要求（${YEARLY_REQUIREMENT}）`, weight: 1.1, align: 'right' },
      { header: '差额', weight: 1, align: 'right' },
      { header: '是否达标', weight: 1.6, align: 'center' },
    ],
    f.years.map((y) => [
      String(y.year),
      String(y.internalHours),
      String(y.externalHours),
      String(y.totalHours),
      String(y.required),
      String(y.shortfall),
      yesNo(y.met, y.inProgress),
    ]),
  );
  pdf.table(
    [
      { header: '五年周期', weight: 1.4, align: 'center' },
      { header: '合计学时', weight: 1, align: 'right' },
      { header: `要求（${CYCLE_REQUIREMENT}）`, weight: 1.1, align: 'right' },
      { header: '差额', weight: 1, align: 'right' },
      { header: '是否达标', weight: 1.6, align: 'center' },
      { header: '年度达标年数', weight: 1.2, align: 'center' },
    ],
    f.cycles.map((c) => [
      c.label,
      String(c.totalHours),
      String(c.required),
      String(c.shortfall),
      yesNo(c.met, c.inProgress),
      String(c.yearsMet),
    ]),
  );

  pdf.heading('二、培训记录');
  pdf.table(
    [
      { header: '年度', weight: 0.7, align: 'center' },
      { header: '培训项目', weight: 3.2 },
      { header: '班级', weight: 1 },
      { header: '起止日期', weight: 2 },
      { header: '状态', weight: 0.9, align: 'center' },
      { header: '出勤率', weight: 1, align: 'right' },
      { header: '学时', weight: 0.7, align: 'right' },
      { header: '证书', weight: 1.8 },
    ],
    f.trainings.map((t) => [
      String(t.programYear),
      t.programTitle,
      t.cohortName ?? '',
      t.startDate ? `${t.startDate}—${t.endDate ?? ''}` : '',
      t.resultLabel ?? t.statusLabel,
      percent(t.attendanceRate),
      hours(t.creditHours),
      certificates(t.certificates),
    ]),
  );

  pdf.heading('三、人才支持计划');
  pdf.table(
    [
      { header: '计划', weight: 2.6 },
      { header: '服务期', weight: 2.2 },
      { header: '受援学校', weight: 2 },
      { header: '状态', weight: 1 },
      { header: '考核', weight: 0.8, align: 'center' },
      { header: '农村任教经历', weight: 1.2, align: 'center' },
      { header: '支教证明', weight: 1.4 },
    ],
    f.placements.map((p) => [
      p.schemeTitle,
      `${p.arrivalDate ?? p.termStart}—${p.endDate ?? p.termEnd}（${p.daysServed} 天）`,
      `${p.receivingCountyName} ${p.receivingSchoolName}`.trim(),
      p.statusLabel,
      p.assessment ?? '',
      p.countsAsRuralService ? '计入' : '不计入',
      certificates(p.certificates),
    ]),
  );
  const counted = f.placements.filter((p) => p.countsAsRuralService);
  if (counted.length)
    pdf.paragraph(
      `注：上表中服务期满且考核合格的支教经历（共 ${counted.reduce((n, p) => n + p.daysServed, 0)} 天）计入城镇教师到乡村任教经历，可用于职称评聘。`,
    );

  pdf.heading('四、校外培训学时（导入）');
  pdf.table(
    [
      { header: '培训日期', weight: 1.2, align: 'center' },
      { header: '培训项目名称', weight: 3 },
      { header: '主办单位', weight: 2 },
      { header: '学时', weight: 0.7, align: 'right' },
      { header: '证书编号', weight: 1.6 },
    ],
    f.externalCredits.map((x) => [x.date, x.programName, x.organiser, String(x.hours), x.certificateNumber ?? '']),
  );
  return pdf.end(`${f.teacher.name} · ${f.teacher.schoolName}`);
}
