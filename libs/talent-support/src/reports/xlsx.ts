import { StreamableFile } from '@nestjs/common';
import * as ExcelJS from 'exceljs';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Text for a spreadsheet cell that can never be read as a formula (CSV/formula injection):
 * a value starting with = + - @ (or a tab / carriage return) gets a leading apostrophe.
 */
export function safeText(v: string | null | undefined): string {
  if (v == null) return '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export type ColumnKind = 'text' | 'int' | 'money';

export interface SheetColumn {
  header: string;
  width: number;
  kind: ColumnKind;
}

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  /** Text cells are strings; money cells are fen (integers), written as yuan with two decimals. */
  rows: (string | number | null)[][];
}

/**
 * One .xlsx workbook: a bold frozen header row, text columns stored as text cells ('@', so
 * 身份证号 and dates stay as written), money as yuan with two decimals.
 */
export async function buildWorkbook(sheets: SheetSpec[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '师培';
  wb.title = title;
  // A fixed date, so the same data always gives the same file.
  wb.created = new Date(Date.UTC(2019, 0, 1));
  wb.modified = wb.created;
  for (const spec of sheets) {
    const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c.header, width: c.width, style: c.kind === 'text' ? { numFmt: '@' } : c.kind === 'money' ? { numFmt: '#,##0.00' } : {} }));
    ws.getRow(1).font = { bold: true };
    for (const r of spec.rows) {
      ws.addRow(
        r.map((v, i) => {
          const kind = spec.columns[i]?.kind ?? 'text';
          if (v == null) return null;
          if (kind === 'money') return Number(v) / 100;
          if (kind === 'int') return Number(v);
          return safeText(String(v));
        }),
      );
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The HTTP body of an .xlsx download; the Chinese file name goes in RFC 5987 form with an ASCII fallback. */
export function xlsxFile(file: { filename: string; body: Buffer }): StreamableFile {
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new StreamableFile(file.body, {
    type: XLSX_MIME,
    length: file.body.length,
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
  });
}
