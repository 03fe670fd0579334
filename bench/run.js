#!/usr/bin/env node
// Benchmark runner: `npm run bench -- <name> [--db sqlite|mysql|both] [--duration s] [--connections n] [--rounds n]`.
// Runs bench/<name>.bench.ts through `node -r @swc-node/register`, once per database, each in its own
// process so the engines never share a heap or a pool. With no name it lists the benchmarks.
'use strict';

const { spawnSync } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const SUFFIX = '.bench.ts';

function benchmarks() {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/** The first line of the file's leading comment, as the benchmark's one-line description. */
function describe(name) {
  const text = readFileSync(join(__dirname, name + SUFFIX), 'utf8');
  const m = text.match(/^\s*(?:\/\*\*?|\/\/)\s*\**\s*(.+)$/m);
  return m ? m[1].replace(/\*\/\s*$/, '').trim() : '';
}

function usage(out) {
  const names = benchmarks();
  out('Usage: npm run bench -- <name> [--db sqlite|mysql|both] [--duration s] [--connections n] [--rounds n]');
  out('');
  out('Benchmarks (bench/<name>.bench.ts):');
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const n of names) out(`  ${n.padEnd(width)}  ${describe(n)}`);
  out('');
  out('Options: --db (default sqlite), --duration seconds per round (default 10), --connections (default 10),');
  out(
    '         --rounds paired rounds (default 4). MySQL server: BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/).',
  );
  out('         --verbose, --sizes n,n,…, --requests n: for the benchmarks that take them (scale).');
  out('Results: a table and a JSON line per database, also written to bench/results/<name>-<db>.json.');
}

function parse(argv) {
  const opts = { name: undefined, db: 'sqlite', rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--help' || flag === '-h') opts.help = true;
    else if (flag === '--db') opts.db = value();
    else if (['--duration', '--connections', '--rounds'].includes(flag)) {
      const v = value();
      if (!/^\d+$/.test(String(v)) || Number(v) < 1) throw new Error(`${flag} needs a whole number ≥ 1 (got "${v}")`);
      opts.rest.push(flag, v);
    } else if (flag === '--verbose') opts.rest.push(flag);
    else if (flag === '--sizes' || flag === '--requests') {
      // Read by the benchmarks that take them (bench/scale.bench.ts); the others refuse them.
      opts.rest.push(flag, value());
    } else if (!a.startsWith('-') && opts.name === undefined) opts.name = a;
    else throw new Error(`unknown argument "${a}"`);
  }
  if (!['sqlite', 'mysql', 'both'].includes(opts.db))
    throw new Error(`--db must be sqlite, mysql or both (got "${opts.db}")`);
  return opts;
}

function main() {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e.message}\n`);
    usage(console.error);
    return 2;
  }
  if (opts.help || !opts.name) {
    usage(console.log);
    return 0;
  }
  const name = opts.name.replace(/\.bench\.ts$/, '');
  if (!benchmarks().includes(name)) {
    console.error(`bench: no benchmark "${name}" (bench/${name}${SUFFIX} does not exist)\n`);
    usage(console.error);
    return 2;
  }
  const dbs = opts.db === 'both' ? ['sqlite', 'mysql'] : [opts.db];
  let status = 0;
  for (const db of dbs) {
    const r = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join('bench', name + SUFFIX), '--name', name, '--db', db, ...opts.rest],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      },
    );
    if (r.error) throw r.error;
    if (r.status !== 0) {
      console.error(`bench: ${name} on ${db} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.status}`})`);
      status = r.status || 1;
    }
  }
  return status;
}

process.exitCode = main();
