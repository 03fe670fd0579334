import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { AccessKind, AccessMode, AccessPolicy, Actor, connectionOptions, Role, ROLES } from '@shipei/core';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppModule } from './app.module';
import { ENTITIES } from './database/schema';

/**
 * The committed snapshot of every access kind's compiled scope (`__snapshots__/access-scopes.spec.ts.snap`):
 * for each kind, role and mode, the WHERE clause the access policy adds, as TypeORM compiles it for
 * SQLite and for MySQL/MariaDB, with its bound parameters. A change to who may see what shows up in review as a
 * change of this file; the test fails until the snapshot is updated (`npx jest apps/api/src/access-scopes -u`),
 * and CI runs jest with `--ci`, which never writes a snapshot. No database is opened: TypeORM only compiles.
 */

const LIBS = join(__dirname, '..', '..', '..', 'libs');

/** The access classes: the providers named `*Access` of the domain modules the app imports. */
function accessClasses(): (new (policy: AccessPolicy) => { onModuleInit(): void })[] {
  const root = AppModule.forRoot({} as never);
  const modules = (root.imports ?? []) as object[];
  return modules
    .flatMap((m) => (Reflect.getMetadata(MODULE_METADATA.PROVIDERS, m) ?? []) as unknown[])
    .filter((p): p is new (policy: AccessPolicy) => { onModuleInit(): void } => typeof p === 'function')
    .filter((p) => p.name.endsWith('Access'));
}

/** Every kind declared in a lib (`accessKind('…')` in its `*.access.ts`), read from the source. */
function declaredKinds(): string[] {
  const kinds: string[] = [];
  for (const lib of readdirSync(LIBS)) {
    const src = join(LIBS, lib, 'src');
    for (const file of readdirSync(src).filter((f) => f.endsWith('.access.ts'))) {
      for (const m of readFileSync(join(src, file), 'utf8').matchAll(/accessKind\('([^']+)'\)/g)) kinds.push(m[1]);
    }
  }
  return kinds.sort();
}

const ACTORS: Record<Role, Actor> = {
  CITY_ADMIN: { userId: 1, role: 'CITY_ADMIN', organisationId: 1, countyId: null, teacherId: null },
  COUNTY_ADMIN: { userId: 2, role: 'COUNTY_ADMIN', organisationId: 20, countyId: 20, teacherId: null },
  TRAINER: { userId: 3, role: 'TRAINER', organisationId: 30, countyId: null, teacherId: null },
  TEACHER: { userId: 4, role: 'TEACHER', organisationId: 40, countyId: 20, teacherId: 400 },
};

async function compiler(options: DataSourceOptions): Promise<DataSource> {
  const ds = new DataSource({ ...options, entities: ENTITIES } as DataSourceOptions);
  // The entity metadata, without connecting (initialize() would open the database).
  await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return ds;
}

/** The WHERE clause of the scoped query (everything after the first WHERE), or 'all rows'. */
function scopeOf(ds: DataSource, policy: AccessPolicy, kind: AccessKind, actor: Actor, mode: AccessMode) {
  const [sql, params] = policy.query(ds.manager, actor, kind, 'x', mode).getQueryAndParameters();
  const at = sql.indexOf(' WHERE ');
  return { where: at < 0 ? 'all rows' : sql.slice(at + ' WHERE '.length), params };
}

describe('access scopes, as compiled for each engine (committed snapshot)', () => {
  const policy = new AccessPolicy();
  let sqlite: DataSource;
  let mysql: DataSource;

  beforeAll(async () => {
    for (const Access of accessClasses()) new Access(policy).onModuleInit();
    sqlite = await compiler(connectionOptions('sqlite::memory:'));
    mysql = await compiler(connectionOptions('mysql://snapshot@127.0.0.1:3306/snapshot'));
  });

  it('covers every kind the libs declare, each registered once', () => {
    expect([...policy.kinds].sort()).toEqual(declaredKinds());
  });

  it.each(declaredKinds())('%s', (kind) => {
    const scopes: Record<string, unknown> = {};
    for (const role of ROLES) {
      for (const mode of ['read', 'write'] as const) {
        // SQLite's driver writes numbers into the text; MySQL's binds them as `?` parameters.
        scopes[`${role} ${mode}`] = {
          sqlite: scopeOf(sqlite, policy, kind as AccessKind, ACTORS[role], mode),
          mysql: scopeOf(mysql, policy, kind as AccessKind, ACTORS[role], mode),
        };
      }
    }
    expect(scopes).toMatchSnapshot();
  });
});
