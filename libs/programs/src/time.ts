const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (no DST there), for Chinese messages. */
export function shanghaiDateTime(d: Date): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The calendar date 'YYYY-MM-DD' in Asia/Shanghai. */
export function shanghaiDate(d: Date = new Date()): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
