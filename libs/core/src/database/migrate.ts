import type { DataSource, Migration } from 'typeorm';

/**
 * Applies pending migrations. On MySQL several app processes may start together,
 * so the run holds a named lock (GET_LOCK) and the others wait, then find nothing to do.
 */
export async function migrate(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb')
    return dataSource.runMigrations({ transaction: 'each' });
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = await runner.query(`SELECT GET_LOCK('shipei_migrate', 120) AS got`);
    if (Number(row.got) !== 1) throw new Error('Timed out waiting for the migration lock');
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT RELEASE_LOCK('shipei_migrate')`);
    }
  } finally {
    await runner.release();
  }
}

/** SQL statements that would bring the database in line with the entities: empty when there is no drift. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
