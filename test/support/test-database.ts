import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  url: string;
  dialect: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

/** The server every MySQL test database is made on, from TEST_DATABASE_URL; null → SQLite. */
export function mysqlServerUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL;
  return url && /^(mysql|mariadb):/.test(url) ? url : null;
}

/**
 * A fresh, empty database for one test suite: a new SQLite file in the temp folder, or a
 * new database on the MySQL server of TEST_DATABASE_URL. Fails (never skips) when the
 * server cannot be reached.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = mysqlServerUrl();
  if (!server) {
    const file = join(tmpdir(), `shipei-test-${tag}.sqlite`);
    return {
      url: `sqlite:${file}`,
      dialect: 'sqlite',
      drop: async () => {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      },
    };
  }
  const u = new URL(server.replace(/^mariadb:/, 'mysql:'));
  const name = `shipei_t_${tag}`;
  const admin = () =>
    createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    });
  const conn = await admin();
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    dialect: 'mysql',
    drop: async () => {
      const c = await admin();
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
