import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The version of `pkg` as `require` resolves it from `from` (a resolved file path; default: this
 * file), read from its package.json: the copy a patch would touch, not the one package.json asks for.
 */
export function installedVersion(pkg: string, from: string = __filename): string | undefined {
  let dir: string;
  try {
    dir = dirname(createRequire(from).resolve(pkg));
  } catch {
    return undefined;
  }
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (json.name === pkg) return json.version;
    } catch {
      // no package.json at this level: go up
    }
  }
  return undefined;
}
