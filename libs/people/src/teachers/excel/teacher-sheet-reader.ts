import { Readable } from 'node:stream';
import {
  BLANK_CELL,
  invalidSheet,
  RowError,
  RowSink,
  shanghaiYear,
  SheetCell,
  SheetLayout,
  walkSheet,
} from '@shipei/core';
import { MOBILE, normaliseIdNumber, parseResidentId } from '../../identity/resident-id';
import { STAGES } from '../../organisations/organisation.entity';
import { PUTONGHUA_LEVELS, TITLES, type BackboneLevel, type PutonghuaLevel } from '../teacher.entity';
import { BACKBONE_BY_LABEL, BACKBONE_CHOICES, IMPORT_COLUMNS, ImportKey, LABEL_OF } from './teacher-columns';

export type { RowError } from '@shipei/core';

/** A valid sheet row. Optional fields are undefined when the cell is blank (an update then keeps the value). */
export interface ImportRow {
  row: number;
  name: string;
  idNumber: string;
  gender: 'M' | 'F';
  birthDate: string;
  phone: string;
  schoolId: number;
  stage?: string;
  subject?: string;
  title?: string;
  backboneLevel?: BackboneLevel;
  teachingStartYear?: number;
  appraisalsQualified?: boolean;
  qualificationCertNo?: string;
  putonghuaLevel?: PutonghuaLevel;
  onProbation?: boolean;
  specialPost?: boolean;
}

export interface SheetReadResult {
  rows: ImportRow[];
  errors: RowError[];
}

/** Resolves the 学校 cell (a school name or code) to a school id of the county, or a Chinese reason. */
export type SchoolResolver = (text: string) => number | { error: string };

/** 100,000 since the import streams (spec §16: ≤ 10 s and ≤ 100 MB more memory, bench/teacher-import.bench.ts). */
export const MAX_IMPORT_ROWS = 100_000;
/** The header must be within this many rows from the top (title rows, notes, merged banners above it). */
const HEADER_SEARCH_ROWS = 20;

const LAYOUT: SheetLayout<ImportKey> = {
  columns: IMPORT_COLUMNS,
  isHeader: (found) => found.has('name') && found.has('idNumber'),
  headerRows: HEADER_SEARCH_ROWS,
  maxRows: MAX_IMPORT_ROWS,
  tooMany: `单次最多导入 ${MAX_IMPORT_ROWS} 名教师，请拆分后分批导入`,
  otherSheet: '工作簿中有多个教师信息表，请每次只导入一个工作表',
};

/** Cell as text; an integer number is exact only up to 2^53 (beyond that digits are already lost). */
function asText(c: SheetCell): { text: string } | { inexact: true } | null {
  switch (c.kind) {
    case 'text':
      return { text: c.text };
    case 'number':
      if (Number.isSafeInteger(c.n)) return { text: String(c.n) };
      return Number.isInteger(c.n) ? { inexact: true } : { text: String(c.n) };
    case 'bool':
      return { text: c.b ? '是' : '否' };
    default:
      return null;
  }
}

