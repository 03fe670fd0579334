import * as ExcelJS from 'exceljs';
import { safeCellText } from './files';

export interface SheetColumn {
  header: string;
  width: number;
  /** Stored as text ('@'): 身份证号, numbers and dates stay exactly as written. */
  text?: boolean;
  /** Number format of a numeric column, e.g. '0.0' or '0.00%'. */
  numFmt?: string;
}

export type CellValue = string | number | null;

/** A workbook with the office's metadata and the given timestamps (creation and modification). */
export function newWorkbook(date: Date, title?: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.lastModifiedBy = '师培';
  if (title) wb.title = title;
  wb.created = date;
  wb.modified = date;
  return wb;
}

/**
 * One sheet: a bold merged title row, an optional note row, then a bold frozen header and the rows.
 * Strings are escaped against formula injection; text columns are stored as text.
 */
export function addTableSheet(wb: ExcelJS.Workbook, name: string, title: string, columns: SheetColumn[], rows: CellValue[][], note?: string): ExcelJS.Worksheet {
  const top = note ? 3 : 2;
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: top }] });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.text) col.numFmt = '@';
    else if (c.numFmt) col.numFmt = c.numFmt;
  });
  const last = Math.max(1, columns.length);
  ws.mergeCells(1, 1, 1, last);
  ws.getCell(1, 1).value = safeCellText(title);
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  if (note) {
    ws.mergeCells(2, 1, 2, last);
    ws.getCell(2, 1).value = safeCellText(note);
    ws.getCell(2, 1).alignment = { wrapText: true, vertical: 'top' };
    ws.getRow(2).height = 30;
  }
  const header = ws.getRow(top);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  rows.forEach((r, i) => {
    ws.getRow(top + 1 + i).values = r.map((v, c) => (v == null ? null : typeof v === 'number' && !columns[c]?.text ? v : safeCellText(String(v))));
  });
  return ws;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}
