// Unit specs (next to the code), service specs (test/service), end-to-end specs (test/) and the browser
// suites (test/web): the tiers of README's test section.
// The database they use comes from TEST_DATABASE_URL (default: a fresh SQLite file per suite).

const common = {
  transform: { '^.+\\.(ts|js|mjs)$': '<rootDir>/test/support/jest-transformer.js' },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@shipei/api/(.*)$': '<rootDir>/apps/api/src/$1',
    '^@shipei/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@shipei/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
};

// The suites that drive Chromium (test/web, except pages-http, which speaks plain HTTP).
const BROWSER = ['<rootDir>/test/web/**/*.e2e-spec.ts'];
const NOT_BROWSER = '<rootDir>/test/web/pages-http\\.';

module.exports = {
  // A global option (jest ignores it inside a project): e2e suites boot the app and hit a real database.
  testTimeout: 60000,
  // SQLite (the default): two suites at a time; every suite has its own database file, app, ports and temp
  // dirs. MySQL: one at a time, as the suites share one server and CI runs that run next to the SQLite one
  // on the same two cores. `--runInBand` still wins (and `npm test` gives it to the project `serial`).
  maxWorkers: process.env.TEST_DATABASE_URL ? 1 : 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    // One domain module (with CoreModule and the audit log) on a migrated database, no HTTP: test/support/service-module.ts.
    { ...common, displayName: 'service', testMatch: ['<rootDir>/test/service/**/*.service-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/web/(?!pages-http\\.)',
        '<rootDir>/test/reliability/database-fault\\.',
      ],
    },
    // `npm test` runs these after the rest (test/support/run-tests.js), with the workers above: the pages in
    // Chromium, one browser per suite.
    { ...common, displayName: 'browser', testMatch: BROWSER, testPathIgnorePatterns: ['/node_modules/', NOT_BROWSER] },
    // And this one last, alone: it times the app while its database stops, and its bounds assume nothing else runs.
    { ...common, displayName: 'serial', testMatch: ['<rootDir>/test/reliability/database-fault.e2e-spec.ts'] },
  ],
};
