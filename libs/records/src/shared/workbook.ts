import { addTableSheet as addSheet, TableCell, TableColumn } from '@shipei/core';
import type * as ExcelJS from 'exceljs';

export { newWorkbook, workbookBuffer } from '@shipei/core';

export interface SheetColumn extends Omit<TableColumn, 'kind'> {
  /** Stored as text ('@'): 身份证号, numbers and dates stay exactly as written. */
  text?: boolean;
}

export type CellValue = TableCell;

/** One sheet: a bold merged title row, an optional note row, then a bold frozen header and the rows (see the core helper). */
export function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  columns: SheetColumn[],
  rows: CellValue[][],
  note?: string,
): ExcelJS.Worksheet {
  return addSheet(
    wb,
    name,
    columns.map(({ text, ...c }) => ({ ...c, kind: text ? 'text' : undefined })),
    rows,
    { title, note },
  );
}
