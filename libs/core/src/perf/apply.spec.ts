import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPerformancePatches, PERF_PATCHES } from '.';
import { installedVersion } from './installed-version';

describe('applyPerformancePatches', () => {
  it('pins each patched package in package.json to the version the patch was written for, which is installed', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const p of PERF_PATCHES) {
      expect(pkg.dependencies[p.pkg]).toBe(p.version);
      expect(installedVersion(p.pkg, p.resolveFrom?.())).toBe(p.version);
    }
  });

  it('applies a patch on its version and skips one on another version with a warning', () => {
    const applied: string[] = [];
    const warnings: string[] = [];
    const names = applyPerformancePatches(
      (m) => warnings.push(m),
      [
        { name: 'right', pkg: 'typeorm', version: installedVersion('typeorm')!, apply: () => applied.push('right') },
        { name: 'wrong', pkg: 'typeorm', version: '0.0.1', apply: () => applied.push('wrong') },
        { name: 'absent', pkg: 'no-such-package-here', version: '1.0.0', apply: () => applied.push('absent') },
      ],
    );
    expect(names).toEqual(['right']);
    expect(applied).toEqual(['right']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('typeorm@0.0.1');
    expect(warnings[1]).toContain('未找到');
  });
});
