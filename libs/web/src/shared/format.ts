/** Date and number formats of ui.md: YYYY-MM-DD, HH:mm, Asia/Shanghai, ¥20,000.00. */
export const TIME_ZONE = 'Asia/Shanghai';

const DATE_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** 2025-03-01 14:05:09 in Shanghai time. */
export function formatDateTimeSeconds(value: unknown): string {
  const d = toDate(value);
  return d ? DATE_TIME.format(d).replace('T', ' ') : '';
}

/** 2025-03-01 14:05 */
export function formatDateTime(value: unknown): string {
  return formatDateTimeSeconds(value).slice(0, 16);
}

/** 2025-03-01. A 'date' column is already such a string and is kept as it is (no time zone shift). */
export function formatDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return formatDateTimeSeconds(value).slice(0, 10);
}

/** 14:05 */
export function formatTime(value: unknown): string {
  return formatDateTimeSeconds(value).slice(11, 16);
}

/** ¥20,000.00 */
export function formatMoney(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '';
  return `¥${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The instant a Shanghai calendar day starts (for "from"/"to" date filters). */
export function shanghaiDayStart(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 1536 → 1.5 KB; 2 621 440 → 2.5 MB */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
