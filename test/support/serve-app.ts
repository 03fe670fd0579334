/**
 * The real app as its own OS process, for tests that need several processes on one database
 * (test/support/spawn-app.ts starts it with `node -r @swc-node/register`). Configured by the
 * environment like main.ts (PORT, DATABASE_URL, JWT_SECRET, ADMIN_PASSWORD, …); listens on
 * 127.0.0.1 and prints `SERVE_APP_READY <port>` once it answers. Exits when the parent
 * goes away (IPC disconnect) or on SIGTERM/SIGINT (Nest's shutdown hooks close the app).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from '@shipei/api/create-app';
import { loadAppConfig } from '@shipei/core';

async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.port, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.on('disconnect', () => {
    void app.close().finally(() => process.exit(0));
  });
  process.stdout.write(`SERVE_APP_READY ${port}\n`);
}

main().catch((e) => {
  process.stderr.write(`serve-app failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
