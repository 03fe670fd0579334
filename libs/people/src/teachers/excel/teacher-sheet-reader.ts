import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { BadInputError } from '@shipei/core';
import { MOBILE, normaliseIdNumber, parseResidentId } from '../../identity/resident-id';
import { STAGES } from '../../organisations/organisation.entity';
import { TITLES, type BackboneLevel } from '../teacher.entity';
import { BACKBONE_BY_LABEL, BACKBONE_CHOICES, headerKey, IMPORT_COLUMNS, ImportKey, LABEL_OF } from './teacher-columns';

/** One bad cell (or row): the Excel row number as the user sees it, the column header, a Chinese message. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

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
  onProbation?: boolean;
  specialPost?: boolean;
}

export interface SheetReadResult {
  rows: ImportRow[];
  errors: RowError[];
}

/** Resolves the 学校 cell (a school name or code) to a school id of the county, or a Chinese reason. */
export type SchoolResolver = (text: string) => number | { error: string };

export const MAX_IMPORT_ROWS = 50_000;
/** The header must be within this many rows from the top (title rows, notes, merged banners above it). */
const HEADER_SEARCH_ROWS = 20;

type Cell =
  | { kind: 'blank' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; n: number }
  | { kind: 'bool'; b: boolean }
  | { kind: 'date'; d: Date }
  | { kind: 'error' };

const BLANK: Cell = { kind: 'blank' };

/** What an exceljs cell value holds, whatever way it was stored (rich text, formula result, link…). */
export function readCell(v: unknown): Cell {
  if (v === null || v === undefined) return BLANK;
  if (typeof v === 'string') {
    const text = v.replace(/^[\s\u3000\ufeff]+|[\s\u3000]+$/g, '');
    return text ? { kind: 'text', text } : BLANK;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', n: v } : { kind: 'error' };
  if (typeof v === 'boolean') return { kind: 'bool', b: v };
  if (v instanceof Date) return { kind: 'date', d: v };
  if (typeof v === 'object') {
    const o = v as Record<string, any>;
    if (Array.isArray(o.richText)) return readCell(o.richText.map((r: { text?: string }) => r.text ?? '').join(''));
    if ('error' in o) return { kind: 'error' };
    if ('formula' in o || 'sharedFormula' in o) return readCell(o.result);
    if ('text' in o) return readCell(o.text);
  }
  return { kind: 'error' };
}

/** Cell as text; an integer number is exact only up to 2^53 (beyond that digits are already lost). */
function asText(c: Cell): { text: string } | { inexact: true } | null {
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
export function parseRow(rowNo: number, cells: Partial<Record<ImportKey, Cell>>, resolveSchool: SchoolResolver, thisYear: number): { row?: ImportRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (key: ImportKey, message: string) => {
    errors.push({ row: rowNo, column: LABEL_OF[key], message });
    return undefined;
  };
  const cell = (key: ImportKey) => cells[key] ?? BLANK;
  const text = (key: ImportKey): string | undefined => {
    const c = cell(key);
    if (c.kind === 'blank') return undefined;
    if (c.kind === 'error') return fail(key, `${LABEL_OF[key]}单元格是错误值（如 #N/A），请改为实际内容`);
    const t = asText(c);
    if (!t) return fail(key, `${LABEL_OF[key]}应填写文本，不能是日期`);
    if ('inexact' in t) return fail(key, `${LABEL_OF[key]}被保存为数字，超过 15 位的数字会丢失末尾几位；请将该列设置为文本格式，重新填写后再导入`);
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
    else if ([...name].some((ch) => ch.charCodeAt(0) < 32 || ch === '<' || ch === '>')) fail('name', '姓名含有不允许的字符');
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
  if (certNo !== undefined && !/^[A-Za-z0-9]{6,30}$/.test(certNo)) fail('qualificationCertNo', '教师资格证号应为 6–30 位字母或数字');
  const onProbation = yesNo('onProbation');
  const specialPost = yesNo('specialPost');

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
    },
  };
}

const invalid = (message: string, errors: RowError[] = []) => new BadInputError('IMPORT_INVALID', message, { errors });

/**
 * Reads the teacher sheet from an .xlsx stream with exceljs's streaming reader (rows are parsed as
 * they arrive; the workbook is never held in memory). The header row is found by its cells, so
 * title rows and merged banners above it are skipped; blank rows are ignored. Rows are numbered as
 * Excel shows them. Throws IMPORT_INVALID when the file is not a readable teacher sheet.
 */
export async function readTeacherSheet(source: Readable, resolveSchool: SchoolResolver, now = new Date()): Promise<SheetReadResult> {
  const thisYear = Number(now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  let sheets = 0;
  let found = false;
  let dataRows = 0;
  const known = new Map(IMPORT_COLUMNS.map((c) => [headerKey(c.label), c.key]));
  try {
    for await (const worksheet of reader) {
      sheets++;
      let columns: Map<number, ImportKey> | null = null;
      let seen = 0;
      for await (const row of worksheet) {
        seen++;
        if (!columns) {
          if (seen > HEADER_SEARCH_ROWS) continue;
          const header = new Map<number, ImportKey>();
          row.eachCell({ includeEmpty: false }, (c, col) => {
            const v = readCell(c.value);
            const key = v.kind === 'text' ? known.get(headerKey(v.text)) : undefined;
            if (key && ![...header.values()].includes(key)) header.set(col, key);
          });
          if (![...header.values()].includes('name') || ![...header.values()].includes('idNumber')) continue;
          if (found) throw invalid('工作簿中有多个教师信息表，请每次只导入一个工作表');
          const missing = IMPORT_COLUMNS.filter((c) => c.required && ![...header.values()].includes(c.key));
          if (missing.length) throw invalid(`表头缺少必填列：${missing.map((c) => c.label).join('、')}`, missing.map((c) => ({ row: row.number, column: c.label, message: `缺少「${c.label}」列` })));
          columns = header;
          found = true;
          continue;
        }
        const cells: Partial<Record<ImportKey, Cell>> = {};
        let blank = true;
        for (const [col, key] of columns) {
          const v = readCell(row.getCell(col).value);
          if (v.kind !== 'blank') blank = false;
          cells[key] = v;
        }
        if (blank) continue;
        if (++dataRows > MAX_IMPORT_ROWS) throw invalid(`单次最多导入 ${MAX_IMPORT_ROWS} 名教师，请拆分后分批导入`);
        const parsed = parseRow(row.number, cells, resolveSchool, thisYear);
        if (parsed.row) rows.push(parsed.row);
        else errors.push(...parsed.errors);
      }
    }
  } catch (e) {
    if (e instanceof BadInputError) throw e;
    throw new BadInputError('IMPORT_UNREADABLE', '无法读取该文件，请上传 Excel 2007 及以上版本的 .xlsx 文件');
  }
  if (!sheets) throw new BadInputError('IMPORT_UNREADABLE', '无法读取该文件，请上传 Excel 2007 及以上版本的 .xlsx 文件');
  if (!found) throw invalid(`未找到表头：表格前 ${HEADER_SEARCH_ROWS} 行中须有一行包含「姓名」「身份证号」「手机号」「学校」等列名（可下载导入模板）`);
  if (!rows.length && !errors.length) throw invalid('表格中没有教师数据');
  return { rows, errors };
}
