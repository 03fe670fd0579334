/**
 * Runs the real app in a separate Node process on a given database, for tests that need two app
 * processes at once (e.g. certificate numbering under concurrent issuing on MySQL).
 *
 * Parent side: `spawnApp({ DATABASE_URL, ... })` starts `node -r @swc-node/register <this file>`,
 * waits for the child to say which port it listens on and returns its base URL. Child side (this
 * file run directly): builds the app with createApp, listens on a random loopback port and prints
 * `SHIPEI_LISTENING <port>`.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createApp } from '@shipei/api/create-app';
import { loadAppConfig } from '@shipei/core';

const ROOT = resolve(__dirname, '..', '..');
const READY = /SHIPEI_LISTENING (\d+)/;

export interface SpawnedApp {
  url: string;
  pid: number;
  close(): Promise<void>;
}

export async function spawnApp(env: Record<string, string>, timeoutMs = 90_000): Promise<SpawnedApp> {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      ...env,
      SHIPEI_SPAWNED_APP: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`spawned app did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = READY.exec(output);
      if (m) {
        clearTimeout(timer);
        done(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`spawned app exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
  const exited = new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
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
  const stop = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module && process.env.SHIPEI_SPAWNED_APP === '1') {
  runChild().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
