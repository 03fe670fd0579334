import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The script is plain JavaScript, so that it runs with node alone before jest starts.
interface Requirement {
  pkg: string;
  what: string;
  installable: boolean;
  found(): boolean;
}
interface Decision {
  action: 'ok' | 'install' | 'dry-run' | 'fail';
  packages?: string[];
  commands?: string[][];
  message?: string;
}
interface SystemDeps {
  decide(input: { missing: Requirement[]; isRoot: boolean; hasAptGet: boolean; dryRun?: boolean }): Decision;
  requirements(env: NodeJS.ProcessEnv): Requirement[];
  missingOn(env: NodeJS.ProcessEnv): Requirement[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deps = require('./system-deps') as SystemDeps;
const SCRIPT = join(__dirname, 'system-deps.js');

const all = deps.requirements({ PATH: '' });
const named = (...pkgs: string[]) => all.filter((r) => pkgs.includes(r.pkg));

describe('system-deps: what to do about missing packages', () => {
  it('does nothing when nothing is missing', () => {
    expect(deps.decide({ missing: [], isRoot: false, hasAptGet: false })).toEqual({ action: 'ok' });
  });

  it('as root with apt-get: updates the lists, then installs exactly the missing packages, waiting for the dpkg lock', () => {
    const d = deps.decide({ missing: named('chromium', 'fonts-noto-cjk'), isRoot: true, hasAptGet: true });
    expect(d.action).toBe('install');
    expect(d.packages).toEqual(['chromium', 'fonts-noto-cjk']);
    expect(d.commands).toEqual([
      ['apt-get', '-o', 'DPkg::Lock::Timeout=300', '-q', 'update'],
      ['apt-get', '-o', 'DPkg::Lock::Timeout=300', '-q', 'install', '-y', 'chromium', 'fonts-noto-cjk'],
    ]);
  });

  it('with --dry-run: says what it would install and installs nothing', () => {
    const d = deps.decide({ missing: named('poppler-utils'), isRoot: true, hasAptGet: true, dryRun: true });
    expect(d.action).toBe('dry-run');
    expect(d.packages).toEqual(['poppler-utils']);
  });

  it('not root: stops with the exact command to run', () => {
    const d = deps.decide({ missing: named('chromium', 'poppler-utils'), isRoot: false, hasAptGet: true });
    expect(d.action).toBe('fail');
    expect(d.message).toContain('sudo apt-get update && sudo apt-get install -y chromium poppler-utils\n');
    expect(d.message).not.toContain('fonts-noto-cjk');
  });

  it('without apt-get: stops, naming the packages and what they provide', () => {
    const d = deps.decide({ missing: named('poppler-utils'), isRoot: true, hasAptGet: false });
    expect(d.action).toBe('fail');
    expect(d.message).toContain('poppler-utils: pdftotext, pdffonts, pdftoppm');
  });

  it('a CHROMIUM_PATH that does not exist is not installed over, even as root', () => {
    const missing = deps.missingOn({ PATH: process.env.PATH, CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(missing.map((r) => r.pkg)).toContain('chromium');
    const d = deps.decide({ missing, isRoot: true, hasAptGet: true });
    expect(d.action).toBe('fail');
    expect(d.message).toContain('CHROMIUM_PATH');
  });
});

describe('system-deps on this machine', () => {
  let fakeBin: string;

  beforeAll(() => {
    // A PATH with pdftotext, pdffonts and unzip but no pdftoppm: poppler-utils looks half-installed.
    fakeBin = mkdtempSync(join(tmpdir(), 'system-deps-'));
    for (const bin of ['pdftotext', 'pdffonts', 'unzip']) {
      symlinkSync(execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim(), join(fakeBin, bin));
    }
  });
  afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

  it('finds everything the tests need (npm test checked it before jest started)', () => {
    expect(deps.missingOn(process.env).map((r) => r.pkg)).toEqual([]);
  });

  it('sees a missing binary on PATH', () => {
    expect(deps.missingOn({ ...process.env, PATH: fakeBin }).map((r) => r.pkg)).toEqual(['poppler-utils']);
  });

  it('--dry-run prints the apt-get command for what is missing and exits 1', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--dry-run'], {
      env: { ...process.env, PATH: fakeBin },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    if (process.getuid?.() === 0) {
      expect(r.stderr).toContain('would run (as root): apt-get -o DPkg::Lock::Timeout=300 -q update && ');
      expect(r.stderr).toContain('install -y poppler-utils\n');
    } else {
      expect(r.stderr).toContain('sudo apt-get install -y poppler-utils');
    }
  });

  it('not root: exits 1 at once with the sudo command, without touching apt', () => {
    // As root, the script is run as nobody; otherwise it already runs as a plain user.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !existsSync('/usr/bin/setpriv')) throw new Error('setpriv (util-linux) is needed to drop root');
    // A copy nobody can read wherever the checkout is (the script needs only node's own modules).
    const script = join(fakeBin, 'system-deps.js');
    copyFileSync(SCRIPT, script);
    chmodSync(fakeBin, 0o755);
    const [cmd, args] = asRoot
      ? ['/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script]]
      : [process.execPath, [script]];
    const started = Date.now();
    const r = spawnSync(cmd, args, { env: { ...process.env, PATH: fakeBin }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('\n  sudo apt-get update && sudo apt-get install -y poppler-utils\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
