import type { EntityManager } from 'typeorm';
import { dialectOf } from './dialect';

/**
 * A datetime parameter of plain SQL, as TypeORM itself stores it: mysql2 takes the Date (the
 * pool's timezone is Z); on SQLite a datetime column holds UTC text 'YYYY-MM-DD HH:mm:ss.SSS',
 * and better-sqlite3 cannot bind a Date at all.
 */
export function sqlDatetime(em: EntityManager, d: Date): Date | string {
  return dialectOf(em) === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
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
