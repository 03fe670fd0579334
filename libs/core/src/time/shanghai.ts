/**
 * Beijing time (Asia/Shanghai, UTC+8 all year: no daylight saving there) as the program shows it,
 * whatever the server's time zone.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const shanghai = (d: Date) => new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString();

/** 'YYYY-MM-DD' in Asia/Shanghai. */
export function shanghaiDate(d: Date): string {
  return shanghai(d).slice(0, 10);
}

/** 'HH:mm' in Asia/Shanghai. */
export function shanghaiTime(d: Date): string {
  return shanghai(d).slice(11, 16);
}

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai, for Chinese messages. */
export function shanghaiDateTime(d: Date): string {
  return shanghai(d).slice(0, 16).replace('T', ' ');
}

/** The year in Asia/Shanghai. */
export function shanghaiYear(d: Date): number {
  return Number(shanghai(d).slice(0, 4));
}

/** The day of the week in Asia/Shanghai, 0 = Sunday. */
export function shanghaiWeekday(d: Date): number {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).getUTCDay();
}

/**
 * A calendar date (a DATE column, or 'YYYY-MM-DD') in Chinese: '2019-07-15' → '2019年7月15日'. A DATE
 * column arrives as its text on SQLite and as a Date at UTC midnight through mysql2; both read the same.
 * Null or empty → ''.
 */
export function calendarDateZh(day: string | Date | null | undefined): string {
  if (!day) return '';
  const [y, m, d] = (day instanceof Date ? day.toISOString() : String(day)).slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
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
