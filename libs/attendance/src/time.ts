const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const shanghai = (d: Date) => new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString();

/** 'HH:mm' in Asia/Shanghai (no daylight saving there). */
export function shanghaiTime(d: Date): string {
  return shanghai(d).slice(11, 16);
}

/** 'YYYY-MM-DD' in Asia/Shanghai. */
export function shanghaiDate(d: Date): string {
  return shanghai(d).slice(0, 10);
}

/** '2019年7月15日' in Asia/Shanghai. */
export function shanghaiDateZh(d: Date): string {
  const [y, m, day] = shanghaiDate(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** 'HH:mm' when `d` falls on the same Shanghai day as `ref`, else '7月15日 HH:mm'. */
export function shanghaiWhen(d: Date, ref: Date): string {
  if (shanghaiDate(d) === shanghaiDate(ref)) return shanghaiTime(d);
  const [, m, day] = shanghaiDate(d).split('-').map(Number);
  return `${m}月${day}日 ${shanghaiTime(d)}`;
}

/**
 * A datetime as the driver returns it in a raw row: a Date (mysql2, timezone 'Z') or the
 * 'YYYY-MM-DD HH:mm:ss.SSS' UTC text TypeORM writes to SQLite.
 */
export function dbDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
