import { addTableSheet, newWorkbook, TableCell, TableColumn, workbookBuffer } from '@shipei/core';

export { contentDisposition, safeCellText, XLSX_MIME } from '@shipei/core';

/** 'text' cells are stored as text ('@'), so 身份证号, numbers and dates stay exactly as written. */
export type SheetColumn = TableColumn & { kind: 'text' | 'number' };

export interface SheetSpec {
  name: string;
  title: string;
  columns: SheetColumn[];
  rows: TableCell[][];
  /** Workbook timestamps: derived from the data, so the same data gives the same file. */
  date: Date;
}

/** One sheet with a bold, frozen header row. */
export async function buildWorkbook(spec: SheetSpec): Promise<Buffer> {
  const wb = newWorkbook(spec.date, spec.title);
  addTableSheet(wb, spec.name, spec.columns, spec.rows);
  return workbookBuffer(wb);
}
