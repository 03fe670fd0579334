import { enableCompiledStatements } from './compiled-statements';
import { installedVersion } from './installed-version';
import { reusePromiseWrappers, typeormMysql2Path } from './mysql2-promise-wrappers';
import { memoiseValidationMetadata } from './validation-metadata';

/**
 * A speed-up that reaches into a dependency: written for one version of it (pinned exactly in
 * package.json), applied only when that version is the one installed.
 */
export interface PerfPatch {
  name: string;
  pkg: string;
  version: string;
  /** Where the package is resolved from (the copy the patch touches); default: this lib. */
  resolveFrom?: () => string;
  apply: () => void;
}

export const PERF_PATCHES: readonly PerfPatch[] = [
  {
    name: 'mysql2 PoolConnection.promise() wrapper reuse',
    pkg: 'mysql2',
    version: '3.24.6',
    resolveFrom: typeormMysql2Path,
    apply: reusePromiseWrappers,
  },
  {
    name: 'class-validator metadata lookup memo',
    pkg: 'class-validator',
    version: '0.15.1',
    apply: memoiseValidationMetadata,
  },
  { name: 'TypeORM compiled statements', pkg: 'typeorm', version: '1.1.1', apply: enableCompiledStatements },
];

/**
 * Applies every speed-up whose package is at the version it was written for, and warns about (and
 * skips) the others: the app then runs as the unpatched packages do, only slower. Called once, by
 * createApp. Returns the names applied.
 */
export function applyPerformancePatches(
  warn: (message: string) => void,
  patches: readonly PerfPatch[] = PERF_PATCHES,
): string[] {
  const applied: string[] = [];
  for (const patch of patches) {
    const found = installedVersion(patch.pkg, patch.resolveFrom?.());
    if (found !== patch.version) {
      warn(
        `性能补丁未启用：${patch.name} 针对 ${patch.pkg}@${patch.version} 编写，已安装 ${found ?? '（未找到）'}；` +
          `the app runs unpatched. Check libs/core/src/perf and its tests before pinning the new version.`,
      );
      continue;
    }
    patch.apply();
    applied.push(patch.name);
  }
  return applied;
}

export { CompiledStatements, hydrate, runStatement, whereShape } from './compiled-statements';
