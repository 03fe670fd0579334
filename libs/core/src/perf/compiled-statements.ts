import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

let enabled = false;

/**
 * Turns the cache on (applied by `applyPerformancePatches`, for the TypeORM version it was written
 * for). Off, every call builds its SQL through the query builder, as TypeORM alone would: the
 * cache rests on TypeORM producing the same text for the same WHERE shape (`expressionMap.wheres`)
 * and on its hydration methods, which are not a documented API.
 */
export function enableCompiledStatements(on = true): void {
  enabled = on;
}

/**
 * SQL text that TypeORM's query builder produced once, kept by a key that fixes its shape, so a
 * hot read builds a query builder's WHERE list (cheap) but never its SQL again (the expensive
 * part: 80–150 µs a statement here). The text keeps its `:named` parameters; {@link runStatement}
 * binds each call's values.
 */
export class CompiledStatements {
  private readonly texts = new Map<string, string>();

  text(key: string, build: () => string): string {
    if (!enabled) return build();
    let sql = this.texts.get(key);
    if (sql === undefined) this.texts.set(key, (sql = build()));
    return sql;
  }
}

/** A key for the shape of a builder's WHERE list: its conditions' text, not their values. */
export function whereShape(qb: SelectQueryBuilder<ObjectLiteral>): string {
  return qb.expressionMap.wheres
    .map((w) => `${w.type} ${typeof w.condition === 'string' ? w.condition : JSON.stringify(w.condition)}`)
    .join('\n');
}

/** Runs compiled text with this call's named parameters. */
export function runStatement<T = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: ObjectLiteral,
): Promise<T[]> {
  const [text, values] = em.dataSource.driver.escapeQueryWithParameters(sql, params);
  return em.query(text, values);
}

/** A raw row of `SELECT a.col AS a_col, …` as the entity, with the driver's value conversions (as getOne/getMany do). */
export function hydrate<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  row: Record<string, unknown>,
  alias: string,
): T {
  const metadata = em.dataSource.getMetadata(target);
  const driver = em.dataSource.driver;
  const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
  for (const column of metadata.columns) {
    const value = row[`${alias}_${column.databaseName}`];
    if (value !== undefined) column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
  }
  return entity;
}
