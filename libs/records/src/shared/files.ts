import { contentDisposition } from '@shipei/core';

/** Shared helpers of the records exports: MIME types, download names, dates. */

export { safeCellText, XLSX_MIME } from '@shipei/core';
export const PDF_MIME = 'application/pdf';
export const ZIP_MIME = 'application/zip';

/** A file on its way out: bytes or a stream, with its Content-Disposition. */
export interface Download<B> {
  body: B;
  type: string;
  disposition: string;
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachment(asciiName: string, utf8Name: string): string {
  return contentDisposition(safeFileName(utf8Name), 'attachment', asciiName);
}

/**
 * A name usable as a file (or zip entry) name on every system: no path separators, reserved
 * characters or control characters, not starting with a dot, at most `max` characters.
 */
export function safeFileName(name: string, max = 80): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '_');
  const chars = [...cleaned];
  return (chars.length > max ? chars.slice(0, max).join('') : cleaned) || '_';
}

/** A 'date' column as read raw: a string on SQLite, a Date (UTC midnight) from mysql2. */
export function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** A 'datetime' column as read raw: a Date from mysql2, 'YYYY-MM-DD HH:mm:ss.SSS' (UTC) text from SQLite. */
export function dateTimeValue(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

/** A DECIMAL as read raw (a string from mysql2), or null. */
export function decimalValue(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** Rounded to one decimal place (credit hours are kept to 0.1 学时). */
export function round1(n: number): number {
  return Math.round(n * 10 + Number.EPSILON) / 10;
}

export function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
