import { Readable } from 'node:stream';
import { invalidSheet, RowError, SheetCell, SheetLayout, walkSheet } from '@shipei/core';
import { MOBILE, normaliseIdNumber, parseResidentId } from '@shipei/people';

export type { RowError } from '@shipei/core';

/** A row naming a teacher by 身份证号 (preferred) or 手机号. */
export interface NominationRow {
  row: number;
  idNumber?: string;
  phone?: string;
  /** The header of the column that identified the teacher (for later row errors). */
  column: '身份证号' | '手机号';
}

export const MAX_NOMINATION_ROWS = 5000;

const LAYOUT: SheetLayout<'idNumber' | 'phone'> = {
  columns: [
    { key: 'idNumber', label: '身份证号', aliases: ['身份证号码', '公民身份号码', '身份证'] },
    { key: 'phone', label: '手机号', aliases: ['手机号码', '手机', '联系电话'] },
  ],
  isHeader: (found) => found.size > 0,
  // Title rows, notes or merged banners may sit above the header.
  headerRows: 10,
  maxRows: MAX_NOMINATION_ROWS,
  tooMany: `一次最多推荐 ${MAX_NOMINATION_ROWS} 人，请分批导入`,
  dates: true,
};

/** The text of a cell; numbers flagged (a long one has lost digits), a date counts as empty. */
function cellText(c: SheetCell | undefined): { text: string; numeric: boolean } {
  switch (c?.kind) {
    case 'text':
      return { text: c.text, numeric: false };
    case 'number':
      return { text: String(c.n), numeric: true };
    case 'bool':
      return { text: String(c.b), numeric: false };
    case 'error':
      return { text: '#N/A', numeric: false };
    default:
      return { text: '', numeric: false };
  }
}

/**
 * Reads a nomination list (see {@link walkSheet}): a header row (within the first 10 rows) with a
 * 身份证号 and/or 手机号 column, then one teacher per row. Blank rows are skipped. Returns the rows
 * and every problem found (row-level, Chinese); the caller refuses the whole file if there is any.
 */
export async function readNominationSheet(source: Readable): Promise<{ rows: NominationRow[]; errors: RowError[] }> {
  const seen = new Map<string, number>();
  const { rows, errors, header } = await walkSheet(source, LAYOUT, (r, cells) => {
    const id = cellText(cells.idNumber);
    const phone = cellText(cells.phone);
    let parsed: NominationRow;
    if (id.text) {
      const idNumber = normaliseIdNumber(id.text);
      if (id.numeric)
        return {
          errors: [
            {
              row: r,
              column: '身份证号',
              message: '身份证号须为文本格式（数字格式会丢失末几位），请将该列设为文本后重新填写',
            },
          ],
        };
      if (!parseResidentId(idNumber))
        return { errors: [{ row: r, column: '身份证号', message: '身份证号格式或校验码不正确' }] };
      parsed = { row: r, idNumber, column: '身份证号' };
    } else if (phone.text) {
      const p = phone.text.replace(/[\s-]/g, '');
      if (!MOBILE.test(p))
        return { errors: [{ row: r, column: '手机号', message: '手机号应为 11 位，以 13–19 开头' }] };
      parsed = { row: r, phone: p, column: '手机号' };
    } else {
      return { errors: [] };
    }
    const key = parsed.idNumber ?? `p:${parsed.phone}`;
    const first = seen.get(key);
    if (first) return { errors: [{ row: r, column: parsed.column, message: `与第 ${first} 行重复` }] };
    seen.set(key, r);
    return { row: parsed, errors: [] };
  });
  if (!header) {
    const message = '未找到表头：名单须有「身份证号」或「手机号」列';
    throw invalidSheet(message, [{ row: 1, column: '身份证号', message }]);
  }
  if (!rows.length && !errors.length)
    errors.push({
      row: header.row + 1,
      column: header.keys.has('idNumber') ? '身份证号' : '手机号',
      message: '名单中没有教师',
    });
  return { rows, errors };
}
