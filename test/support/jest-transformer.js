// Jest (before Node 24.9) cannot require() ES modules, and NestJS 12 ships as ESM.
// This transformer compiles our TypeScript with SWC as usual, and turns the ESM files of
// node_modules into CommonJS on the fly (replacing import.meta, which CommonJS lacks).
// Plain CommonJS files of node_modules pass through untouched. Results are cached by jest.
const { createHash } = require('node:crypto');
const swcJest = require('@swc/jest');

const tsOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
const jsOptions = {
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs', ignoreDynamic: false },
};

const ts = swcJest.createTransformer(tsOptions);
const js = swcJest.createTransformer(jsOptions);
const ESM = /(^|\n)\s*(import\s*[\w{*'"]|export\s+[\w{*]|export\s*\{)/;

// CommonJS files of node_modules that load an ES module with a dynamic import() (which jest's
// CommonJS runtime cannot do): compiled like ESM so the import() becomes a require().
const DYNAMIC_IMPORT_CJS = /[\\/]node_modules[\\/]@fastify[\\/]cookie[\\/]index\.js$/;

function isEsm(src, path) {
  return /\.(mjs|js)$/.test(path) && ESM.test(src);
}

function shimImportMeta(src) {
  return (
    src
      // CommonJS already has a require(); a module-level `const require = createRequire(...)` would shadow it.
      .replace(/(const|let|var)\s+require\s*=\s*(\w+\.)?createRequire\(import\.meta\.url\);?/g, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/import\.meta\.resolve\(/g, 'require.resolve(')
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename')
  );
}

module.exports = {
  canInstrument: false,
  process(src, path, options) {
    if (path.endsWith('.ts')) return ts.process(src, path, options);
    if (DYNAMIC_IMPORT_CJS.test(path)) return js.process(src, path, options);
    if (!isEsm(src, path)) return { code: src };
    return js.process(shimImportMeta(src), path, options);
  },
  getCacheKey(src, path, options) {
    return createHash('sha1')
      .update(DYNAMIC_IMPORT_CJS.test(path) ? 'v2-dynamic-import' : 'v2')
      .update(path)
      .update(src)
      .update(String(options?.configString ?? ''))
      .digest('hex');
  },
};
