import { fork } from 'node:child_process';
import { join } from 'node:path';

/** One HTTP request shape that autocannon repeats on every connection. */
export interface LoadTarget {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** 2xx responses per second. */
  rps: number;
  /** Latency percentiles and mean, in milliseconds, over every response. */
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  duration: number;
  /** CPU µs per request of the process being loaded (set by withCpu). */
  cpuUs?: number;
}

/** Runs autocannon against `target` for `duration` seconds in a child process. */
export function runLoad(target: LoadTarget, opts: { connections: number; duration: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'autocannon-child.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    let settled = false;
    child.once('message', (m: { result?: LoadResult; error?: string }) => {
      settled = true;
      if (m.error) reject(new Error(`autocannon: ${m.error}`));
      else resolve(m.result!);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`autocannon child exited with ${code} before reporting`));
    });
    child.send({ ...target, ...opts });
  });
}
