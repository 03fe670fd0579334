// The script is plain JavaScript, so that `npm test` needs nothing but node to start.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Report {
  success: boolean;
  startTime: number;
  numTotalTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: { name: string }[];
}
interface RunTests {
  PHASES: { name: string; args: string[] }[];
  JEST: string;
  ROOT: string;
  parseArgs(argv: string[]): { rest: string[]; json: boolean; outputFile: string | null };
  mergeReports(reports: Report[]): Report;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runTests = require('./run-tests') as RunTests;

describe('run-tests: npm test as several jest runs', () => {
  it('takes the JSON report options for itself and passes every other option to both runs', () => {
    expect(runTests.parseArgs(['--ci', '--json', '--outputFile=/tmp/r.json', 'test/foo'])).toEqual({
      rest: ['--ci', 'test/foo'],
      json: true,
      outputFile: '/tmp/r.json',
    });
    expect(runTests.parseArgs(['--outputFile', 'r.json', '--json'])).toEqual({
      rest: [],
      json: true,
      outputFile: 'r.json',
    });
    expect(runTests.parseArgs([])).toEqual({ rest: [], json: false, outputFile: null });
  });

  it('merges the two reports: counts added, suites concatenated, failed when either failed', () => {
    const a: Report = {
      success: true,
      startTime: 200,
      numTotalTests: 10,
      numFailedTests: 0,
      numRuntimeErrorTestSuites: 0,
      testResults: [{ name: 'a' }],
    };
    const b: Report = {
      success: false,
      startTime: 100,
      numTotalTests: 5,
      numFailedTests: 2,
      numRuntimeErrorTestSuites: 1,
      testResults: [{ name: 'b' }, { name: 'c' }],
    };
    expect(runTests.mergeReports([a, b])).toEqual({
      success: false,
      startTime: 100,
      numTotalTests: 15,
      numFailedTests: 2,
      numRuntimeErrorTestSuites: 1,
      testResults: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      wasInterrupted: false,
    });
  });

  it('runs every spec file of the repository in exactly one of its runs', () => {
    const listed = runTests.PHASES.map((phase) => {
      const r = spawnSync(process.execPath, [runTests.JEST, ...phase.args, '--listTests', '--json'], {
        cwd: runTests.ROOT,
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      return (JSON.parse(r.stdout) as string[]).map((f) => relative(runTests.ROOT, f)).sort();
    });
    const all = listed.flat().sort();
    // Disjoint: no suite runs twice.
    expect(new Set(all).size).toBe(all.length);
    // Complete: every spec file under libs, apps and test.
    const specs: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(join(runTests.ROOT, dir), { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.(e2e-|service-)?spec\.ts$/.test(e.name)) specs.push(path);
      }
    };
    ['libs', 'apps', 'test'].forEach(walk);
    expect(all).toEqual(specs.sort());
    // The browser suites have their own run, and database-fault runs alone, last.
    const byName = Object.fromEntries(runTests.PHASES.map((p, i) => [p.name, listed[i]]));
    expect(byName.browser).toContain('test/web/journey.e2e-spec.ts');
    expect(byName.browser).not.toContain('test/web/pages-http.e2e-spec.ts');
    expect(byName.serial).toEqual(['test/reliability/database-fault.e2e-spec.ts']);
    expect(runTests.PHASES.at(-1)?.args).toContain('--runInBand');
  });
});
