import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '@shipei/api/database/schema';
import { dataSourceOptions, loadAppConfig, migrate, openDataSource, pendingSchemaChanges } from '@shipei/core';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * Both engines get their schema from the same migrations (TypeORM's Table API, no raw DDL).
 * This suite proves that the migrated schema equals what the entities describe on the
 * engine under test; CI runs it on SQLite and on MariaDB, so both equal the entities.
 */
describe('schema: migrations match the entities', () => {
  let database: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    ds = await openDataSource(dataSourceOptions({ config, entities: ENTITIES, migrations: MIGRATIONS }));
  });
  afterAll(async () => {
    await ds?.destroy();
    await database?.drop();
  });

  it('applies every migration to an empty database, then has nothing pending', async () => {
    const applied = await migrate(ds);
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate(ds)).toEqual([]);
  });

  it('leaves no drift between entities and migrations', async () => {
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });

  it('seeds the city bureau and its 16 county-level units', async () => {
    const rows = await ds.query(`SELECT code, name FROM organisation WHERE type = 'COUNTY' ORDER BY code`);
    expect(rows).toHaveLength(16);
    expect(rows.map((r: { name: string }) => r.name)).toContain('临沂蒙山旅游度假区');
  });

  it('can be rolled back to empty and applied again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM schema_migrations`);
    expect(Number(n)).toBe(0);
    expect((await migrate(ds)).length).toBe(MIGRATIONS.length);
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });
});
