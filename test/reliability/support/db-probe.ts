/**
 * A connection of the test's own to the app's database (never the app's pool): plain queries, and
 * "is the app inside a write transaction right now, and how far is it" for killing it mid-write.
 *
 * - MySQL/MariaDB: a count query run at READ UNCOMMITTED, so it sees the rows the app's open
 *   transaction has written so far (information_schema.innodb_trx is only refreshed every 100 ms,
 *   too coarse for a write phase of a few hundred ms).
 * - SQLite: whether another connection holds the write lock (`BEGIN IMMEDIATE` with no busy wait
 *   fails with SQLITE_BUSY while the app's write transaction is open).
 */
import { createRequire } from 'node:module';
import { Connection, createConnection } from 'mysql2/promise';

/** The few better-sqlite3 calls used here (the package ships no types). */
interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface SqliteDb {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(s: string): unknown;
  close(): void;
}
type SqliteConstructor = new (file: string, opts?: { timeout?: number }) => SqliteDb;

export interface DbProbe {
  dialect: 'sqlite' | 'mysql';
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * MySQL: the result of `dirtyCount` (a `SELECT COUNT(*) AS n …`) read uncommitted, i.e. including the
   * rows of open transactions. SQLite: 1 while another connection holds the write lock, else 0.
   */
  writeProgress(dirtyCount?: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function openProbe(url: string): Promise<DbProbe> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    // Datetimes as TypeORM stores them in SQLite (UTC text); booleans as 0/1.
    const bind = (params: unknown[]) =>
      params.map((p) =>
        p instanceof Date ? p.toISOString().replace('T', ' ').replace('Z', '') : typeof p === 'boolean' ? Number(p) : p,
      );
    const Database = createRequire(__filename)('better-sqlite3') as SqliteConstructor;
    const lock = new Database(file, { timeout: 0 });
    lock.pragma('busy_timeout = 0');
    const conn = new Database(file, { timeout: 10_000 });
    return {
      dialect: 'sqlite',
      query: async (sql, params = []) => {
        const stmt = conn.prepare(sql);
        return (stmt.reader ? stmt.all(...bind(params)) : (stmt.run(...bind(params)), [])) as any[];
      },
      writeProgress: async () => {
        try {
          lock.exec('BEGIN IMMEDIATE');
          lock.exec('ROLLBACK');
          return 0;
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_BUSY') return 1;
          throw e;
        }
      },
      close: async () => {
        lock.close();
        conn.close();
      },
    };
  }
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const database = u.pathname.replace(/^\//, '');
  const open = () =>
    createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database,
      timezone: 'Z',
      supportBigNumbers: true,
    });
  const conn: Connection = await open();
  const dirty: Connection = await open();
  await dirty.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
  return {
    dialect: 'mysql',
    query: async (sql, params = []) => {
      const [rows] = await conn.query(sql, params);
      return rows as any[];
    },
    writeProgress: async (dirtyCount, params = []) => {
      if (!dirtyCount) throw new Error('writeProgress on MySQL needs a count query');
      const [rows] = await dirty.query(dirtyCount, params);
      return Number((rows as { n: number }[])[0].n);
    },
    close: async () => {
      await conn.end();
      await dirty.end();
    },
  };
}

/**
 * Polls `probe.writeProgress()` every few ms until it reaches `atLeast`, or the work ends. Returns the
 * progress seen when it was reached, or -1 (with the highest value seen in `max`).
 */
export async function waitForWrites(
  probe: DbProbe,
  atLeast: number,
  until: Promise<unknown>,
  dirtyCount?: string,
  params?: unknown[],
  timeoutMs = 120_000,
): Promise<{ progress: number; max: number }> {
  let finished = false;
  void until.then(
    () => (finished = true),
    () => (finished = true),
  );
  let max = 0;
  const deadline = Date.now() + timeoutMs;
  while (!finished && Date.now() < deadline) {
    const n = await probe.writeProgress(dirtyCount, params);
    max = Math.max(max, n);
    if (n >= atLeast) return { progress: n, max };
    await new Promise((r) => setTimeout(r, 2));
  }
  return { progress: -1, max };
}
