import 'reflect-metadata';
import {
  ConfigError,
  dataSourceOptions,
  loadAppConfig,
  migrate,
  openDataSource,
  redactDatabaseUrl,
} from '@shipei/core';
import { ENTITIES, MIGRATIONS } from './database/schema';

/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const ds = await openDataSource(dataSourceOptions({ config, entities: ENTITIES, migrations: MIGRATIONS }));
  try {
    const done = await migrate(ds);
    console.log(
      `${redactDatabaseUrl(config.databaseUrl)}: applied ${done.length} migration(s)${done.map((m) => `\n  ${m.name}`).join('')}`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
