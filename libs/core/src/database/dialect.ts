import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * What differs between the two engines, in one place, so services ask what they need ("lock this
 * row", "was that a duplicate?") instead of branching on the engine themselves.
 *
 * SQLite has no row locks: it has one writer, and {@link TransactionRunner} queues write
 * transactions in the process, so a transaction reads current rows anyway. On MySQL a read that
 * a decision rests on must lock (or the decision races a concurrent transaction).
 */
export type Dialect = 'sqlite' | 'mysql';

/** The engine of a DATABASE_URL, a data source, or an entity manager. */
export function dialectOf(source: string | DataSource | EntityManager | { options: DataSource['options'] }): Dialect {
  if (typeof source === 'string') return source.startsWith('sqlite:') ? 'sqlite' : 'mysql';
  const options = 'dataSource' in source ? source.dataSource.options : source.options;
  return options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/** Whether the engine takes row locks (MySQL): callers skip lock-only reads where it does not. */
export function hasRowLocks(em: EntityManager): boolean {
  return dialectOf(em) === 'mysql';
}

/** Locks the rows read for the rest of the transaction (`FOR UPDATE` on MySQL; SQLite is serialised). */
export function lockForUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return dialectOf(qb.dataSource) === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}

/** A shared lock on the rows read (`LOCK IN SHARE MODE` on MySQL; SQLite is serialised). */
export function lockForShare<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return dialectOf(qb.dataSource) === 'mysql' ? qb.setLock('pessimistic_read') : qb;
}

/** The driver's error code (mysql2 `ER_…`, better-sqlite3 `SQLITE_…`), wrapped by TypeORM or not. */
export function driverErrorCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } } | null | undefined;
  return err?.driverError?.code ?? err?.code;
}

export const DUPLICATE_KEY_CODES = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

/** A unique-index (or primary-key) violation, on either engine. */
export function isDuplicateKey(e: unknown): boolean {
  const code = driverErrorCode(e);
  if (code) return DUPLICATE_KEY_CODES.has(code);
  // A raw statement on better-sqlite3 can surface without a code; its message names the constraint.
  return /UNIQUE constraint failed/.test(String((e as Error | undefined)?.message));
}

/** The id of the row an `INSERT` through `queryRunner.query(…, true)` created (its `raw`). */
export function insertId(em: EntityManager, raw: unknown): number {
  return Number(dialectOf(em) === 'sqlite' ? raw : (raw as { insertId: number }).insertId);
}
