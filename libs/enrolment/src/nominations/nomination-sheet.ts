import * as ExcelJS from 'exceljs';
import { BadInputError } from '@shipei/core';
import { MOBILE, normaliseIdNumber, parseResidentId } from '@shipei/people';

/** One bad cell or row: the Excel row number as the user sees it, the column header, a Chinese message. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** A row naming a teacher by 身份证号 (preferred) or 手机号. */
export interface NominationRow {
  row: number;
  idNumber?: string;
  phone?: string;
  /** The header of the column that identified the teacher (for later row errors). */
  column: '身份证号' | '手机号';
}

export const MAX_NOMINATION_ROWS = 5000;
/** Title rows, notes or merged banners may sit above the header. */
const HEADER_SEARCH_ROWS = 10;
const ID_HEADERS = ['身份证号', '身份证号码', '公民身份号码', '身份证'];
const PHONE_HEADERS = ['手机号', '手机号码', '手机', '联系电话'];

const clean = (s: string) => s.replace(/[\s\u3000\ufeff*＊]/g, '');

/** The text of a cell, whatever way exceljs stored it; numbers flagged (long ones lose digits). */
function cellText(v: unknown): { text: string; numeric: boolean } {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'number') return { text: Number.isSafeInteger(v) ? String(v) : String(v), numeric: true };
  if (typeof v === 'string') return { text: v.trim(), numeric: false };
  if (v instanceof Date) return { text: '', numeric: false };
  if (typeof v === 'object') {
    const o = v as Record<string, any>;
    if (Array.isArray(o.richText)) return { text: o.richText.map((r: { text?: string }) => r.text ?? '').join('').trim(), numeric: false };
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
  }
  return { text: String(v).trim(), numeric: false };
}

/**
 * Reads a nomination list: the first sheet, a header row (within the first rows) with a
 * 身份证号 and/or 手机号 column, then one teacher per row. Blank rows are skipped. Returns
 * the rows and every problem found (row-level, Chinese); the caller refuses the whole file
 * if there is any.
 */
export async function readNominationSheet(content: Buffer): Promise<{ rows: NominationRow[]; errors: RowError[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new BadInputError('NOT_XLSX', '无法读取文件：请上传有效的 .xlsx 文件', { errors: [{ row: 0, column: '', message: '无法读取文件：请上传有效的 .xlsx 文件' }] });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new BadInputError('IMPORT_INVALID', '文件中没有工作表', { errors: [{ row: 0, column: '', message: '文件中没有工作表' }] });

  let headerRow = 0;
  let idCol = 0;
  let phoneCol = 0;
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount); r++) {
    ws.getRow(r).eachCell({ includeEmpty: false }, (cell, col) => {
      const h = clean(cellText(cell.value).text);
      if (!idCol && ID_HEADERS.includes(h)) idCol = col;
      if (!phoneCol && PHONE_HEADERS.includes(h)) phoneCol = col;
    });
    if (idCol || phoneCol) {
      headerRow = r;
      break;
    }
  }
  if (!headerRow) {
    const message = '未找到表头：名单须有「身份证号」或「手机号」列';
    throw new BadInputError('IMPORT_INVALID', message, { errors: [{ row: 1, column: '身份证号', message }] });
  }

  const rows: NominationRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const id = idCol ? cellText(row.getCell(idCol).value) : { text: '', numeric: false };
    const phone = phoneCol ? cellText(row.getCell(phoneCol).value) : { text: '', numeric: false };
    if (!id.text && !phone.text) continue;
    if (rows.length + errors.length >= MAX_NOMINATION_ROWS) {
      errors.push({ row: r, column: idCol ? '身份证号' : '手机号', message: `一次最多推荐 ${MAX_NOMINATION_ROWS} 人，请分批导入` });
      break;
    }
    let parsed: NominationRow | null = null;
    if (id.text) {
      const idNumber = normaliseIdNumber(id.text);
      if (id.numeric) errors.push({ row: r, column: '身份证号', message: '身份证号须为文本格式（数字格式会丢失末几位），请将该列设为文本后重新填写' });
      else if (!parseResidentId(idNumber)) errors.push({ row: r, column: '身份证号', message: '身份证号格式或校验码不正确' });
      else parsed = { row: r, idNumber, column: '身份证号' };
    } else {
      const p = phone.text.replace(/[\s-]/g, '');
      if (!MOBILE.test(p)) errors.push({ row: r, column: '手机号', message: '手机号应为 11 位，以 13–19 开头' });
      else parsed = { row: r, phone: p, column: '手机号' };
    }
    if (!parsed) continue;
    const key = parsed.idNumber ?? `p:${parsed.phone}`;
    const first = seen.get(key);
    if (first) {
      errors.push({ row: r, column: parsed.column, message: `与第 ${first} 行重复` });
      continue;
    }
    seen.set(key, r);
    rows.push(parsed);
  }
  if (!rows.length && !errors.length) {
    const message = '名单中没有教师';
    errors.push({ row: headerRow + 1, column: idCol ? '身份证号' : '手机号', message });
  }
  return { rows, errors };
}
