import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import globals from 'globals';

/**
 * The lib order, lowest first (from the imports as they are: people writes audit records, certificates
 * reads talent-support placements). A lib may import only libs of a lower layer, through their
 * index.ts (`@shipei/<lib>`); apps/api may import every lib. Libs of one layer do not import each other.
 */
const LIB_LAYERS = [
  ['core'],
  ['audit'],
  ['people'],
  ['auth'],
  ['programs'],
  ['enrolment'],
  ['attendance', 'talent-support'],
  ['certificates'],
  // 训后评价: reads cohorts, sessions and enrolments; nothing below it reads the answers.
  ['evaluation'],
  // Notifications tell of what the libs below say happened (their events' names and payloads).
  ['notifications'],
  ['records'],
  ['web'],
];
const LIBS = LIB_LAYERS.flat();
const layerOf = (lib) => LIB_LAYERS.findIndex((layer) => layer.includes(lib));

/** `@shipei/<lib>/…` (a file behind a lib's index.ts); tests and benchmarks may reach `@shipei/api/…`, the app. */
const DEEP_IMPORT = {
  regex: '^@shipei/(?!api/)[^/]+/',
  message: "Import another lib only through its index.ts: '@shipei/<lib>'.",
};
/** A relative path into another lib or the app (`../libs/x/src/…`, `../../../people/src/…`). */
const RELATIVE_INTO_LIB = {
  regex: `^\\.{1,2}/(?:.*/)?(?:(?:libs|apps)/|(?:${[...LIBS, 'api'].join('|')})/src(?:/|$))`,
  message: "No relative import into another lib or the app: import '@shipei/<lib>'.",
};
const APP_FROM_LIB = {
  regex: '^@shipei/api(/|$)',
  message: 'A lib never imports the app (apps/api composes the libs).',
};

function libImportRules(lib) {
  const above = LIBS.filter((other) => other !== lib && layerOf(other) >= layerOf(lib));
  const patterns = [DEEP_IMPORT, RELATIVE_INTO_LIB, APP_FROM_LIB];
  if (above.length)
    patterns.push({
      regex: `^@shipei/(?:${above.join('|')})$`,
      message: `libs/${lib} may import only the libs below it (${LIB_LAYERS.slice(0, layerOf(lib)).flat().join(', ') || 'none'}): see eslint.config.mjs LIB_LAYERS.`,
    });
  const paths = [];
  if (lib === 'web') {
    // Pages call lib services; they neither look services up nor query the database themselves.
    const why = 'Pages call lib services (exported from their module); a query a page needs is a lib service method.';
    paths.push(
      { name: '@nestjs/core', importNames: ['ModuleRef'], message: why },
      { name: 'typeorm', message: why },
      { name: '@nestjs/typeorm', message: why },
    );
  }
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

/** What no-restricted-imports cannot see: require() and import() of a lib's files. */
const DYNAMIC_DEEP_IMPORT = [
  {
    selector: 'ImportExpression[source.value=/^@shipei\\/(?!api\\/)[^/]+\\//]',
    message: "Import another lib only through its index.ts: '@shipei/<lib>'.",
  },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^@shipei\\/(?!api\\/)[^/]+\\//]",
    message: "Import another lib only through its index.ts: '@shipei/<lib>'.",
  },
];
/** In libs/web, also the names themselves (a type reached without importing it, a lookup by token). */
const WEB_SYNTAX = [
  ...DYNAMIC_DEEP_IMPORT,
  {
    selector:
      'TSTypeReference[typeName.name=/^(ModuleRef|EntityManager|DataSource|Repository|QueryRunner|SelectQueryBuilder)$/]',
    message: 'Pages call lib services; a query a page needs is a lib service method.',
  },
  {
    selector: 'Decorator[expression.callee.name=/^Inject(EntityManager|Repository|DataSource)$/]',
    message: 'Pages call lib services; a query a page needs is a lib service method.',
  },
  {
    selector:
      "CallExpression[callee.property.name='get'] > ObjectExpression > Property[key.name='strict'][value.value=false]",
    message: "No service lookups by token: add the service to its module's exports and inject it.",
  },
];

// Time for rules comes from the injectable Clock (libs/core/src/time), so deadlines and windows are
// testable: no argument-less `new Date()` or `Date.now()` in the libs (not in specs nor the Clock
// itself). Parsing a value is fine. The pages (libs/web) only show a default year in a form; left out.
const CLOCK_SYNTAX = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Take the time from the injectable Clock (@shipei/core), not new Date().',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Take the time from the injectable Clock (@shipei/core), not Date.now().',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'bench/results/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/valid-expect': ['error', { alwaysAwait: true }],
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'request.**.expect'] }],
      'jest/no-conditional-expect': 'off',
    },
  },
  ...LIBS.map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      ...libImportRules(lib),
      'no-restricted-syntax': ['error', ...(lib === 'web' ? WEB_SYNTAX : [...DYNAMIC_DEEP_IMPORT, ...CLOCK_SYNTAX])],
    },
  })),
  {
    // The Clock itself, and specs, may read the system time; so may the outbox, whose claims and
    // retries run on the wall clock shared by every process (a test clock must not stall or rush them).
    files: ['libs/core/src/time/**/*.ts', 'libs/**/*.spec.ts', 'libs/notifications/src/outbox/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...DYNAMIC_DEEP_IMPORT] },
  },
  {
    files: ['apps/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORT, RELATIVE_INTO_LIB] }],
      'no-restricted-syntax': ['error', ...DYNAMIC_DEEP_IMPORT],
    },
  },
  {
    files: ['bench/**/*.ts', 'apps/api/src/main.ts', 'apps/api/src/migrate.ts', 'apps/api/src/credits-rebuild.ts'],
    rules: { 'no-console': 'off' },
  },
);
