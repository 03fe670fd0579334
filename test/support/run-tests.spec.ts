// The script is plain JavaScript, so that `npm test` needs nothing but node to start.
interface Report {
  success: boolean;
  startTime: number;
  numTotalTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: { name: string }[];
}
interface RunTests {
  parseArgs(argv: string[]): { rest: string[]; json: boolean; outputFile: string | null };
  mergeReports(reports: Report[]): Report;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runTests = require('./run-tests') as RunTests;

describe('run-tests: npm test as two jest runs', () => {
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
});