/** Turns the cells of one data row into a teacher, or the reasons it cannot be one. */
export function parseRow(
  rowNo: number,
  cells: Partial<Record<ImportKey, SheetCell>>,
  resolveSchool: SchoolResolver,
  thisYear: number,
): { row?: ImportRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (key: ImportKey, message: string) => {
    errors.push({ row: rowNo, column: LABEL_OF[key], message });
    return undefined;
  };
  const cell = (key: ImportKey) => cells[key] ?? BLANK_CELL;
  const text = (key: ImportKey): string | undefined => {
    const c = cell(key);
    if (c.kind === 'blank') return undefined;
    if (c.kind === 'error') return fail(key, `${LABEL_OF[key]}单元格是错误值（如 #N/A），请改为实际内容`);
    const t = asText(c);
    if (!t) return fail(key, `${LABEL_OF[key]}应填写文本，不能是日期`);
    if ('inexact' in t)
      return fail(
        key,
        `${LABEL_OF[key]}被保存为数字，超过 15 位的数字会丢失末尾几位；请将该列设置为文本格式，重新填写后再导入`,
      );
    return t.text;
  };
  const required = (key: ImportKey): string | undefined => {
    const c = cell(key);
    if (c.kind === 'blank') return fail(key, `${LABEL_OF[key]}不能为空`);
    return text(key);
  };
  const oneOf = (key: ImportKey, allowed: readonly string[]): string | undefined => {
    const v = text(key);
    if (v === undefined) return undefined;
    if (!allowed.includes(v)) return fail(key, `${LABEL_OF[key]}须为 ${allowed.join('/')} 之一`);
    return v;
  };
  const yesNo = (key: ImportKey): boolean | undefined => {
    const c = cell(key);
    if (c.kind === 'bool') return c.b;
    const v = text(key);
    if (v === undefined) return undefined;
    if (v === '是') return true;
    if (v === '否') return false;
    return fail(key, `${LABEL_OF[key]}须填写 是 或 否`);
  };

  const name = required('name');
  if (name !== undefined) {
    if ([...name].length < 2 || [...name].length > 50) fail('name', '姓名应为 2–50 个字');
    else if ([...name].some((ch) => ch.charCodeAt(0) < 32 || ch === '<' || ch === '>'))
      fail('name', '姓名含有不允许的字符');
  }

  const rawId = required('idNumber');
  let info: ReturnType<typeof parseResidentId> = null;
  let idNumber: string | undefined;
  if (rawId !== undefined) {
    idNumber = normaliseIdNumber(rawId);
    info = parseResidentId(idNumber);
    if (!info) fail('idNumber', '身份证号无效（应为 18 位，末位校验码正确，出生日期有效）');
  }

  const rawPhone = required('phone');
  const phone = rawPhone?.replace(/[\s-]/g, '');
  if (phone !== undefined && !MOBILE.test(phone)) fail('phone', '手机号应为 11 位，以 13–19 开头');

  const schoolText = required('school');
  const school = schoolText !== undefined ? resolveSchool(schoolText) : undefined;
  if (typeof school === 'object') fail('school', school.error);
  const schoolId = typeof school === 'number' ? school : undefined;

  const stage = oneOf('stage', STAGES);
  const subject = text('subject');
  if (subject !== undefined && [...subject].length > 30) fail('subject', '学科不能超过 30 个字');
  const title = oneOf('title', TITLES);
  const backbone = oneOf('backboneLevel', BACKBONE_CHOICES);

  let teachingStartYear: number | undefined;
  const yc = cell('teachingStartYear');
  if (yc.kind === 'date') teachingStartYear = yc.d.getUTCFullYear();
  else {
    const y = text('teachingStartYear');
    if (y !== undefined) {
      if (/^\d{4}(\.0+)?$/.test(y)) teachingStartYear = Number.parseInt(y, 10);
      else fail('teachingStartYear', '开始任教年份应为四位年份，如 2008');
    }
  }
  if (teachingStartYear !== undefined && (teachingStartYear < 1950 || teachingStartYear > thisYear)) {
    fail('teachingStartYear', `开始任教年份应在 1950 至 ${thisYear} 之间`);
  }

  const appraisalsQualified = yesNo('appraisalsQualified');
  const certNo = text('qualificationCertNo');
  if (certNo !== undefined && !/^[A-Za-z0-9]{6,30}$/.test(certNo))
    fail('qualificationCertNo', '教师资格证号应为 6–30 位字母或数字');
  const onProbation = yesNo('onProbation');
  const specialPost = yesNo('specialPost');
  const putonghuaLevel = oneOf('putonghuaLevel', PUTONGHUA_LEVELS) as PutonghuaLevel | undefined;

  if (errors.length) return { errors };
  return {
    errors,
    row: {
      row: rowNo,
      name: name!,
      idNumber: idNumber!,
      gender: info!.gender,
      birthDate: info!.birthDate,
      phone: phone!,
      schoolId: schoolId!,
      stage,
      subject,
      title,
      backboneLevel: backbone === undefined ? undefined : BACKBONE_BY_LABEL[backbone],
      teachingStartYear,
      appraisalsQualified,
      qualificationCertNo: certNo,
      onProbation,
      specialPost,
      putonghuaLevel,
    },
  };
}

/**
 * Reads the teacher sheet from an .xlsx stream (see {@link walkSheet}: streamed, header found by its
 * cells, blank rows skipped, rows numbered as Excel shows them). Throws IMPORT_INVALID when the file
 * is not a readable teacher sheet. With a `sink`, rows and row errors go to it as they are read and the
 * result's lists stay empty (see {@link walkSheet}).
 */
export async function readTeacherSheet(
  source: Readable,
  resolveSchool: SchoolResolver,
  now: Date,
  sink?: RowSink<ImportRow>,
): Promise<SheetReadResult> {
  const thisYear = shanghaiYear(now);
  let badRows = 0;
  const counted: RowSink<ImportRow> | undefined =
    sink &&
    ((parsed) => {
      if (parsed.errors.length) badRows++;
      return sink(parsed);
    });
  const { rows, accepted, errors, header } = await walkSheet(
    source,
    LAYOUT,
    (rowNo, cells) => parseRow(rowNo, cells, resolveSchool, thisYear),
    counted,
  );
  if (!header)
    throw invalidSheet(
      `未找到表头：表格前 ${HEADER_SEARCH_ROWS} 行中须有一行包含「姓名」「身份证号」「手机号」「学校」等列名（可下载导入模板）`,
    );
  if (!accepted && !errors.length && !badRows) throw invalidSheet('表格中没有教师数据');
  return { rows, errors };
}
