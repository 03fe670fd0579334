// The entry every worker thread of the pool loads (libs/core/src/workers/worker-pool.ts), as plain
// JavaScript so a worker needs no compiler to start: it runs one task, `{ file, fn, args, ports }`,
// by requiring `file` and calling its export `fn(args, ports)`.
//
// `file` is a compiled .js module in production (nest build copies this file next to the output, under
// dist/apps/api/libs/core/assets/workers/), and the TypeScript source in development, tests and
// benchmarks (jest, `node -r @swc-node/register`): a .ts task registers @swc-node/register in this
// worker first, with the repository's tsconfig (its `paths` resolve `@shipei/<lib>`).
//
// A task's error comes back as data: piscina clones an Error without its fields, and a DomainError's
// status, code and details are what the HTTP layer answers with (see worker-pool.ts, which rebuilds it).
'use strict';

const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

let tsReady = false;

/** The nearest tsconfig.json above a source file: the repository's, whatever the working directory. */
function tsconfigFor(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function loadTypeScript(file) {
  if (tsReady) return;
  if (!process.env.SWC_NODE_PROJECT) {
    const project = tsconfigFor(file);
    if (project) process.env.SWC_NODE_PROJECT = project;
  }
  require('reflect-metadata');
  require('@swc-node/register');
  tsReady = true;
}

function serialise(err) {
  const e = err && typeof err === 'object' ? err : new Error(String(err));
  return {
    name: e.name,
    message: e.message,
    status: typeof e.status === 'number' ? e.status : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    details: e.details && typeof e.details === 'object' ? JSON.parse(JSON.stringify(e.details)) : undefined,
    stack: e.stack,
  };
}

module.exports = async function runTask({ file, fn, args, ports }) {
  try {
    if (file.endsWith('.ts')) loadTypeScript(file);
    const mod = require(file);
    if (typeof mod[fn] !== 'function') throw new Error(`worker task ${fn} not exported by ${file}`);
    return { ok: true, value: await mod[fn](args, ports ?? {}) };
  } catch (err) {
    return { ok: false, error: serialise(err) };
  }
};
