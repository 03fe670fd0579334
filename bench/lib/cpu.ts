import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';
import type { LoadResult } from './load';

/**
 * Runs one load and adds the CPU time this process (the app or the floor, whichever is loaded)
 * spent per request, user + system, in µs. Unlike req/s it hardly moves when other work shares
 * the machine, so it shows a change in the app's own cost even on a busy box.
 */
export async function withCpu<R extends LoadResult>(load: () => Promise<R>): Promise<R & { cpuUs: number }> {
  const start = process.cpuUsage();
  const r = await load();
  const used = process.cpuUsage(start);
  return { ...r, cpuUs: Math.round((used.user + used.system) / Math.max(1, r.requests)) };
}

/** With BENCH_PROFILE=app|raw, one more run of that side under V8's sampling profiler, written as a .cpuprofile (open it in Chrome DevTools). */
export async function profileIfAsked(side: 'app' | 'raw', file: string, load: () => Promise<unknown>): Promise<void> {
  if (process.env.BENCH_PROFILE !== side) return;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  await load();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  console.log(`  profile of one ${side} run written to ${file}`);
}
