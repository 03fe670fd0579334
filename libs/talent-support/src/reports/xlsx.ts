import { StreamableFile } from '@nestjs/common';
import { addTableSheet, contentDisposition, newWorkbook, TableCell, workbookBuffer, XLSX_MIME } from '@shipei/core';

export { XLSX_MIME } from '@shipei/core';

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
  rows: TableCell[][];
}

/**
 * One .xlsx workbook: a bold frozen header row, text columns stored as text cells ('@', so
 * 身份证号 and dates stay as written), money as yuan with two decimals.
 */
export async function buildWorkbook(sheets: SheetSpec[], title: string): Promise<Buffer> {
  // A fixed date, so the same data always gives the same file.
  const wb = newWorkbook(new Date(Date.UTC(2019, 0, 1)), title);
  for (const spec of sheets) {
    const columns = spec.columns.map((c) => ({
      header: c.header,
      width: c.width,
      kind: c.kind === 'text' ? ('text' as const) : ('number' as const),
      numFmt: c.kind === 'money' ? '#,##0.00' : undefined,
    }));
    const rows = spec.rows.map((r) =>
      r.map((v, i) => (v != null && spec.columns[i]?.kind === 'money' ? Number(v) / 100 : v)),
    );
    addTableSheet(wb, spec.name, columns, rows);
  }
  return workbookBuffer(wb);
}

/** The HTTP body of an .xlsx download; the Chinese file name goes in RFC 5987 form with an ASCII fallback. */
export function xlsxFile(file: { filename: string; body: Buffer }): StreamableFile {
  return new StreamableFile(file.body, {
    type: XLSX_MIME,
    length: file.body.length,
    disposition: contentDisposition(file.filename),
  });
}
