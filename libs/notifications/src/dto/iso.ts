/** A datetime read by plain SQL as ISO text: mysql2 gives a Date, SQLite the stored UTC text. */
export const iso = (d: Date | string | null): string | null =>
  d == null ? null : new Date(typeof d === 'string' && !d.includes('T') ? `${d.replace(' ', 'T')}Z` : d).toISOString();
