// One jest run covers unit specs (next to the code), service specs (test/service) and end-to-end specs (test/).
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

module.exports = {
  // A global option (jest ignores it inside a project): e2e suites boot the app and hit a real database.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    // Service tier: CoreModule + one domain module on a migrated database, no HTTP (test/README.md).
    { ...common, displayName: 'service', testMatch: ['<rootDir>/test/service/**/*.service-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
