import type { MessagePort } from 'node:worker_threads';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { WorkerTask } from '@shipei/core';

/**
 * Tasks for the worker pool's tests, run in a real worker thread from this TypeScript source (the pool's
 * bootstrap registers @swc-node/register for a .ts task). `worker-fixtures.task.js` beside it is the
 * same in plain JavaScript, as a compiled task is in production.
 */
const task = (fn: string): WorkerTask => ({ file: join(__dirname, 'worker-fixtures.task.ts'), fn });
export const ECHO_TASK = task('echo');
export const CRASH_TASK = task('crash');
export const DOMAIN_ERROR_TASK = task('domainError');
export const BYTES_TASK = task('bytes');
export const CRASH_MID_STREAM_TASK = task('crashMidStream');

/** Arguments back, with what loaded this file. */
export function echo(args: unknown): { args: unknown; ts: boolean; file: string } {
  return { args, ts: typeof require.extensions['.ts'] === 'function', file: __filename };
}

/** Ends the worker thread without a word, as a crash (a native fault, an out-of-memory kill) would. */
export function crash(): never {
  process.exit(7);
}

/** A rule broken in the worker: a DomainError's status, code, message and details. */
export function domainError(): never {
  throw Object.assign(new Error('证书数据有误（holderName）：不能为空'), {
    name: 'CertificateViewError',
    status: 400,
    code: 'CERTIFICATE_DATA_INVALID',
    details: { field: 'holderName' },
  });
}

/** `count` chunks of `size` bytes, byte i of the stream being i % 251, written with backpressure. */
export async function bytes(args: { count: number; size: number }, ports: { out: MessagePort }): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded here, in the worker, through the pool's TS loader
  const { portWritable } = require('../../libs/core/src/workers/port-stream') as typeof import('@shipei/core');
  const out: Writable = portWritable(ports.out);
  let at = 0;
  for (let c = 0; c < args.count; c++) {
    const chunk = Buffer.alloc(args.size);
    for (let i = 0; i < args.size; i++) chunk[i] = at++ % 251;
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return at;
}

/** Sends some bytes, then dies. */
export async function crashMidStream(_args: unknown, ports: { out: MessagePort }): Promise<never> {
  ports.out.postMessage({ t: 'd', v: new Uint8Array(1000) });
  await new Promise((r) => setTimeout(r, 50));
  process.exit(9);
}
