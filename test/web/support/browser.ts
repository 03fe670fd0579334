import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../../support/test-app';

/** Debian's Chromium (apt-get install -y chromium fonts-noto-cjk). Never downloaded by the tests. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENS_DIR = join(__dirname, '..', '..', '..', 'test-artifacts', 'screens');

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 640 };

/**
 * Chromium, headless. playwright's launch() gives every browser a fresh temporary user-data-dir
 * (deleted on close), and each user below gets their own context (cookies), so nothing is shared
 * between runs or users. `extraArgs` add Chromium switches (e.g. a fake camera for the pass scanner).
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...LAUNCH_ARGS, ...extraArgs],
    timeout: 60_000,
  });
}

export interface WebApp {
  t: TestApp;
  /** http://127.0.0.1:<port> */
  url: string;
}

/** The real app on a fresh database, listening on a free local port for the browser. */
export async function startWebApp(): Promise<WebApp> {
  const t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { t, url: `http://127.0.0.1:${port}` };
}

/** A signed-out browser user: own cookies, Chinese locale, Shanghai time, desktop or phone size. */
export async function newUser(
  browser: Browser,
  base: string,
  size: 'desktop' | 'phone' = 'desktop',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: base,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: size === 'phone' ? PHONE : DESKTOP,
    isMobile: size === 'phone',
    hasTouch: size === 'phone',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // A dialog (data-confirm) is accepted, as a user clicking 确定 would.
  page.on('dialog', (d) => void d.accept());
  return { context, page };
}

/**
 * Matches a field's label exactly, with or without the red * of a required field (the * is
 * aria-hidden, so screen readers do not read it, but playwright's label text includes it).
 */
export function label(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\*?$`);
}

/** Fills the login form (of `path`, or of the page as it is when null) and submits it with the keyboard. */
export async function logIn(
  page: Page,
  username: string,
  password: string,
  path: string | null = '/login',
): Promise<void> {
  if (path) await page.goto(path);
  await page.getByLabel(label('用户名')).fill(username);
  await page.getByLabel(label('密码')).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByLabel(label('密码')).press('Enter')]);
}

export async function logOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: '退出登录' }).first().click()]);
}

/** Saves a full-page screenshot as test-artifacts/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Runs axe-core (WCAG 2 A/AA and best practices) on the page as it is, and returns the serious
 * and critical violations. Injected with evaluate(), so the page's own CSP does not apply.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // A string, run in the page (the tests are compiled without the DOM library).
  const result = await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: String(n.html).slice(0, 200) })) }));
  })()`);
  return (result as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Text of the error shown under a field (the `<p class="field-error">` the input points to). */
export async function fieldError(page: Page, text: string): Promise<string> {
  const input = page.getByLabel(label(text));
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter((id) => id.startsWith('e-'));
  if (!ids.length) return '';
  return (await page.locator(`#${ids[0]}`).innerText()).trim();
}
