import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import {
  addTableSheet,
  contentDisposition,
  newWorkbook,
  streamXlsx,
  TableCell,
  TableColumn,
  workbookBuffer,
  XLSX_MIME,
} from '@shipei/core';

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

/** A fixed date, so the same data always gives the same file. */
const FIXED_DATE = new Date(Date.UTC(2019, 0, 1));

/**
 * One .xlsx workbook: a bold frozen header row, text columns stored as text cells ('@', so
 * 身份证号 and dates stay as written), money as yuan with two decimals.
 */
export async function buildWorkbook(sheets: SheetSpec[], title: string): Promise<Buffer> {
  const wb = newWorkbook(FIXED_DATE, title);
  for (const spec of sheets)
    addTableSheet(
      wb,
      spec.name,
      tableColumns(spec.columns),
      spec.rows.map((r) => inYuan(r, spec.columns)),
    );
  return workbookBuffer(wb);
}

/** The same as one sheet of {@link buildWorkbook}, written while `rows` is read (see streamXlsx). */
export function streamWorkbook(
  name: string,
  columns: SheetColumn[],
  rows: AsyncIterable<TableCell[]>,
  title: string,
): Readable {
  async function* yuanRows() {
    for await (const r of rows) yield inYuan(r, columns);
  }
  return streamXlsx({ name, columns: tableColumns(columns) }, yuanRows(), {
    title,
    date: () => FIXED_DATE,
    label: name,
  });
}

function tableColumns(columns: SheetColumn[]): TableColumn[] {
  return columns.map((c) => ({
    header: c.header,
    width: c.width,
    kind: c.kind === 'text' ? ('text' as const) : ('number' as const),
    numFmt: c.kind === 'money' ? '#,##0.00' : undefined,
  }));
}

/** Money cells are fen, written as yuan. */
function inYuan(row: TableCell[], columns: SheetColumn[]): TableCell[] {
  return row.map((v, i) => (v != null && columns[i]?.kind === 'money' ? Number(v) / 100 : v));
}

/** The HTTP body of an .xlsx download; the Chinese file name goes in RFC 5987 form with an ASCII fallback. */
export function xlsxFile(
  file: { filename: string; body: Buffer } | { filename: string; stream: Readable },
): StreamableFile {
  if ('stream' in file)
    return new StreamableFile(file.stream, { type: XLSX_MIME, disposition: contentDisposition(file.filename) });
  return new StreamableFile(file.body, {
    type: XLSX_MIME,
    length: file.body.length,
    disposition: contentDisposition(file.filename),
  });
}
