#!/usr/bin/env node
// The system packages the tests need, checked before every `npm test` (and `npm run test:unit`).
// Nothing else outside node_modules is used by a test; a new tool a test runs belongs in requirements().
// Chromium cannot come from npm here (playwright's browser download is not reachable, and the pages
// are tested in Debian's Chromium on purpose), and poppler reads the PDFs back as an independent
// reader, so `npm ci` alone cannot bring them. Instead this script:
//   - all present (the usual case): prints nothing and exits 0 in a few milliseconds (no apt, no dpkg);
//   - missing, as root with apt-get: installs them (non-interactive, waits for the dpkg lock) and says so;
//   - missing otherwise: exits 1 at once with the exact command to run.
// `--dry-run` prints what it would run instead of running it.
'use strict';

const { spawnSync } = require('node:child_process');
const { accessSync, constants, existsSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { delimiter, join } = require('node:path');

const APT_GET = '/usr/bin/apt-get';
const FLOCK = '/usr/bin/flock';
const NOTO_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
// Two `npm test` runs side by side (CI runs SQLite and MariaDB at once) install one after the other.
const LOCK_FILE = join(tmpdir(), 'shipei-test-system-deps.lock');
const APT_OPTIONS = ['-o', 'DPkg::Lock::Timeout=300', '-q'];

/**
 * What the tests use, by Debian package. `found` probes the machine without starting a process
 * (except fc-list, and only when Debian's font file is absent).
 */
function requirements(env) {
  const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
  return [
    {
      pkg: 'chromium',
      what: `Chromium at ${chromium} (the browser suites)`,
      // A CHROMIUM_PATH of one's own is not something apt can put there.
      installable: !env.CHROMIUM_PATH,
      found: () => isExecutable(chromium),
    },
    {
      pkg: 'poppler-utils',
      what: 'pdftotext, pdffonts, pdftoppm (reading PDFs back)',
      installable: true,
      found: () => ['pdftotext', 'pdffonts', 'pdftoppm'].every((bin) => onPath(bin, env.PATH)),
    },
    {
      pkg: 'fonts-noto-cjk',
      what: 'a Chinese font for Chromium (Noto Sans CJK)',
      installable: true,
      found: () => existsSync(NOTO_CJK) || hasChineseFont(env.PATH),
    },
    {
      pkg: 'unzip',
      what: 'unzip (checking the archives the app writes)',
      installable: true,
      found: () => onPath('unzip', env.PATH),
    },
    {
      pkg: 'mariadb-server',
      what: 'mariadbd and mariadb-install-db (a private server the database-fault suite stops and starts, on SQLite runs too)',
      installable: true,
      // The paths test/support/private-mariadb.ts looks at.
      found: () =>
        ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].some(isExecutable) &&
        ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'].some(isExecutable),
    },
  ];
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(bin, path = '') {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => isExecutable(join(dir, bin)));
}

function hasChineseFont(path) {
  if (!onPath('fc-list', path)) return false;
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8', env: { PATH: path } });
  return r.status === 0 && r.stdout.trim() !== '';
}

/**
 * The decision, apart from the machine so it can be unit-tested. `missing` are requirements not
 * found; the answer is what to run (`install`), or the message to stop with (`fail`), or `ok`.
 */
function decide({ missing, isRoot, hasAptGet, dryRun = false }) {
  if (missing.length === 0) return { action: 'ok' };
  const list = missing.map((r) => `  - ${r.pkg}: ${r.what}`).join('\n');
  const unfixable = missing.filter((r) => !r.installable);
  if (unfixable.length > 0) {
    return {
      action: 'fail',
      message: `The tests need, and this machine lacks:\n${list}\nCHROMIUM_PATH is set, so install that browser yourself or unset CHROMIUM_PATH.`,
    };
  }
  const pkgs = missing.map((r) => r.pkg);
  const commands = [
    ['apt-get', ...APT_OPTIONS, 'update'],
    ['apt-get', ...APT_OPTIONS, 'install', '-y', ...pkgs],
  ];
  const sudo = `sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}`;
  if (!hasAptGet) {
    return {
      action: 'fail',
      message: `The tests need, and this machine lacks:\n${list}\nOn Debian or Ubuntu: ${sudo}\nElsewhere, install the same with your package manager (set CHROMIUM_PATH if Chromium lives elsewhere).`,
    };
  }
  if (!isRoot) {
    return {
      action: 'fail',
      message: `The tests need, and this machine lacks:\n${list}\nInstall them, then run the tests again:\n\n  ${sudo}\n`,
    };
  }
  return { action: dryRun ? 'dry-run' : 'install', packages: pkgs, commands };
}

function missingOn(env) {
  return requirements(env).filter((r) => !r.found());
}

function say(line) {
  process.stderr.write(`[system-deps] ${line}\n`);
}

/** Runs apt-get as root, one install at a time on this machine; true when it exited 0. */
function install(commands) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const script = [
    // An install that was interrupted leaves dpkg half-configured; apt-get refuses to go on until it is finished.
    'dpkg --configure -a',
    ...commands.map((c) => c.map(shellQuote).join(' ')),
  ].join(' && ');
  // Everything to stderr, so a `--json` report on stdout stays parseable.
  const r = spawnSync(FLOCK, ['-w', '900', LOCK_FILE, 'sh', '-c', script], { stdio: ['ignore', 2, 2], env });
  return r.status === 0;
}

function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function main(argv) {
  const dryRun = argv.includes('--dry-run');
  const env = process.env;
  const missing = missingOn(env);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const d = decide({ missing, isRoot, hasAptGet: isExecutable(APT_GET), dryRun });
  if (d.action === 'ok') return 0;
  if (d.action === 'fail') {
    say(d.message);
    return 1;
  }
  const pretty = d.commands.map((c) => c.join(' ')).join(' && ');
  if (d.action === 'dry-run') {
    say(`missing: ${d.packages.join(' ')}; would run (as root): ${pretty}`);
    return 1;
  }
  say(`missing: ${d.packages.join(' ')}; installing with: ${pretty}`);
  const started = Date.now();
  // Another `npm test` may have installed them while this one waited for the lock: apt-get then does nothing.
  const ok = install(d.commands);
  const still = missingOn(env);
  if (still.length > 0) {
    say(`apt-get ${ok ? 'finished' : 'failed'}, and still missing: ${still.map((r) => r.pkg).join(' ')}`);
    return 1;
  }
  if (!ok) say('apt-get failed, but everything the tests need is there now');
  say(`installed ${d.packages.join(' ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  return 0;
}

module.exports = { decide, requirements, missingOn };

if (require.main === module) process.exit(main(process.argv.slice(2)));
