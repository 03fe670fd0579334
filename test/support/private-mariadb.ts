/**
 * A private MariaDB server for one test suite: its own data directory, port and socket, so a suite
 * can stop and restart the database under a running app without touching the shared server on
 * 3306 that every other suite uses.
 *
 *   const db = await startPrivateMariaDb();   // mariadb-install-db into a temp dir, then mariadbd
 *   db.url('shipei')                          // mysql://root@127.0.0.1:<port>/shipei (created)
 *   await db.stop();  await db.start();       // SIGTERM and wait; start again, same port and data
 *   await db.destroy();                       // stop and remove the data directory
 *
 * Needs `mariadb-install-db` and `mariadbd` (Debian: mariadb-server). Runs the server as root when
 * the tests run as root (`--user=root`), otherwise as the current user. Grant tables are skipped:
 * the server listens on 127.0.0.1 only and lives as long as the suite.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const run = promisify(execFile);

const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];
const SERVER = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'];

export interface PrivateMariaDb {
  port: number;
  dir: string;
  /** `mysql://root@127.0.0.1:<port>/<database>`; call {@link createDatabase} first. */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** True while the server process runs. */
  readonly running: boolean;
  /** Clean shutdown (SIGTERM), waits until the process has exited. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data directory; resolves once it answers. */
  start(): Promise<void>;
  /** Freezes the server process (SIGSTOP): connections stay open but nothing answers, like a hung host. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
  /** The server's own log (stderr), for failure messages. */
  log(): string;
  destroy(): Promise<void>;
}

function firstExisting(paths: string[]): string {
  const found = paths.find((p) => existsSync(p));
  if (!found) throw new Error(`MariaDB is not installed here (looked for ${paths.join(', ')})`);
  return found;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrivateMariaDb(opts: { startTimeoutMs?: number } = {}): Promise<PrivateMariaDb> {
  const installDb = firstExisting(INSTALL_DB);
  const serverBin = firstExisting(SERVER);
  const dir = mkdtempSync(join(tmpdir(), 'shipei-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'm.sock');
  const asRoot = userInfo().uid === 0;
  const user = asRoot ? 'root' : userInfo().username;
  await run(
    installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--user=${user}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { timeout: 120_000 },
  );
  const port = await freePort();
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;

  let child: ChildProcess | null = null;
  let output = '';
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--port=${port}`,
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'm.pid')}`,
    '--bind-address=127.0.0.1',
    `--user=${user}`,
    '--skip-grant-tables',
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=16M',
    '--max-connections=200',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    // Durable commits: a write the app acknowledged must survive a restart.
    '--innodb-flush-log-at-trx-commit=1',
  ];

  const answers = async (): Promise<boolean> => {
    try {
      const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await c.query('SELECT 1');
      await c.end();
      return true;
    } catch {
      return false;
    }
  };

  const start = async () => {
    if (child) throw new Error('private MariaDB is already running');
    const p = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    p.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    p.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    p.once('exit', () => {
      if (child === p) child = null;
    });
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (!child) throw new Error(`private MariaDB exited while starting:\n${output.slice(-4000)}`);
      if (await answers()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`private MariaDB did not answer within ${startTimeoutMs} ms:\n${output.slice(-4000)}`);
  };

  const stop = async () => {
    const p = child;
    if (!p) return;
    const exited = new Promise<void>((r) =>
      p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r()),
    );
    p.kill('SIGTERM');
    const killer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(killer);
    child = null;
  };

  await start();

  const db: PrivateMariaDb = {
    port,
    dir,
    url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const c = await createConnection({ host: '127.0.0.1', port, user: 'root' });
      await c.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await c.end();
      return db.url(name);
    },
    get running() {
      return child !== null;
    },
    stop,
    start,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    log: () => output,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return db;
}
