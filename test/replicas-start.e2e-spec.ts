/**
 * Replicas start together (spec §16, issue 16 point 6): app processes started at the same moment on
 * one empty database all come up; the migrations run once and exactly one first admin is created.
 *
 * Replicas run on MySQL/MariaDB only (a bureau on SQLite runs one process), so this suite always runs
 * on MariaDB and never skips: in the MySQL run on the server of TEST_DATABASE_URL (it fails when the
 * server does not answer), in the SQLite run on a private MariaDB of its own
 * (test/support/private-mariadb.ts; it fails when MariaDB is not installed).
 *
 * The race is one of timing: with the first admin's duplicate-key answer not caught (measured once
 * by hand), 2 of 4 rounds of two processes failed with "Duplicate entry 'admin'"; hence three rounds.
 */
import { ENTITIES, MIGRATIONS } from '@shipei/api/database/schema';
import { dataSourceOptions, loadAppConfig, openDataSource } from '@shipei/core';
import { DataSource } from 'typeorm';
import { spawnApp, SpawnedApp } from './support/spawn-app';
import { ADMIN_PASSWORD } from './support/test-app';
import { PrivateMariaDb, startPrivateMariaDb } from './support/private-mariadb';
import { createTestDatabase, mysqlServerUrl } from './support/test-database';

jest.setTimeout(600_000);

const PROCESSES = 2;
/** Rounds: each on a fresh, empty database (the race is a matter of timing; more rounds, more chances). */
const ROUNDS = 3;

async function startTogether(url: string): Promise<PromiseSettledResult<SpawnedApp>[]> {
  return Promise.allSettled(
    Array.from({ length: PROCESSES }, () => spawnApp({ databaseUrl: url, timeoutMs: 300_000 })),
  );
}

describe('replicas started together on one empty database', () => {
  const drops: (() => Promise<void>)[] = [];
  const apps: SpawnedApp[] = [];
  let maria: PrivateMariaDb | null = null;

  /** A new, empty MariaDB/MySQL database. */
  async function emptyDatabase(round: number): Promise<string> {
    if (mysqlServerUrl()) {
      const database = await createTestDatabase();
      drops.push(() => database.drop());
      expect(database.dialect).toBe('mysql');
      return database.url;
    }
    maria ??= await startPrivateMariaDb();
    return maria.createDatabase(`shipei_replicas_${round}`);
  }

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    for (const drop of drops) await drop();
    await maria?.destroy();
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: every process comes up; migrations once, one first admin, who logs in everywhere`, async () => {
      const url = await emptyDatabase(round);
      const started = await startTogether(url);
      for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
      const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      expect(failures).toEqual([]);
      const up = started.map((s) => (s as PromiseFulfilledResult<SpawnedApp>).value);

      for (const app of up) {
        const health = await fetch(`${app.url}/api/health`);
        expect(health.status).toBe(200);
        const login = await fetch(`${app.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        });
        expect(login.status).toBe(200);
        expect(((await login.json()) as { user: { role: string } }).user.role).toBe('CITY_ADMIN');
      }

      const ds: DataSource = await openDataSource(
        dataSourceOptions({
          config: loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: url }),
          entities: ENTITIES,
          migrations: MIGRATIONS,
        }),
      );
      try {
        const users = (await ds.query(`SELECT username, role FROM user_account`)) as {
          username: string;
          role: string;
        }[];
        expect(users).toEqual([{ username: 'admin', role: 'CITY_ADMIN' }]);
        const migrations = (await ds.query(`SELECT name FROM schema_migrations`)) as { name: string }[];
        expect(migrations).toHaveLength(MIGRATIONS.length);
        expect(new Set(migrations.map((m) => m.name)).size).toBe(MIGRATIONS.length);
        const created = (await ds.query(
          `SELECT COUNT(*) AS n FROM audit_entry WHERE entity = 'user' AND action = 'create'`,
        )) as { n: number | string }[];
        expect(Number(created[0].n)).toBe(1);
        // The seeded organisations are there once each.
        const cities = (await ds.query(`SELECT COUNT(*) AS n FROM organisation WHERE type = 'CITY'`)) as {
          n: number | string;
        }[];
        expect(Number(cities[0].n)).toBe(1);
      } finally {
        await ds.destroy();
      }
      await Promise.all(up.map((a) => a.stop()));
    });
  }
});
