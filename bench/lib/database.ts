import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export type BenchDb = 'sqlite' | 'mysql';

export interface BenchDatabase {
  db: BenchDb;
  /** A DATABASE_URL for the app and the raw floor alike. */
  url: string;
  /** Removes the file or drops the database. */
  drop(): Promise<void>;
}

/** The MySQL/MariaDB server the benchmarks create their databases on. */
export function mysqlServerUrl(): string {
  return process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
}

/**
 * A database nobody else uses: a new SQLite file under the OS temp folder, or a new
 * MySQL database `shipei_bench_<random>` on {@link mysqlServerUrl}, in utf8mb4.
 */
export async function freshDatabase(db: BenchDb): Promise<BenchDatabase> {
  const suffix = randomBytes(4).toString('hex');
  if (db === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `shipei-bench-${suffix}-`));
    return {
      db,
      url: `sqlite:${join(dir, 'bench.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = new URL(mysqlServerUrl().replace(/^mariadb:/, 'mysql:'));
  const name = `shipei_bench_${suffix}`;
  const admin = () =>
    createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      connectTimeout: 5000,
    });
  const conn = await admin();
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    db,
    url: url.href,
    drop: async () => {
      const c = await admin();
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
