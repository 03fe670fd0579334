import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { BLANK_CELL, ImportColumn, invalidSheet, RowError, SheetCell, SheetLayout, walkSheet } from '@shipei/core';
import { normaliseIdNumber, parseResidentId } from '@shipei/people';

export type { RowError } from '@shipei/core';

/** The keys a sheet row can carry. */
export type CreditKey = 'name' | 'idNumber' | 'programName' | 'organiser' | 'hours' | 'date' | 'certificateNumber';

export interface CreditColumn extends ImportColumn<CreditKey> {
  /** The header as written in the template. */
  label: string;
  /** Other headers offices use for the same column. */
  aliases: string[];
  required: boolean;
  text?: boolean;
  width: number;
  hint: string;
}

/** The import template's columns, in order. */
export const CREDIT_COLUMNS: readonly CreditColumn[] = [
  {
    key: 'name',
    label: '姓名',
    aliases: ['教师姓名'],
    required: false,
    width: 12,
    hint: '选填；填写时须与身份证号登记的教师姓名一致',
  },
  {
    key: 'idNumber',
    label: '身份证号',
    aliases: ['身份证号码', '公民身份号码'],
    required: true,
    text: true,
    width: 22,
    hint: '18 位，须为系统中已登记的教师（县区只能导入本县区教师）；请以文本格式填写',
  },
  {
    key: 'programName',
    label: '培训项目名称',
    aliases: ['培训项目', '项目名称', '培训名称'],
    required: true,
    width: 36,
    hint: '不超过 200 个字',
  },
  {
    key: 'organiser',
    label: '主办单位',
    aliases: ['组织单位', '培训机构', '主办机构', '培训单位'],
    required: true,
    width: 24,
    hint: '不超过 100 个字',
  },
  {
    key: 'hours',
    label: '学时',
    aliases: ['学分', '学时（学分）', '学时(学分)', '培训学时'],
    required: true,
    width: 8,
    hint: '大于 0、不超过 1000 的数，最多一位小数；1 学时 = 1 学分',
  },
  {
    key: 'date',
    label: '培训日期',
    aliases: ['日期', '结业日期', '培训结束日期', '完成日期'],
    required: true,
    width: 14,
    hint: '培训结束的日期，如 2020-10-20；学时计入该日期所在年度；不能晚于今天',
  },
  {
    key: 'certificateNumber',
    label: '证书编号',
    aliases: ['证书号', '结业证书编号'],
    required: false,
    text: true,
    width: 22,
    hint: '选填，不超过 60 个字；同一教师同一证书编号再次导入时更新原记录',
  },
];

export const CREDIT_LABEL: Record<CreditKey, string> = Object.fromEntries(
  CREDIT_COLUMNS.map((c) => [c.key, c.label]),
) as Record<CreditKey, string>;

/** A valid row: who (by 身份证号), what, when, how many hours, and its dedupe key. */
export interface CreditRow {
  row: number;
  name?: string;
  idNumber: string;
  programName: string;
  organiser: string;
  hours: number;
  date: string;
  certificateNumber: string | null;
  /** SHA-256 (hex) of `cert:<证书编号>`, or of `program:<培训项目名称>|<培训日期>` without one. */
  dedupeKey: string;
}

export const MAX_CREDIT_ROWS = 20_000;
const HEADER_SEARCH_ROWS = 20;

