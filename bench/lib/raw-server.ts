import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { connectionOptions, dialectOf } from '@shipei/core';
import { createPool } from 'mysql2/promise';

/** The bare driver behind the floor server: better-sqlite3 or a mysql2 pool, one `query` for both. */
export interface RawDb {
  dialect: 'sqlite' | 'mysql';
  /** Rows for a statement that returns rows, else the driver's result (changes, insert id). */
  query(sql: string, params?: unknown[]): Promise<any>;
  close(): Promise<void>;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** The request body as text ('' when there is none). */
  body: string;
}

export interface RawResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

/** What the floor server does per request, given the driver. Keep it to the SQL the app route runs. */
export type RawHandler = (db: RawDb, req: RawRequest) => RawResponse | Promise<RawResponse>;

export interface RawServer {
  url: string;
  db: RawDb;
  close(): Promise<void>;
}

interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(text: string): unknown;
  close(): void;
}
type SqliteConstructor = new (file: string) => SqliteDatabase;

/**
 * Opens the driver on the same DATABASE_URL and with the same settings as the app
 * (SQLite: WAL, foreign keys, busy timeout, synchronous=NORMAL; MySQL: a pool of the same size,
 * utf8mb4, UTC, text protocol like TypeORM), so the floor differs from the app only by the framework.
 */
export async function openRawDb(databaseUrl: string): Promise<RawDb> {
  const opts = connectionOptions(databaseUrl) as any;
  if (dialectOf(databaseUrl) === 'sqlite') {
    const Database = createRequire(__filename)('better-sqlite3') as SqliteConstructor;
    const db = new Database(opts.database);
    if (opts.enableWAL) db.pragma('journal_mode = WAL');
    opts.prepareDatabase?.(db);
    const statements = new Map<string, SqliteStatement>();
    return {
      dialect: 'sqlite',
      query: async (sql, params = []) => {
        let stmt = statements.get(sql);
        if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
        return stmt.reader ? stmt.all(...params) : stmt.run(...params);
      },
      close: async () => db.close(),
    };
  }
  const pool = createPool({
    host: opts.host,
    port: opts.port,
    user: opts.username,
    password: opts.password,
    database: opts.database,
    charset: opts.charset,
    timezone: opts.timezone,
    supportBigNumbers: opts.supportBigNumbers,
    connectTimeout: opts.connectTimeout,
    ...opts.extra,
  });
  return {
    dialect: 'mysql',
    query: async (sql, params = []) => (await pool.query(sql, params))[0],
    close: () => pool.end(),
  };
}

/**
 * The floor: a plain `node:http` server on loopback whose every request runs `handler`
 * against the bare driver and answers JSON. Errors answer 500 (and count as non-2xx).
 */
export async function startRawServer(databaseUrl: string, handler: RawHandler): Promise<RawServer> {
  const db = await openRawDb(databaseUrl);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: RawRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      Promise.resolve()
        .then(() => handler(db, request))
        .then(
          (r) => {
            const payload = JSON.stringify(r.body ?? null);
            res.writeHead(r.status ?? 200, {
              'content-type': 'application/json; charset=utf-8',
              'content-length': Buffer.byteLength(payload),
              ...r.headers,
            });
            res.end(payload);
          },
          (e: unknown) => {
            const payload = JSON.stringify({ statusCode: 500, message: String((e as Error)?.message ?? e) });
            res.writeHead(500, {
              'content-type': 'application/json; charset=utf-8',
              'content-length': Buffer.byteLength(payload),
            });
            res.end(payload);
          },
        );
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** A handler that runs one statement and answers its rows. */
export function sqlHandler(sql: string, params: unknown[] = [], status = 200): RawHandler {
  return async (db) => ({ status, body: await db.query(sql, params) });
}
