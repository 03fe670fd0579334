import { Readable } from 'node:stream';
import { BadInputError, DomainError } from '../errors/domain-error';
import { uploadTooLarge } from './upload';
import { Utf8WorkbookReader } from './utf8-workbook-reader';

/** One bad cell (or row): the Excel row number as the user sees it, the column header, a Chinese message. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** What a cell holds, whatever way exceljs stored it. */
export type SheetCell =
  | { kind: 'blank' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; n: number }
  | { kind: 'bool'; b: boolean }
  | { kind: 'date'; d: Date }
  | { kind: 'error' };

export const BLANK_CELL: SheetCell = { kind: 'blank' };

/** An exceljs cell value as a {@link SheetCell}: rich text, formula results and links as their text; text trimmed. */
export function readCell(v: unknown): SheetCell {
  if (v === null || v === undefined) return BLANK_CELL;
  if (typeof v === 'string') {
    const text = v.replace(/^[\s\u3000\ufeff]+|[\s\u3000]+$/g, '');
    return text ? { kind: 'text', text } : BLANK_CELL;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', n: v } : { kind: 'error' };
  if (typeof v === 'boolean') return { kind: 'bool', b: v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { kind: 'error' } : { kind: 'date', d: v };
  if (typeof v === 'object') {
    const o = v as Record<string, any>;
    if (Array.isArray(o.richText)) return readCell(o.richText.map((r: { text?: string }) => r.text ?? '').join(''));
    if ('error' in o) return { kind: 'error' };
    if ('formula' in o || 'sharedFormula' in o) return readCell(o.result);
    if ('text' in o) return readCell(o.text);
  }
  return { kind: 'error' };
}

/** A header cell's text, compared without spaces, required-markers (*) or "(必填)" / "(选填)". */
export function headerKey(text: string): string {
  return text.replace(/[\s\u3000\ufeff*＊]/g, '').replace(/[（(](必填|选填)[)）]/g, '');
}

/** A column an import reads, found by its header (the label or one of the aliases). */
export interface ImportColumn<K extends string> {
  key: K;
  label: string;
  aliases?: readonly string[];
  required?: boolean;
}

/** How an import's sheet is laid out. */
export interface SheetLayout<K extends string> {
  columns: readonly ImportColumn<K>[];
  /** Whether the columns found in a row make it the header (title rows and notes above it are skipped). */
  isHeader(found: ReadonlySet<K>): boolean;
  /** The header must be within the first this-many rows of a sheet. */
  headerRows: number;
  /** Non-blank data rows allowed; one more refuses the file with `tooMany`. */
  maxRows: number;
  tooMany: string;
  /** Set: a second sheet with a header refuses the file with this message. Unset: later sheets are ignored. */
  otherSheet?: string;
  /** Read the styles, so that date cells arrive as dates (otherwise as serial numbers). */
  dates?: boolean;
}

export interface SheetWalk<K extends string, R> {
  /** The valid rows; empty when a `sink` took them (see {@link walkSheet}). */
  rows: R[];
  /** How many valid rows there were. */
  accepted: number;
  errors: RowError[];
  /** The header: its row and the columns it has; null when no sheet has one. */
  header: { row: number; keys: ReadonlySet<K> } | null;
}

/** A data row as parsed: the value, or the reasons it is not one (neither: the row is passed over). */
export type ParsedRow<R> = { row?: R; errors: RowError[] };

export const invalidSheet = (message: string, errors: RowError[] = []) =>
  new BadInputError('IMPORT_INVALID', message, { errors });
const unreadable = () =>
  new BadInputError('IMPORT_UNREADABLE', '无法读取该文件，请上传 Excel 2007 及以上版本的 .xlsx 文件');
const tooLarge = uploadTooLarge;

/**
 * Imports one process runs at a time. Each holds its shared strings and a batch of rows in memory
 * and keeps a core busy; beyond this a request is refused at once (503) rather than queued.
 */
export const MAX_CONCURRENT_IMPORTS = 2;
let runningImports = 0;
const importsBusy = () =>
  new DomainError(503, 'IMPORT_BUSY', `同时进行的导入已达 ${MAX_CONCURRENT_IMPORTS} 个，请稍后再试`);

/** Reads the rest of an upload (unread, or read in part), so the request completes. */
export function drainUpload(source: Readable): void {
  if (!source.readableEnded) {
    source.unpipe();
    source.resume();
  }
}

/**
 * Walks the sheet of an .xlsx import row by row with exceljs's streaming reader (the workbook is
 * never held in memory; UTF-8 is decoded across chunk boundaries). The header is the first row,
 * within `headerRows` of the top, whose cells name columns that `isHeader` accepts (title rows and
 * merged banners above it are skipped); a missing required column refuses the file with one error
 * per column. Blank rows are skipped; every other row goes to `parseRow` with its cells by key and
 * its number as Excel shows it. The upload is read to its end whatever happens.
 * Throws IMPORT_UNREADABLE (not an .xlsx), IMPORT_INVALID (layout), IMPORT_TOO_LARGE (unzips too big: a
 * zip bomb), 413 FILE_TOO_LARGE (truncated upload) or 503 IMPORT_BUSY ({@link MAX_CONCURRENT_IMPORTS}).
 *
 * With a `sink`, each valid row and each row's errors go to it as they are read (awaited: the walk
 * waits for a slow sink), and nothing is kept: a 100,000-row import streams in flat memory.
 */
export async function walkSheet<K extends string, R>(
  source: Readable,
  layout: SheetLayout<K>,
  parseRow: (row: number, cells: Partial<Record<K, SheetCell>>) => ParsedRow<R>,
  sink?: RowSink<R>,
): Promise<SheetWalk<K, R>> {
  let release: () => void;
  try {
    release = takeImportSlot();
  } catch (e) {
    drainUpload(source);
    throw e;
  }
  try {
    return await walk(source, layout, parseRow, sink);
  } finally {
    release();
  }
}

/**
 * One of this thread's {@link MAX_CONCURRENT_IMPORTS} import slots, or 503 IMPORT_BUSY. An import that
 * parses in a worker thread takes its slot on the main thread (each worker counts only its own).
 */
export function takeImportSlot(): () => void {
  if (runningImports >= MAX_CONCURRENT_IMPORTS) throw importsBusy();
  runningImports++;
  let released = false;
  return () => {
    if (!released) runningImports--;
    released = true;
  };
}

/** Takes the rows of a walk as they come (see {@link walkSheet}). */
export type RowSink<R> = (parsed: ParsedRow<R>) => void | Promise<void>;

async function walk<K extends string, R>(
  source: Readable,
  layout: SheetLayout<K>,
  parseRow: (row: number, cells: Partial<Record<K, SheetCell>>) => ParsedRow<R>,
  sink?: RowSink<R>,
): Promise<SheetWalk<K, R>> {
  const headers = new Map<string, K>(
    layout.columns.flatMap((c) => [c.label, ...(c.aliases ?? [])].map((h) => [headerKey(h), c.key] as [string, K])),
  );
  const reader = new Utf8WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: layout.dates ? 'cache' : 'ignore',
    entries: 'ignore',
  });
  const result: SheetWalk<K, R> = { rows: [], accepted: 0, errors: [], header: null };
  const truncated = () => (source as { truncated?: boolean }).truncated === true;
  let sheets = 0;
  let dataRows = 0;
  try {
    for await (const worksheet of reader) {
      sheets++;
      let columns: Map<number, K> | null = null;
      for await (const row of worksheet) {
        if (!columns) {
          if (row.number > layout.headerRows || (result.header && !layout.otherSheet)) continue;
          const header = new Map<number, K>();
          row.eachCell({ includeEmpty: false }, (c, col) => {
            const v = readCell(c.value);
            const key = v.kind === 'text' ? headers.get(headerKey(v.text)) : undefined;
            if (key && ![...header.values()].includes(key)) header.set(col, key);
          });
          const found = new Set(header.values());
          if (!layout.isHeader(found)) continue;
          if (result.header) throw invalidSheet(layout.otherSheet!);
          const missing = layout.columns.filter((c) => c.required && !found.has(c.key));
          if (missing.length)
            throw invalidSheet(
              `表头缺少必填列：${missing.map((c) => c.label).join('、')}`,
              missing.map((c) => ({ row: row.number, column: c.label, message: `缺少「${c.label}」列` })),
            );
          columns = header;
          result.header = { row: row.number, keys: found };
          continue;
        }
        const cells: Partial<Record<K, SheetCell>> = {};
        let blank = true;
        for (const [col, key] of columns) {
          const v = readCell(row.getCell(col).value);
          if (v.kind !== 'blank') blank = false;
          cells[key] = v;
        }
        if (blank) continue;
        if (++dataRows > layout.maxRows) throw invalidSheet(layout.tooMany);
        const parsed = parseRow(row.number, cells);
        if (parsed.row !== undefined) result.accepted++;
        if (sink) await sink(parsed);
        else if (parsed.row !== undefined) result.rows.push(parsed.row);
        else result.errors.push(...parsed.errors);
      }
    }
  } catch (e) {
    if (truncated()) throw tooLarge();
    if (e instanceof BadInputError) throw e;
    throw unreadable();
  } finally {
    drainUpload(source);
  }
  if (truncated()) throw tooLarge();
  if (!sheets) throw unreadable();
  return result;
}
