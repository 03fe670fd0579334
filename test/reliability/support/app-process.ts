/**
 * The real app in a separate Node process, for tests that kill it (SIGKILL mid-request), restart it
 * on the same database, or read everything it logs. Same mechanism as
 * test/support/spawn-certificates-app.ts (`node -r @swc-node/register <this file>` builds the app with
 * createApp and prints `SHIPEI_LISTENING <port>`), plus: the whole stdout/stderr is kept, the
 * process can be killed with any signal, and its exit is observable.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createApp } from '@shipei/api/create-app';
import { loadAppConfig } from '@shipei/core';

const ROOT = resolve(__dirname, '..', '..', '..');
const READY = /SHIPEI_LISTENING (\d+)/;

export interface AppProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited (with the signal that ended it, if any). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (clean shutdown), SIGKILL after 10 s. */
  close(): Promise<void>;
}

/**
 * Starts the app process. `memoryEveryMs`: the child also prints `SHIPEI_MEM {"heapUsed","rss",…}`
 * that often, measured right after a full GC (it runs with --expose-gc), for soak tests.
 */
export async function startAppProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
  opts: { memoryEveryMs?: number } = {},
): Promise<AppProcess> {
  const nodeArgs = opts.memoryEveryMs ? ['--expose-gc'] : [];
  const memory = opts.memoryEveryMs ? { SHIPEI_MEM_EVERY_MS: String(opts.memoryEveryMs) } : {};
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', __filename], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      ...env,
      ...memory,
      SHIPEI_RELIABILITY_CHILD: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const port = await new Promise<number>((done, fail) => {
    const timer = setInterval(() => {
      const m = READY.exec(output);
      if (m) {
        clearInterval(timer);
        clearTimeout(limit);
        done(Number(m[1]));
      }
    }, 20);
    const limit = setTimeout(() => {
      clearInterval(timer);
      child.kill('SIGKILL');
      fail(new Error(`app process did not start within ${timeoutMs} ms:\n${output.slice(-4000)}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      clearTimeout(limit);
      fail(new Error(`app process exited (${signal ?? code}) before listening:\n${output.slice(-4000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function runChild(): Promise<void> {
  const app = await createApp(loadAppConfig(process.env));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`SHIPEI_LISTENING ${address.port}\n`);
  const every = Number(process.env.SHIPEI_MEM_EVERY_MS ?? 0);
  if (every > 0) {
    const gc = (globalThis as { gc?: () => void }).gc;
    setInterval(() => {
      gc?.();
      const m = process.memoryUsage();
      process.stdout.write(
        `SHIPEI_MEM ${JSON.stringify({ at: Date.now(), heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external })}\n`,
      );
    }, every).unref();
  }
  const stop = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module && process.env.SHIPEI_RELIABILITY_CHILD === '1') {
  runChild().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
