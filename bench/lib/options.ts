import type { BenchDb } from './database';

export interface BenchOptions {
  name: string;
  db: BenchDb;
  /** Seconds per measured run. */
  duration: number;
  connections: number;
  /** Paired rounds; each runs the app and the floor once, in alternating order. */
  rounds: number;
}

export const DEFAULT_OPTIONS = { db: 'sqlite', duration: 10, connections: 10, rounds: 4 } as const;

/** The flags bench/run.js passes on (--name, --db, --duration, --connections, --rounds), only those given. */
export function parseBenchArgs(argv: string[]): Partial<BenchOptions> {
  const given: Partial<BenchOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (flag === '--name') given.name = value;
    else if (flag === '--db') {
      if (value !== 'sqlite' && value !== 'mysql') throw new Error(`--db must be sqlite or mysql (got "${value}")`);
      given.db = value;
    } else if (flag === '--duration' || flag === '--connections' || flag === '--rounds') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1 (got "${value}")`);
      given[flag.slice(2) as 'duration' | 'connections' | 'rounds'] = n;
    } else throw new Error(`unknown argument "${argv[i]}"`);
  }
  return given;
}

/** Defaults, then the benchmark's own defaults, then the command line. */
export function resolveOptions(argv: string[], name: string, benchDefaults: Partial<BenchOptions> = {}): BenchOptions {
  return { name, ...DEFAULT_OPTIONS, ...benchDefaults, ...parseBenchArgs(argv) };
}
