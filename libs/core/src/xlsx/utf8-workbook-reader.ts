import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as ExcelJS from 'exceljs';

/** Options of exceljs's streaming reader. */
export type WorkbookReaderOptions = ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1];

/** The entry points of exceljs 4.4's streaming reader that turn the bytes of a zip entry into XML text. */
interface ReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
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

/**
 * exceljs's streaming reader, decoding UTF-8 across chunk boundaries. exceljs 4.4 decodes every
 * decompressed chunk on its own (lib/utils/parse-sax.js: `TextDecoder.decode(chunk)` without
 * `{stream: true}`), so a Chinese character split between two chunks became U+FFFD in big sheets.
 * Strings handed to its XML parser are used as they are, so every entry is decoded here first:
 * the small entries (rels, workbook, shared strings, styles) by `setEncoding`, the worksheets
 * (an unzip stream or, when they come before the shared strings, a temporary file) by a decoder.
 * Relies on exceljs's internal method names; the spec next to this file fails if they change.
 */
export class Utf8WorkbookReader extends Base {
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
