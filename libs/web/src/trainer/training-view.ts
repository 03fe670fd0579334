import type { AttendanceSource } from '@shipei/attendance';
import { mapError } from '@shipei/core';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { formatDate, formatTime } from '../shared/format';
import type { Flash } from '../shared/session-cookie';

/** How an attendance record came to be, as the trainer reads it. */
export const SOURCE_LABELS: Record<AttendanceSource, string> = {
  SELF: '扫码签到',
  SCAN: '培训教师扫凭证',
  TRAINER: '培训教师标记',
  LEAVE: '请假批准',
  CLOSE: '结束签到时记缺勤',
};

/** 2 → "2", 1.99 → "1.99" (学时 are DECIMAL(5,2)). */
export function hoursText(n: number | string | null | undefined): string {
  const v = Number(n);
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '';
}

/** 0.8 → "80%", 0.8333 → "83.33%". */
export function percentText(rate: number | string | null | undefined): string {
  const v = Number(rate);
  return Number.isFinite(v) ? `${Math.round(v * 10000) / 100}%` : '';
}

/** "2019-07-15 09:00–11:00" in Shanghai time (a session never spans midnight in practice; if it does, both dates show). */
export function sessionWhen(startsAt: string | Date, endsAt: string | Date): string {
  const day = formatDate(startsAt);
  const endDay = formatDate(endsAt);
  return `${day} ${formatTime(startsAt)}–${endDay === day ? '' : `${endDay} `}${formatTime(endsAt)}`;
}

/** The one-line message of a refused action for the next page (a 4xx), or null for our own failures (left to the error page). */
export function refusal(err: unknown): Flash | null {
  const mapped = mapError(err);
  if (mapped.status >= 500 || mapped.status === 401) return null;
  if (mapped.status === 403 && mapped.body.code === 'PASSWORD_CHANGE_REQUIRED') return null;
  return { tone: 'error', text: mapped.body.message };
}

/** Content-Disposition for a PDF shown in the browser's viewer (a new tab), with the Chinese name in RFC 5987 form. */
export function inlineDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.replace(/[\\/:*?"<>|]/g, '_'))}`;
}

/** Sends a PDF to open in a new tab, ready to print (ui.md "Printing"). Personal data: never cached. */
export function sendPdf(reply: FastifyReply, filename: string, body: Buffer | Readable): void {
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', inlineDisposition(filename))
    .header('cache-control', 'no-store')
    .send(body);
}

/** A file name out of a lib's Content-Disposition (filename*=UTF-8''…), or the fallback. */
export function filenameOf(disposition: string, fallback: string): string {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (!m) return fallback;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return fallback;
  }
}

/** A positive integer id from a form or query value, else null. */
export function idOf(value: unknown): number | null {
  const s = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof s === 'string' && /^\d{1,12}$/.test(s) && Number(s) > 0
    ? Number(s)
    : typeof s === 'number' && Number.isSafeInteger(s) && s > 0
      ? s
      : null;
}
