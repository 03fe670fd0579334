import type { EntityManager } from 'typeorm';

/**
 * A datetime parameter of plain SQL, as TypeORM itself stores it: mysql2 takes the Date (the
 * pool's timezone is Z); on SQLite a datetime column holds UTC text 'YYYY-MM-DD HH:mm:ss.SSS',
 * and better-sqlite3 cannot bind a Date at all.
 */
export function sqlDatetime(em: EntityManager, d: Date): Date | string {
  return em.dataSource.options.type === 'better-sqlite3' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}
