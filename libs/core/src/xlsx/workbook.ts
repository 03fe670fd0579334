import * as ExcelJS from 'exceljs';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Text for a spreadsheet cell that can never be read as a formula (formula/CSV injection):
 * a value starting with = + - @ (or a tab or carriage return, which some programs strip first)
 * gets a leading apostrophe.
 */
export function safeCellText(v: string | null | undefined): string {
  if (v == null) return '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Content-Disposition with the UTF-8 name in RFC 5987 form and an ASCII fallback (RFC 6266). */
export function contentDisposition(
  utf8Name: string,
  type: 'inline' | 'attachment' = 'attachment',
  asciiName = utf8Name,
): string {
  const ascii = asciiName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8Name)}`;
}

export interface TableColumn {
  header: string;
  width: number;
  /**
   * 'text': stored as text ('@', so 身份证号, numbers and dates stay exactly as written), every value
   * a string. 'number': every value a number. Unset: numbers stay numbers, anything else is text.
   */
  kind?: 'text' | 'number';
  /** Number format of a numeric column, e.g. '0.0', '0.00%' or '#,##0.00'. */
  numFmt?: string;
}

export type TableCell = string | number | null;

/** A workbook by 师培 with the given timestamps (derived from the data, or fixed, so the same data gives the same file). */
export function newWorkbook(date: Date, title?: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.lastModifiedBy = '师培';
  if (title) wb.title = title;
  wb.created = date;
  wb.modified = date;
  return wb;
}

/** A cell value for a column: strings escaped against formula injection. */
export function tableCell(v: TableCell | undefined, column: TableColumn | undefined): ExcelJS.CellValue {
  if (v == null) return null;
  if (column?.kind === 'number') return Number(v);
  return typeof v === 'number' && column?.kind !== 'text' ? v : safeCellText(String(v));
}

/**
 * One sheet: an optional bold merged title row and note row, then a bold frozen header and the rows.
 * Text columns are stored as text; strings are escaped against formula injection.
 */
export function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: readonly TableColumn[],
  rows: readonly (readonly TableCell[])[],
  banner: { title?: string; note?: string } = {},
): ExcelJS.Worksheet {
  const top = 1 + (banner.title ? 1 : 0) + (banner.note ? 1 : 0);
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: top }] });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.kind === 'text') col.numFmt = '@';
    else if (c.numFmt) col.numFmt = c.numFmt;
  });
  const last = Math.max(1, columns.length);
  let r = 1;
  if (banner.title) {
    ws.mergeCells(r, 1, r, last);
    const cell = ws.getCell(r++, 1);
    cell.value = safeCellText(banner.title);
    cell.font = { bold: true, size: 14 };
    cell.alignment = { horizontal: 'center' };
  }
  if (banner.note) {
    ws.mergeCells(r, 1, r, last);
    const cell = ws.getCell(r, 1);
    cell.value = safeCellText(banner.note);
    cell.alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(r).height = 30;
  }
  const header = ws.getRow(top);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  rows.forEach((row, i) => {
    ws.getRow(top + 1 + i).values = row.map((v, c) => tableCell(v, columns[c]));
  });
  return ws;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}
