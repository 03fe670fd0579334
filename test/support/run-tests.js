#!/usr/bin/env node
// `npm test [-- jest options]`: the system packages the tests use (system-deps.js), then jest three times:
//   1. the unit, service and e2e projects, two suites at a time on SQLite (jest.config.js sets the workers);
//   2. the project `browser`, the pages in Chromium, with the same workers: one browser per suite, two
//      suites side by side on SQLite (measured in bench/test-suite-time.md; one at a time on MySQL);
//   3. the project `serial`, alone: database-fault times the app while its database stops, and its bounds
//      assume nothing else runs.
// Options are passed to every run. A `--json` report (to `--outputFile` or stdout) is the runs' reports
// merged into one, so readers of jest's JSON (CI) see a single run.
'use strict';

const { spawnSync } = require('node:child_process');
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest', { paths: [ROOT] });
const PHASES = [
  { name: 'unit+service+e2e', args: ['--selectProjects', 'unit', 'service', 'e2e'] },
  { name: 'browser', args: ['--selectProjects', 'browser'] },
  { name: 'serial', args: ['--selectProjects', 'serial', '--runInBand'] },
];

/** Splits the caller's options into what each run gets and where the merged JSON goes. */
function parseArgs(argv) {
  const rest = [];
  let json = false;
  let outputFile = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a.startsWith('--outputFile=')) outputFile = a.slice('--outputFile='.length);
    else if (a === '--outputFile') outputFile = argv[++i] ?? null;
    else rest.push(a);
  }
  return { rest, json, outputFile };
}

/** One report from several: counts added, suites listed one after the other. */
function mergeReports(reports) {
  const sum = (key) => reports.reduce((n, r) => n + (r[key] ?? 0), 0);
  const merged = { ...reports[0] };
  for (const key of Object.keys(merged)) {
    if (key.startsWith('num') && typeof merged[key] === 'number') merged[key] = sum(key);
  }
  merged.success = reports.every((r) => r.success);
  merged.wasInterrupted = reports.some((r) => r.wasInterrupted);
  merged.startTime = Math.min(...reports.map((r) => r.startTime));
  merged.testResults = reports.flatMap((r) => r.testResults ?? []);
  return merged;
}

function main(argv) {
  const deps = spawnSync(process.execPath, [join(__dirname, 'system-deps.js')], { stdio: 'inherit' });
  if (deps.status !== 0) return deps.status ?? 1;

  const { rest, json, outputFile } = parseArgs(argv);
  // A path pattern given by the caller may match nothing in one of the runs.
  const common = rest.length > 0 ? ['--passWithNoTests', ...rest] : rest;
  let status = 0;
  const reports = [];
  for (const phase of PHASES) {
    const file = join(tmpdir(), `shipei-jest-${process.pid}-${phase.name}.json`);
    const report = json ? ['--json', `--outputFile=${file}`] : [];
    const started = Date.now();
    const r = spawnSync(process.execPath, [JEST, ...phase.args, ...report, ...common], { cwd: ROOT, stdio: 'inherit' });
    // On stderr with jest's own summary, so a --json report on stdout stays clean.
    console.error(`[run-tests] ${phase.name}: ${((Date.now() - started) / 1000).toFixed(0)} s, exit ${r.status}`);
    if (r.status !== 0) status = r.status ?? 1;
    if (json) {
      try {
        reports.push(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        status ||= 1; // no report: jest crashed before writing it
      }
      rmSync(file, { force: true });
    }
  }
  if (json && reports.length > 0) {
    const text = JSON.stringify(mergeReports(reports));
    if (outputFile) writeFileSync(outputFile, text);
    else process.stdout.write(text + '\n');
  }
  return status;
}

module.exports = { PHASES, JEST, ROOT, parseArgs, mergeReports };

if (require.main === module) process.exit(main(process.argv.slice(2)));
