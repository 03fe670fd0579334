import * as ExcelJS from 'exceljs';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Text that a spreadsheet can never read as a formula: a value starting with = + - @ (or a tab or
 * carriage return, which some programs strip first) gets a leading apostrophe.
 */
export function safeCellText(value: string | null | undefined): string {
  if (value == null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export interface SheetColumn {
  header: string;
  width: number;
  /** 'text' cells are stored as text ('@'), so 身份证号, numbers and dates stay exactly as written. */
  kind: 'text' | 'number';
}

export interface SheetSpec {
  name: string;
  title: string;
  columns: SheetColumn[];
  rows: (string | number | null)[][];
  /** Workbook timestamps: derived from the data, so the same data gives the same file. */
  date: Date;
}

/** One sheet with a bold, frozen header row. */
export async function buildWorkbook(spec: SheetSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.title = spec.title;
  wb.created = spec.date;
  wb.modified = spec.date;
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: c.header, width: c.width, style: c.kind === 'text' ? { numFmt: '@' } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const row of spec.rows) {
    ws.addRow(row.map((v, i) => (v == null ? null : spec.columns[i]?.kind === 'number' ? Number(v) : safeCellText(String(v)))));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Content-Disposition with the Chinese name in RFC 5987 form and an ASCII fallback. */
export function contentDisposition(filename: string, type: 'inline' | 'attachment'): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