const LAYOUT: SheetLayout<CreditKey> = {
  columns: CREDIT_COLUMNS,
  isHeader: (found) => found.has('idNumber') && (found.has('programName') || found.has('hours')),
  headerRows: HEADER_SEARCH_ROWS,
  maxRows: MAX_CREDIT_ROWS,
  tooMany: `单次最多导入 ${MAX_CREDIT_ROWS} 行，请拆分后分批导入`,
  dates: true,
};

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of a real calendar date, or null. */
function isoDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A date cell: a date, an Excel serial number, 20201020, or text like 2020-10-20, 2020/10/20, 2020.10.20, 2020年10月20日. */
export function parseDateCell(c: SheetCell): string | null {
  if (c.kind === 'date') return isoDate(c.d.getUTCFullYear(), c.d.getUTCMonth() + 1, c.d.getUTCDate());
  if (c.kind === 'number') {
    if (Number.isInteger(c.n) && c.n >= 19000101 && c.n <= 21001231)
      return isoDate(Math.floor(c.n / 10000), Math.floor(c.n / 100) % 100, c.n % 100);
    if (Number.isInteger(c.n) && c.n > 0 && c.n < 80000) {
      const d = new Date(Date.UTC(1899, 11, 30) + c.n * 86_400_000);
      return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    }
    return null;
  }
  if (c.kind !== 'text') return null;
  const t = c.text.replace(/\s+/g, '');
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

export function dedupeKeyOf(certificateNumber: string | null, programName: string, date: string): string {
  const identity = certificateNumber ? `cert:${certificateNumber.toUpperCase()}` : `program:${programName}|${date}`;
  return createHash('sha256').update(identity, 'utf8').digest('hex');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Turns the cells of one data row into a credit, or the reasons it cannot be one. */
export function parseCreditRow(
  rowNo: number,
  cells: Partial<Record<CreditKey, SheetCell>>,
  today: string,
): { row?: CreditRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (key: CreditKey, message: string) => {
    errors.push({ row: rowNo, column: CREDIT_LABEL[key], message });
    return undefined;
  };
  const cell = (key: CreditKey): Exclude<SheetCell, { kind: 'bool' }> => {
    const c = cells[key] ?? BLANK_CELL;
    return c.kind === 'bool' ? { kind: 'text', text: c.b ? '是' : '否' } : c;
  };
  const text = (key: CreditKey, max: number, required: boolean): string | undefined => {
    const c = cell(key);
    if (c.kind === 'blank') return required ? fail(key, `${CREDIT_LABEL[key]}不能为空`) : undefined;
    if (c.kind === 'error') return fail(key, `${CREDIT_LABEL[key]}单元格是错误值（如 #N/A），请改为实际内容`);
    if (c.kind === 'date') return fail(key, `${CREDIT_LABEL[key]}应填写文本，不能是日期`);
    if (c.kind === 'number' && !Number.isSafeInteger(c.n) && Number.isInteger(c.n))
      return fail(
        key,
        `${CREDIT_LABEL[key]}被保存为数字，超过 15 位的数字会丢失末尾几位；请将该列设置为文本格式后重新填写`,
      );
    const t = c.kind === 'number' ? String(c.n) : c.text;
    if (CONTROL.test(t)) return fail(key, `${CREDIT_LABEL[key]}含有不允许的字符`);
    if ([...t].length > max) return fail(key, `${CREDIT_LABEL[key]}不能超过 ${max} 个字`);
    return t;
  };

  const name = text('name', 50, false);
  const rawId = text('idNumber', 30, true);
  let idNumber: string | undefined;
  if (rawId !== undefined) {
    idNumber = normaliseIdNumber(rawId);
    if (!parseResidentId(idNumber)) {
      fail('idNumber', '身份证号无效（应为 18 位，末位校验码正确，出生日期有效）');
      idNumber = undefined;
    }
  }
  const programName = text('programName', 200, true);
  const organiser = text('organiser', 100, true);

  let hours: number | undefined;
  const hc = cell('hours');
  if (hc.kind === 'blank') fail('hours', '学时不能为空');
  else {
    const n = hc.kind === 'number' ? hc.n : hc.kind === 'text' && /^\d+(\.\d+)?$/.test(hc.text) ? Number(hc.text) : NaN;
    if (!Number.isFinite(n)) fail('hours', '学时应为数字，如 24 或 12.5');
    else if (n <= 0 || n > 1000) fail('hours', '学时应大于 0 且不超过 1000');
    else if (Math.abs(n * 10 - Math.round(n * 10)) > 1e-9) fail('hours', '学时最多保留一位小数');
    else hours = Math.round(n * 10) / 10;
  }

  let date: string | undefined;
  const dc = cell('date');
  if (dc.kind === 'blank') fail('date', '培训日期不能为空');
  else {
    const d = parseDateCell(dc);
    if (!d) fail('date', '培训日期无效，请填写如 2020-10-20 的日期');
    else if (d < '1990-01-01') fail('date', '培训日期不能早于 1990 年');
    else if (d > today) fail('date', `培训日期不能晚于今天（${today}）`);
    else date = d;
  }

  const certificateNumber = text('certificateNumber', 60, false) ?? null;

  if (errors.length) return { errors };
  return {
    errors,
    row: {
      row: rowNo,
      name,
      idNumber: idNumber!,
      programName: programName!,
      organiser: organiser!,
      hours: hours!,
      date: date!,
      certificateNumber,
      dedupeKey: dedupeKeyOf(certificateNumber, programName!, date!),
    },
  };
}

/**
 * Reads the external-credit sheet from an .xlsx stream (see {@link walkSheet}: streamed, header found
 * by its cells within the first 20 rows, blank rows skipped, rows numbered as Excel shows them;
 * later sheets are ignored). Styles are read so that date cells arrive as dates.
 */
export async function readCreditSheet(
  source: Readable,
  today: string,
): Promise<{ rows: CreditRow[]; errors: RowError[] }> {
  const { rows, errors, header } = await walkSheet(source, LAYOUT, (rowNo, cells) =>
    parseCreditRow(rowNo, cells, today),
  );
  if (!header)
    throw invalidSheet(
      `未找到表头：表格前 ${HEADER_SEARCH_ROWS} 行中须有一行包含「身份证号」「培训项目名称」「主办单位」「学时」「培训日期」等列名（可下载导入模板）`,
    );
  if (!rows.length && !errors.length) throw invalidSheet('表格中没有学时数据');
  return { rows, errors };
}
