import { PassThrough, Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import { safeCellText, TableCell, TableColumn, tableCell } from './workbook';

/** One streamed sheet: an optional bold merged title row, a bold frozen header row, then the rows. */
export interface StreamSheet {
  name: string;
  columns: readonly TableColumn[];
  title?: string;
}

export interface StreamXlsxOptions {
  /** Workbook title (document properties). */
  title?: string;
  /**
   * Workbook timestamps, asked for once every row is written (so a date derived from the rows,
   * e.g. their latest change, works without holding them). From the data or the Clock.
   */
  date: () => Date;
  /** Names the export in the log line written when it fails. */
  label?: string;
}

/**
 * Sheet bytes not yet taken by the zip compressor may reach this before the rows wait (bytes).
 * With the compressor, the zip and the socket each holding their own small buffers, an export
 * holds about this much plus one batch of rows, whatever its size.
 */
export const XLSX_BACKLOG_LIMIT = 256 << 10;

/** Rows written between two turns of the event loop. */
const YIELD_EVERY = 256;

const logger = new Logger('XlsxExport');

/**
 * An .xlsx download written while its rows are read (exceljs's streaming writer): `rows` is pulled
 * one row at a time, so the caller reads the database in keyset batches or from a cursor and never
 * holds the whole result. Backpressure reaches the rows: when the client reads slowly, the zip
 * compressor's input fills and the next row is pulled only once it has drained. A row that fails
 * (a lost database, a bug) after the first bytes left destroys the stream with the error, so the
 * HTTP response is aborted rather than ended: a client never gets a cut file that looks complete.
 * A client that goes away destroys the stream; the rows are then no longer pulled (the iterator's
 * `return` runs, so a cursor is released).
 */
export function streamXlsx(
  sheet: StreamSheet,
  rows: AsyncIterable<readonly TableCell[]>,
  options: StreamXlsxOptions,
): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    // The zip's own buffer (archiver's default is 1 MB): chunks that wait long are moved to V8's old
    // space, and their memory comes back only at its next full collection.
    zip: { highWaterMark: 64 << 10 } as never,
  });
  wb.creator = '师培';
  wb.lastModifiedBy = '师培';
  if (options.title) wb.title = options.title;
  const write = async () => {
    const ws = startSheet(wb, sheet);
    const sink = compressorInput(ws);
    let n = 0;
    for await (const row of rows) {
      if (out.destroyed) return; // the client went away: stop reading rows
      ws.addRow(row.map((v, i) => tableCell(v, sheet.columns[i]))).commit();
      // Checking every row would cost more than it saves: a row is a few hundred bytes.
      if (++n % 64 === 0) await roomFor(sink, out);
      // A database driver that answers without I/O (better-sqlite3) would otherwise keep the event
      // loop until the backlog fills: let the socket, the compressor and other requests run.
      if (n % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (out.destroyed) return;
    }
    ws.commit();
    const date = options.date();
    wb.created = date;
    wb.modified = date;
    await wb.commit();
  };
  write().catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    // The message only: a database error may quote a statement's values (身份证号).
    logger.error({ err: { message: err.message } }, `${options.label ?? 'xlsx'} export failed`);
    out.destroy(err);
  });
  return out;
}

/** Column widths and formats, the banner and the header; each row committed at once. */
function startSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: StreamSheet): ExcelJS.Worksheet {
  const top = sheet.title ? 2 : 1;
  const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: top }] });
  ws.columns = sheet.columns.map((c) => ({
    width: c.width,
    style: c.kind === 'text' ? { numFmt: '@' } : c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  if (sheet.title) {
    ws.mergeCells(1, 1, 1, Math.max(1, sheet.columns.length));
    const cell = ws.getCell(1, 1);
    cell.value = safeCellText(sheet.title);
    cell.font = { bold: true, size: 14 };
    cell.alignment = { horizontal: 'center' };
    ws.getRow(1).commit();
  }
  const header = ws.getRow(top);
  header.values = sheet.columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.commit();
  return ws;
}

interface Buffered {
  _writableState?: { length: number };
  once(event: 'drain', fn: () => void): unknown;
  off(event: 'drain', fn: () => void): unknown;
}

/**
 * The stream the zip compressor reads the sheet from. exceljs's sheet buffer writes into it without
 * looking at the answer of write(), so its buffer is where a slow client shows: exceljs 4 keeps it
 * as `worksheet.stream.pipes[0]` (a test in stream-export.spec.ts fails if that changes).
 */
function compressorInput(ws: ExcelJS.Worksheet): Buffered | undefined {
  const pipes = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = pipes?.[0] as Buffered | undefined;
  return first && typeof first._writableState?.length === 'number' ? first : undefined;
}

function backlog(sink: Buffered | undefined): number {
  return sink?._writableState?.length ?? 0;
}

/** Waits while the compressor's input holds more than the limit (or until the client is gone). */
async function roomFor(sink: Buffered | undefined, out: PassThrough): Promise<void> {
  while (sink && backlog(sink) > XLSX_BACKLOG_LIMIT && !out.destroyed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sink.off('drain', done);
        out.off('close', done);
        resolve();
      };
      // 'drain' comes when the buffer is empty; the timer re-checks in case it never does.
      const timer = setTimeout(done, 100);
      sink.once('drain', done);
      out.once('close', done);
    });
  }
}

/**
 * Rows read in keyset batches: `next(after)` returns the batch after the given last row (the first
 * batch for `undefined`), in the export's order, at most `size` rows; a shorter batch is the last.
 * `toRows` turns a batch into sheet rows (loading what the batch refers to).
 */
export async function* keysetRows<T, R>(
  size: number,
  next: (after: T | undefined) => Promise<T[]>,
  toRows: (batch: T[]) => Promise<R[]> | R[],
): AsyncGenerator<R> {
  let after: T | undefined;
  for (;;) {
    const batch = await next(after);
    if (batch.length) yield* await toRows(batch);
    if (batch.length < size) return;
    after = batch[batch.length - 1];
  }
}

/** A whole stream as one buffer, for the few callers that need the bytes (e.g. an archive of one cohort). */
export async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
