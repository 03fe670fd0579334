import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { dialectOf } from './dialect';

/**
 * Turns DATABASE_URL into TypeORM connection options (without entities and migrations).
 * `sqlite:<path>` → better-sqlite3 file (created with its folder, WAL, foreign keys, busy timeout);
 * `mysql://user:pass@host:port/db` → mysql2 pool in utf8mb4, dates as UTC.
 */
export function connectionOptions(url: string): DataSourceOptions {
  if (dialectOf(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    const database = path === ':memory:' ? path : resolve(path);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      type: 'better-sqlite3',
      database,
      enableWAL: database !== ':memory:',
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 10000');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    type: 'mysql',
    host: u.hostname,
    port: Number(u.port || 3306),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    // Fail fast rather than hang when the database is down; the pool reconnects by itself.
    connectTimeout: 5000,
    // trace: false — mysql2 otherwise captures a stack trace for every query (Error.captureStackTrace,
    // ~20 µs each, 4 % of a nomination's CPU) only to decorate errors; TypeORM's QueryFailedError
    // already names the statement.
    extra: {
      connectionLimit: Number(u.searchParams.get('connectionLimit') ?? 20),
      waitForConnections: true,
      queueLimit: 500,
      enableKeepAlive: true,
      trace: false,
    },
  };
}

/** The same URL with its password hidden, for logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
