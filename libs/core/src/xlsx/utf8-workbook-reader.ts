import * as fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as ExcelJS from 'exceljs';
import { InflateGuard, tooBig, UNZIP_LIMITS, UnzipBudget } from './inflate-guard';

// exceljs's own dependencies, for the copy of its parse loop below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const unzip = require('unzipper');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tmp = require('tmp');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const iterateStream: (s: Readable) => AsyncIterable<Buffer> = require('exceljs/lib/utils/iterate-stream');

/** Options of exceljs's streaming reader. */
export type WorkbookReaderOptions = ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1];

type ParseEvent = { eventType: string; value: unknown };

/** The entry points of exceljs 4.4's streaming reader that turn the bytes of a zip entry into XML text. */
interface ReaderInternals {
  input: Readable;
  sharedStrings?: unknown[];
  workbookRels?: unknown;
  _getStream(input: Readable): Readable;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<ParseEvent>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<ParseEvent>;
  _parseHyperlinks(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<ParseEvent>;
}

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: Readable,
  options?: WorkbookReaderOptions,
) => ReaderInternals & AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>;

/** UTF-8 text of a byte stream, chunk by chunk, a character split between two chunks kept whole. */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)[.]xml$/;
const HYPERLINKS = /^xl\/worksheets\/_rels\/sheet(\d+)[.]xml[.]rels$/;

/**
 * exceljs's streaming reader, with two changes.
 *
 * UTF-8 across chunk boundaries: exceljs 4.4 decodes every decompressed chunk on its own
 * (lib/utils/parse-sax.js: `TextDecoder.decode(chunk)` without `{stream: true}`), so a Chinese
 * character split between two chunks became U+FFFD in big sheets. Every entry is decoded here first.
 *
 * Bounded unzipping: `parse` is exceljs's loop (lib/stream/xlsx/workbook-reader.js) with every entry
 * passed through an {@link InflateGuard}, worksheets written to a temporary file included, and the
 * upload's own bytes counted for the compression ratio; the shared strings have a lower size limit
 * and a cap on their number. Relies on exceljs's internal method names; the spec next to this file
 * fails if they change.
 */
export class Utf8WorkbookReader extends Base {
  private readonly budget = new UnzipBudget();

  async *parse(): AsyncGenerator<ParseEvent> {
    const counted = new PassThrough();
    const source = this._getStream(this.input);
    source.on('data', (c: Buffer) => (this.budget.compressed += c.length));
    source.pipe(counted);
    const zip = unzip.Parse({ forceStream: true });
    counted.pipe(zip);
    const waiting: { sheetNo: string; path: string; cleanup: () => void }[] = [];
    for await (const raw of iterateStream(zip) as AsyncIterable<any>) {
      const path: string = raw.path;
      const guarded = (limit = UNZIP_LIMITS.partBytes, check?: () => void): Readable => {
        const guard = new InflateGuard(this.budget, limit, check);
        raw.on('error', (e: Error) => guard.destroy(e));
        return raw.pipe(guard);
      };
      refuseDeclared(
        raw.vars,
        path === 'xl/sharedStrings.xml' ? UNZIP_LIMITS.sharedStringsBytes : UNZIP_LIMITS.partBytes,
      );
      let m: RegExpMatchArray | null;
      if (path === 'xl/_rels/workbook.xml.rels') await this._parseRels(guarded());
      else if (path === 'xl/workbook.xml') await this._parseWorkbook(guarded());
      else if (path === 'xl/sharedStrings.xml')
        yield* this._parseSharedStrings(
          guarded(UNZIP_LIMITS.sharedStringsBytes, () => {
            if ((this.sharedStrings?.length ?? 0) > UNZIP_LIMITS.sharedStrings) throw tooBig('共享字符串过多');
          }),
        );
      else if (path === 'xl/styles.xml') await this._parseStyles(guarded());
      else if ((m = path.match(WORKSHEET))) {
        if (this.sharedStrings && this.workbookRels) yield* this._parseWorksheet(iterateStream(guarded()), m[1]);
        else waiting.push({ sheetNo: m[1], ...(await toTempFile(guarded())) });
      } else if ((m = path.match(HYPERLINKS))) yield* this._parseHyperlinks(iterateStream(guarded()), m[1]);
      else {
        // Parts nobody reads are still inflated by the unzip: counted like the rest.
        await drainCounted(guarded());
        continue;
      }
      raw.autodrain();
    }
    for (const { sheetNo, path, cleanup } of waiting) {
      yield* this._parseWorksheet(fs.createReadStream(path), sheetNo);
      cleanup();
    }
  }

  override _parseRels(entry: Readable) {
    return super._parseRels(entry.setEncoding('utf8'));
  }

  override _parseWorkbook(entry: Readable) {
    return super._parseWorkbook(entry.setEncoding('utf8'));
  }

  override _parseSharedStrings(entry: Readable) {
    return super._parseSharedStrings(entry.setEncoding('utf8'));
  }

  override _parseStyles(entry: Readable) {
    return super._parseStyles(entry.setEncoding('utf8'));
  }

  override _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string) {
    return super._parseWorksheet(utf8Text(chunks), sheetNo);
  }
}

/**
 * Refuses a part by the sizes its local header declares, before inflating a byte: a bomb that tells
 * the truth costs nothing. One that lies (or defers its sizes to a data descriptor) is stopped by the
 * {@link InflateGuard} counting what really comes out.
 */
function refuseDeclared(
  vars: { flags?: number; compressedSize?: number; uncompressedSize?: number } | undefined,
  limit: number,
): void {
  if (!vars || vars.flags! & 0x08) return;
  const size = Number(vars.uncompressedSize) || 0;
  const packed = Math.max(1, Number(vars.compressedSize) || 0);
  if (size > limit) throw tooBig(`单个部件超过 ${limit >> 20} MB`);
  if (size > UNZIP_LIMITS.ratioFloorBytes && size > UNZIP_LIMITS.ratio * packed)
    throw tooBig(`压缩比超过 ${UNZIP_LIMITS.ratio} 倍`);
}

/** Writes a worksheet that came before the shared strings to a temporary file, as exceljs does. */
function toTempFile(entry: Readable): Promise<{ path: string; cleanup: () => void }> {
  return new Promise((resolve, reject) => {
    tmp.file((err: Error | null, path: string, _fd: number, cleanup: () => void) => {
      if (err) return reject(err);
      const out = fs.createWriteStream(path);
      const fail = (e: Error) => {
        out.destroy();
        cleanup();
        reject(e);
      };
      entry.on('error', fail);
      out.on('error', fail);
      out.on('finish', () => resolve({ path, cleanup }));
      entry.pipe(out);
    });
  });
}

async function drainCounted(entry: Readable): Promise<void> {
  for await (const _ of entry);
}
