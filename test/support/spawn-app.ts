import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ADMIN_PASSWORD, TEST_JWT_SECRET } from './test-app';

const ROOT = resolve(__dirname, '..', '..');

export interface SpawnedApp {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  /** Stops this process (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  databaseUrl: string;
  /** 0 (default) = any free port. */
  port?: number;
  env?: Record<string, string>;
  /** How long the app may take to start (default 60 s). */
  timeoutMs?: number;
}

/**
 * Starts the app from source as a separate OS process (`node -r @swc-node/register
 * test/support/serve-app.ts`) on a port and a DATABASE_URL, with the test JWT secret and admin
 * password, so several processes share one database and accept each other's tokens.
 * Resolves once the app listens; rejects with its stderr if it fails to start.
 */
export async function spawnApp(opts: SpawnOptions): Promise<SpawnedApp> {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'test/support/serve-app.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      PORT: String(opts.port ?? 0),
      DATABASE_URL: opts.databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_PASSWORD,
      PUBLIC_BASE_URL: 'http://shipei.test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-8000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`app did not start within ${opts.timeoutMs ?? 60_000} ms:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/SERVE_APP_READY (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  child.stdout!.resume();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const grace = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(grace);
    },
  };
}
