import { AttendanceService } from '@shipei/attendance';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  logIn,
  logOut,
  newUser,
  screenshot,
  seriousA11yViolations,
  startWebApp,
  WebApp,
} from './support/browser';
import { controlClock, cst, readQr, SEEDED_PASSWORD, seedTraining, TrainingWorld } from './support/training';
import { writeQrVideo } from './support/y4m';

jest.setTimeout(300_000);

interface StoredScan {
  token: string;
  scannedAt: string;
  verdict: string;
  synced: boolean;
  serverStatus?: string;
}

/**
 * The trainer's pass scanner and the teacher's pass page in Chromium (spec §14), on a fresh
 * database (SQLite or MariaDB). The camera is Chromium's fake one, playing a video generated here
 * from real passes: 王秀英's (this cohort), 陈明's (another cohort) and 王秀英's pass edited to name
 * 李建国 (its signature no longer matches). The page is opened online, the network is switched off
 * (playwright's offline mode, which reaches the service worker too), the page is reloaded and scans
 * offline; the network comes back and the scans reach the server, which counts 王秀英 at the time of
 * the scan; sending them again changes nothing.
 */
describe('the pass scanner offline, with a fake camera, in a real browser', () => {
  let web: WebApp;
  let browser: Browser;
  let w: TrainingWorld;
  let setClock: (next: Date | string) => void;
  let dir: string;
  const pass: Record<'A' | 'X' | 'forged', string> = { A: '', X: '', forged: '' };

  beforeAll(async () => {
    web = await startWebApp();
    setClock = controlClock(web.t, cst('2019-07-15T08:40:00'));
    w = await seedTraining(web.t.http, web.t, { prefix: 'sc', firstTeacher: 62001 });
    for (const key of ['A', 'X'] as const) {
      const res = await web.t.http
        .get(`/api/v1/enrolments/${w.teachers[key].enrolmentId}/pass`)
        .auth(w.teachers[key].token, { type: 'bearer' })
        .expect(200);
      pass[key] = res.body.token;
    }
    // 王秀英's pass with 李建国's enrolment written in: the signature is 王秀英's.
    const raw = Buffer.from(pass.A.slice(3), 'base64url');
    raw.writeUInt32BE(w.teachers.B.enrolmentId, 1);
    pass.forged = `P1.${raw.toString('base64url')}`;
    dir = mkdtempSync(join(tmpdir(), 'shipei-camera-'));
    const video = join(dir, 'passes.y4m');
    writeQrVideo(video, [
      { text: pass.A, seconds: 2 },
      { text: null, seconds: 1 },
      { text: pass.X, seconds: 2 },
      { text: null, seconds: 1 },
      { text: pass.forged, seconds: 2 },
      { text: null, seconds: 1 },
    ]);
    browser = await launchBrowser([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The trainer's phone, its clock on Beijing time `at` (the server's clock is the test's too). */
  const trainerPhone = async (at: string) => {
    const u = await newUser(browser, web.url, 'phone');
    await u.context.grantPermissions(['camera']);
    await u.context.clock.setSystemTime(cst(at));
    await logIn(u.page, w.trainer.username, SEEDED_PASSWORD);
    return u;
  };
  const scannerPath = () => `/app/trainer/sessions/${w.sessions.S1}/scan`;
  const log = (page: Page, verdict: string) => page.locator(`#scan-log li[data-verdict="${verdict}"]`);
  /** The scans the page keeps in IndexedDB (a string, run in the page: the tests are compiled without the DOM library). */
  const storedScans = (page: Page): Promise<StoredScan[]> =>
    page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('shipei-scanner');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('scans').objectStore('scans').getAll();
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => reject(all.error);
      };
    })`);
  const hasOfflineCopy = (page: Page) => page.evaluate(`caches.has('shipei-offline-pages')`);
  const record = async (enrolmentId: number) =>
    web.t.db.query(
      'SELECT status, source, checkedInAt, updatedAt FROM attendance_record WHERE sessionId = ? AND enrolmentId = ?',
      [w.sessions.S1, enrolmentId],
    );
  const offlineReady = (page: Page) => page.locator('#scanner[data-offline="ready"]').waitFor({ timeout: 60_000 });

  it('serves the roster and key only to who runs the cohort, and jsQR from this site', async () => {
    const roster = `/app/trainer/sessions/${w.sessions.S1}/scan/roster`;
    const mine = await web.t.http.get(roster).auth(w.trainer.token, { type: 'bearer' }).expect(200);
    expect(mine.headers['cache-control']).toBe('no-store');
    expect(mine.body.session).toMatchObject({
      id: w.sessions.S1,
      cohortId: w.cohortId,
      lateGraceMinutes: expect.any(Number),
    });
    expect(mine.body.trainees.map((t: { name: string }) => t.name).sort()).toEqual(['张丽', '李建国', '王秀英'].sort());
    expect(mine.body.publicKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    await web.t.http.get(roster).auth(w.admin, { type: 'bearer' }).expect(200);
    await web.t.http.get(roster).auth(w.teachers.A.token, { type: 'bearer' }).expect(403);
    await web.t.http.get(roster).auth(w.county, { type: 'bearer' }).expect(403);
    await web.t.http.get(roster).expect(303);
    const jsqr = await web.t.http.get('/assets/vendor/jsqr.js?v=1').expect(200);
    expect(jsqr.headers['content-type']).toContain('javascript');
    expect(jsqr.text).toContain('jsQR');
    const sw = await web.t.http.get('/assets/offline-sw.js').expect(200);
    expect(sw.headers['service-worker-allowed']).toBe('/app/');
  });

  it('scans passes with the network off, keeps them on the phone, and syncs them once it is back', async () => {
    setClock('2019-07-15T08:55:00');
    const { context, page } = await trainerPhone('2019-07-15T08:55:00');
    await page.goto(`/app/trainer/sessions/${w.sessions.S1}`);
    await page.getByRole('link', { name: '手机扫凭证签到' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('扫凭证签到：新课标解读');
    await offlineReady(page);
    await expect(page.locator('#scanner').getAttribute('data-verifier')).resolves.toBe('webcrypto');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // From here until the network is back, the server sees nothing: the page and its roster come from
    // the service worker's copy (every answer of the page and of its roster reads the session's list).
    const served = jest.spyOn(web.t.app.get(AttendanceService), 'sessionList');
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('h1').innerText()).resolves.toBe('扫凭证签到：新课标解读');
    await expect(page.locator('#scan-conn').innerText()).resolves.toContain('离线');
    await expect(page.locator('#scan-conn').innerText()).resolves.toContain('本班 3 人的名单已保存在本机');
    await page.getByRole('button', { name: '开始扫码' }).click();
    const present = log(page, 'PRESENT');
    await present.waitFor({ timeout: 60_000 });
    await expect(present.locator('.who').innerText()).resolves.toBe('王秀英');
    await expect(present.locator('.verdict').innerText()).resolves.toBe('已签到');
    await log(page, 'OTHER').waitFor({ timeout: 60_000 });
    await expect(log(page, 'OTHER').locator('.verdict').innerText()).resolves.toBe('不在本班');
    await log(page, 'INVALID').waitFor({ timeout: 60_000 });
    await expect(log(page, 'INVALID').locator('.verdict').innerText()).resolves.toBe('无效');
    // The last result in large type.
    const verdict = page.locator('#scan-verdict');
    await expect(verdict.innerText()).resolves.toMatch(/^(已签到|不在本班|无效)$/);
    const size = await page.evaluate(`getComputedStyle(document.getElementById('scan-verdict')).fontSize`);
    expect(parseFloat(String(size))).toBeGreaterThanOrEqual(36);
    await screenshot(page, 'trainer-pass-scanner-offline');
    await page.getByRole('button', { name: '停止扫码' }).click();

    // Kept on the phone, one scan per pass however long the camera saw it; nothing reached the server.
    await expect(page.locator('#scan-unsynced').innerText()).resolves.toBe('未上传 3 条');
    const offline = await storedScans(page);
    expect(offline.map((s) => s.token).sort()).toEqual([pass.A, pass.X, pass.forged].sort());
    expect(offline.every((s) => !s.synced)).toBe(true);
    await expect(record(w.teachers.A.enrolmentId)).resolves.toEqual([]);
    // Still there after another offline reload.
    await page.reload();
    await expect(page.locator('#scan-log li').count()).resolves.toBe(3);
    await expect(page.locator('#scan-unsynced').innerText()).resolves.toBe('未上传 3 条');
    expect(served).not.toHaveBeenCalled();
    served.mockRestore();

    // The network comes back (later on the server's clock): the scans go up on their own.
    setClock('2019-07-15T09:05:00');
    await context.setOffline(false);
    await page.locator('#scan-unsynced[data-count="0"]').waitFor({ timeout: 60_000 });
    await expect(log(page, 'PRESENT').locator('.sync').innerText()).resolves.toBe('已上传：出勤');
    await expect(log(page, 'OTHER').locator('.sync').innerText()).resolves.toBe('已上传：未计入（不在本班名单中）');
    await expect(log(page, 'INVALID').locator('.sync').innerText()).resolves.toBe('已上传：未计入（凭证签名无效）');

    const scanA = offline.find((s) => s.token === pass.A)!;
    const [row] = await record(w.teachers.A.enrolmentId);
    expect(row).toMatchObject({ status: 'PRESENT', source: 'SCAN' });
    const at = new Date(row.checkedInAt).getTime();
    expect(at).toBe(Math.floor(Date.parse(scanA.scannedAt) / 1000) * 1000);
    expect(at).toBeGreaterThanOrEqual(cst('2019-07-15T08:55:00').getTime());
    expect(at).toBeLessThan(cst('2019-07-15T09:00:00').getTime());
    await expect(record(w.teachers.B.enrolmentId)).resolves.toEqual([]);

    // Sent again (another phone holding the same scans, or a retry after a lost answer): nothing changes.
    const again = await web.t.http
      .post(`/api/v1/sessions/${w.sessions.S1}/scans`)
      .auth(w.trainer.token, { type: 'bearer' })
      .send({ scans: offline.map((s) => ({ token: s.token, scannedAt: s.scannedAt })) })
      .expect(200);
    const byToken = new Map(offline.map((s, i) => [s.token, again.body.results[i]]));
    expect(byToken.get(pass.A)).toMatchObject({ status: 'PRESENT', reason: null });
    expect(byToken.get(pass.X)).toMatchObject({ status: 'REJECTED', reason: '不在本班名单中' });
    expect(byToken.get(pass.forged)).toMatchObject({ status: 'REJECTED', reason: '凭证签名无效' });
    await expect(record(w.teachers.A.enrolmentId)).resolves.toEqual([row]);

    // The trainer's list shows it as a scanned pass.
    await page.goto(`/app/trainer/sessions/${w.sessions.S1}`);
    await expect(page.locator('tr', { hasText: '王秀英' }).innerText()).resolves.toMatch(/出勤[\s\S]*培训教师扫凭证/);
    await context.close();
  });

  it('verifies passes with @noble/ed25519 where WebCrypto has no Ed25519, and shows what the server already had', async () => {
    const { context, page } = await trainerPhone('2019-07-15T09:06:00');
    // A browser without Ed25519 in WebCrypto (Chromium before 137, older Android WebViews).
    await context.addInitScript(`(() => {
      const subtle = crypto.subtle;
      const importKey = subtle.importKey.bind(subtle);
      subtle.importKey = (format, key, alg, ...rest) =>
        (typeof alg === 'string' ? alg : alg && alg.name) === 'Ed25519'
          ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
          : importKey(format, key, alg, ...rest);
    })()`);
    await page.goto(scannerPath());
    await offlineReady(page);
    await expect(page.locator('#scanner').getAttribute('data-verifier')).resolves.toBe('noble');
    await page.getByRole('button', { name: '开始扫码' }).click();
    await log(page, 'INVALID').waitFor({ timeout: 60_000 });
    await log(page, 'PRESENT').waitFor({ timeout: 60_000 });
    await expect(log(page, 'INVALID').locator('.verdict').innerText()).resolves.toBe('无效');
    await page.locator('#scan-unsynced[data-count="0"]').waitFor({ timeout: 60_000 });
    await expect(log(page, 'PRESENT').locator('.sync').innerText()).resolves.toMatch(/^已上传：已有记录/);
    await page.getByRole('button', { name: '停止扫码' }).click();
    await context.close();
  });

  it("shows the teacher's pass with the network off once the page was opened", async () => {
    const { context, page } = await newUser(browser, web.url, 'phone');
    await logIn(page, w.teachers.A.phone, SEEDED_PASSWORD);
    await page.goto('/app/me/attendance');
    await expect(readQr(page, '.pass-card img')).resolves.toBe(pass.A);
    await page.locator('html[data-offline="ready"]').waitFor({ timeout: 60_000 });
    // The worker keeps the page once it controls it: the next visit stores it.
    await page.reload();
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('h1').innerText()).resolves.toBe('我的考勤');
    await expect(readQr(page, '.pass-card img')).resolves.toBe(pass.A);
    // Nothing else of the site is kept.
    await expect(page.goto('/app/me/leave')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    // Signing out drops the copy (a phone someone else uses next).
    await context.setOffline(false);
    await page.goto('/app/me/attendance');
    await expect(hasOfflineCopy(page)).resolves.toBe(true);
    await logOut(page);
    await expect(hasOfflineCopy(page)).resolves.toBe(false);
    await context.close();
  });
});
