import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load';
import type { BenchOptions } from './options';

export interface SideSummary {
  /** Medians over the rounds. */
  rps: number;
  p50: number;
  p99: number;
  /** CPU µs per request of the loaded process (median), when measured. */
  cpuUs?: number;
  non2xx: number;
  errors: number;
  rounds: LoadResult[];
}

export interface BenchResult {
  bench: string;
  db: BenchOptions['db'];
  title: string;
  app: { method: string; path: string } & SideSummary;
  raw: { method: string; path: string } & SideSummary;
  /** Medians of the per-round app/raw ratios (req/s below 1 means the app is slower; latency above 1). */
  ratio: { rps: number; p50: number; p99: number; cpuUs?: number };
  connections: number;
  duration: number;
  rounds: number;
  env: Record<string, string>;
  date: string;
}

export function median(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–');
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');

/** The human table, then the JSON line; the JSON also goes to bench/results/<name>-<db>.json. */
export function printReport(r: BenchResult, resultsDir = join(__dirname, '..', 'results')): string {
  const rows = [
    ['', 'req/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'non-2xx', 'req/s per round'],
    [
      'app',
      int(r.app.rps),
      ms(r.app.p50),
      ms(r.app.p99),
      int(r.app.cpuUs ?? NaN),
      String(r.app.non2xx + r.app.errors),
      r.app.rounds.map((x) => int(x.rps)).join(' '),
    ],
    [
      'raw',
      int(r.raw.rps),
      ms(r.raw.p50),
      ms(r.raw.p99),
      int(r.raw.cpuUs ?? NaN),
      String(r.raw.non2xx + r.raw.errors),
      r.raw.rounds.map((x) => int(x.rps)).join(' '),
    ],
    ['app/raw', x(r.ratio.rps), x(r.ratio.p50), x(r.ratio.p99), x(r.ratio.cpuUs ?? NaN), '', ''],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  console.log('');
  console.log(`${r.bench} · ${r.db} — ${r.title}`);
  console.log(`app: ${r.app.method} ${r.app.path}   raw: ${r.raw.method} ${r.raw.path}`);
  console.log(
    `${r.connections} connections, ${r.rounds} paired rounds × ${r.duration} s (alternating order), medians; ${r.env.node}, ${r.env.cpus}, ${r.env.server}`,
  );
  for (const row of rows) console.log(line(row));
  const json = JSON.stringify(r);
  console.log(json);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${r.bench}-${r.db}.json`);
  writeFileSync(file, json + '\n');
  console.log(`(written to ${file})`);
  return file;
}
