import type { Browser, Page } from 'playwright-core';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from '../support/fixtures';
import { ADMIN_PASSWORD } from '../support/test-app';
import {
  AxeViolation,
  label,
  launchBrowser,
  logIn,
  newUser,
  screenshot,
  seriousA11yViolations,
  startWebApp,
  WebApp,
} from './support/browser';
import { checkinCode, controlClock, SEEDED_PASSWORD, seedTraining } from './support/training';

jest.setTimeout(180_000);

/**
 * Every page built so far, for each role that uses it: axe-core finds no serious or critical
 * violation (WCAG 2.1 A/AA and best practices), including pages showing form errors; a
 * screenshot of each goes to test-artifacts/screens. Plus: everything works by keyboard, the
 * first page's script and style stay far below 100 KB, and teacher pages fit a 360 px phone.
 */
describe('web pages: accessibility, keyboard, weight, phone', () => {
  let web: WebApp;
  let browser: Browser;
  let teacherId: number;
  let schoolId: number;
  const found: Record<string, AxeViolation[]> = {};
  let withoutAccount: number;

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const { http, db } = web.t;
    const admin = await adminToken(http);
    const lanshan = await countyIdByCode(db, '371302');
    const county = await countyAdmin(http, admin, lanshan, 'lanshan');
    schoolId = await createSchool(http, county, lanshan, '兰山区第一实验小学', { povertyVillage: true });
    teacherId = await createTeacher(http, county, schoolId, 501, {
      stage: '小学',
      subject: '语文',
      title: '一级教师',
      teachingStartYear: 2006,
    });
    withoutAccount = await createTeacher(http, county, schoolId, 502, { stage: '初中', subject: '数学' });
    await http
      .post('/api/v1/users')
      .auth(county, { type: 'bearer' })
      .send({ username: makePhone(501), password: 'Start1234', role: 'TEACHER', teacherId })
      .expect(201);
    await http
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ username: 'trainer1', password: 'Trainer123', role: 'TRAINER' })
      .expect(201);
    // An account whose password the office page resets (the others log in later).
    await http
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ username: 'reset_me', password: 'Trainer123', role: 'TRAINER' })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  /** Opens (or keeps) a page, checks it with axe and saves a screenshot. */
  async function expectAccessiblePage(page: Page, name: string, path?: string): Promise<void> {
    if (path) await page.goto(path);
    found[name] = await seriousA11yViolations(page);
    await screenshot(page, name);
    expect(await page.title()).toMatch(/ - 临沂市教师培训与人才支持管理平台$/);
    expect(await page.locator('h1').count()).toBe(1);
  }

  it('passes axe on the login page, also with an error, and logs in by keyboard alone', async () => {
    const { context, page } = await newUser(browser, web.url);
    await expectAccessiblePage(page, 'login', '/login');
    await logIn(page, 'admin', 'wrong-password1');
    await expectAccessiblePage(page, 'login-error');
    // Keyboard only: Tab to each field, type, Enter.
    await page.goto('/login');
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('f-username');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('f-password');
    await page.keyboard.type(ADMIN_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/app');
    // The first Tab on a framed page reaches the skip link, which moves focus to the content.
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('跳到主要内容');
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('main');
    await context.close();
  });

  it('passes axe on every office page', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await expectAccessiblePage(page, 'office-home', '/app');
    await expectAccessiblePage(page, 'office-schools', '/app/schools');
    await expectAccessiblePage(page, 'office-school-new', '/app/schools/new');
    await expectAccessiblePage(page, 'office-school-edit', `/app/schools/${schoolId}/edit`);
    await expectAccessiblePage(page, 'office-teachers', '/app/teachers');
    await expectAccessiblePage(
      page,
      'office-teachers-county',
      `/app/teachers?countyId=${await countyIdByCode(web.t.db, '371302')}`,
    );
    await expectAccessiblePage(page, 'office-teacher-new', '/app/teachers/new');
    await expectAccessiblePage(page, 'office-teacher-detail', `/app/teachers/${teacherId}`);
    await expectAccessiblePage(page, 'office-teacher-edit', `/app/teachers/${teacherId}/edit`);
    await expectAccessiblePage(page, 'office-teacher-import', '/app/teachers/import');
    await expectAccessiblePage(page, 'office-users', '/app/users');
    await expectAccessiblePage(page, 'office-user-new', '/app/users/new');
    await page.getByRole('button', { name: '保存' }).click();
    await expectAccessiblePage(page, 'office-user-new-errors');
    await page.goto('/app/users');
    await page.getByRole('link', { name: '修改角色 trainer1' }).click();
    await expectAccessiblePage(page, 'office-user-edit');
    await page.goto('/app/users');
    await page.getByRole('button', { name: '重置密码 reset_me' }).click();
    await expectAccessiblePage(page, 'office-user-reset');
    await expectAccessiblePage(page, 'office-teacher-no-account', `/app/teachers/${withoutAccount}`);
    await expectAccessiblePage(page, 'office-audit', '/app/audit');
    await expectAccessiblePage(page, 'office-deliveries', '/app/deliveries');
    await expectAccessiblePage(page, 'office-messages', '/app/messages');
    await expectAccessiblePage(page, 'office-password', '/password');
    const missing = await page.goto('/app/no-such-page');
    expect(missing?.status()).toBe(404);
    await expectAccessiblePage(page, 'office-not-found');
    await context.close();
  });

  it('passes axe on the county pages, with form errors and the batch list used by keyboard', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await expectAccessiblePage(page, 'county-home', '/app');
    await expectAccessiblePage(page, 'county-teacher-new', '/app/teachers/new');
    await page.getByRole('button', { name: '保存' }).click();
    await expectAccessiblePage(page, 'county-teacher-new-errors');
    await expectAccessiblePage(page, 'county-teacher-import', '/app/teachers/import');
    await expectAccessiblePage(page, 'county-users', '/app/users');
    await expectAccessiblePage(page, 'county-teachers', '/app/teachers');
    await expectAccessiblePage(page, 'county-schools', '/app/schools');
    // Select-all by keyboard, then a batch action.
    const selectAll = page.getByRole('checkbox', { name: '全选本页学校' });
    await selectAll.focus();
    await page.keyboard.press('Space');
    await expect(page.locator('input[name=ids]:checked').count()).resolves.toBe(1);
    await page.getByLabel(label('批量操作')).selectOption('receiving-on');
    await page.getByRole('button', { name: '应用到所选学校' }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await expect(page.getByRole('status').innerText()).resolves.toBe('1 所学校已设为受援学校。');
    await expect(page.locator('tbody tr').first().locator('td').nth(6).innerText()).resolves.toBe('是');
    await context.close();
  });

  it('passes axe on the trainer home', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'trainer1', 'Trainer123');
    await expectAccessiblePage(page, 'trainer-password-first');
    await page.getByLabel(label('当前密码')).fill('Trainer123');
    await page.getByLabel(label('新密码')).fill('Trainer456');
    await page.getByLabel(label('确认新密码')).fill('Trainer456');
    await page.getByRole('button', { name: '保存' }).click();
    await expectAccessiblePage(page, 'trainer-home', '/app');
    await context.close();
  });

  it('fits the teacher pages on a 360 px phone, with large controls, and passes axe', async () => {
    const { context, page } = await newUser(browser, web.url, 'phone');
    await expectAccessiblePage(page, 'phone-login', '/login');
    await logIn(page, makePhone(501), 'Start1234');
    await expectAccessiblePage(page, 'phone-teacher-password-first');
    await page.getByLabel(label('当前密码')).fill('Start1234');
    await page.getByLabel(label('新密码')).fill('Teacher501');
    await page.getByLabel(label('确认新密码')).fill('Teacher501');
    await page.getByRole('button', { name: '保存' }).click();
    await expectAccessiblePage(page, 'phone-teacher-home', '/app');
    await expectAccessiblePage(page, 'phone-teacher-password', '/password');
    await page.goto('/app/schools');
    await expectAccessiblePage(page, 'phone-teacher-forbidden');
    for (const path of ['/login', '/app', '/password']) {
      await page.goto(path);
      await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
    }
    // Buttons a thumb can hit: at least 44 px high.
    await page.goto('/app');
    const heights = (await page
      .locator('main .btn')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) as number[];
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
    await context.close();
  });

  it('passes axe on the trainer and teacher pages, the check-in display and landing page, and the verification page', async () => {
    const setClock = controlClock(web.t, new Date('2019-07-15T08:50:00+08:00'));
    const w = await seedTraining(web.t.http, web.t, { prefix: 'ax', firstTeacher: 62001, unconfirmed: ['A'] });
    const trainer = await newUser(browser, web.url);
    await logIn(trainer.page, w.trainer.username, SEEDED_PASSWORD);
    await expectAccessiblePage(trainer.page, 'a11y-trainer-cohorts', '/app/trainer');
    await expectAccessiblePage(trainer.page, 'a11y-trainer-cohort', `/app/trainer/cohorts/${w.cohortId}`);
    await expectAccessiblePage(trainer.page, 'a11y-trainer-session', `/app/trainer/sessions/${w.sessions.S1}`);
    await expectAccessiblePage(
      trainer.page,
      'a11y-trainer-correct',
      `/app/trainer/sessions/${w.sessions.S1}/attendance/${w.teachers.B.enrolmentId}`,
    );
    await expectAccessiblePage(
      trainer.page,
      'a11y-trainer-pass-scanner',
      `/app/trainer/sessions/${w.sessions.S1}/scan`,
    );
    await expectAccessiblePage(trainer.page, 'a11y-checkin-display', `/app/trainer/sessions/${w.sessions.S1}/display`);
    // The display's buttons by keyboard: Tab reaches 全屏显示 and 返回考勤名单.
    await trainer.page.keyboard.press('Tab');
    await expect(trainer.page.evaluate('document.activeElement.textContent')).resolves.toBe('全屏显示');
    await trainer.page.keyboard.press('Tab');
    await expect(trainer.page.evaluate('document.activeElement.textContent')).resolves.toBe('返回考勤名单');

    const phone = await newUser(browser, web.url, 'phone');
    const code = await checkinCode(web.t.http, w.trainer.token, w.sessions.S1);
    await phone.page.goto(`/checkin?s=${w.sessions.S1}&c=${code}`);
    await expectAccessiblePage(phone.page, 'a11y-checkin-login');
    await phone.page.getByLabel(label('手机号')).fill(w.teachers.C.phone);
    await phone.page.getByLabel(label('密码')).fill(SEEDED_PASSWORD);
    await Promise.all([phone.page.waitForURL(/\/checkin\?/), phone.page.getByLabel(label('密码')).press('Enter')]);
    await expectAccessiblePage(phone.page, 'a11y-checkin-result');
    setClock('2019-07-15T08:52:00');
    await phone.page.goto(`/checkin?s=${w.sessions.S2}&c=${code}`);
    await expectAccessiblePage(phone.page, 'a11y-checkin-refused');
    await expectAccessiblePage(phone.page, 'a11y-teacher-programs', '/app/me/programs');
    await expectAccessiblePage(phone.page, 'a11y-teacher-attendance', '/app/me/attendance');
    await expectAccessiblePage(phone.page, 'a11y-teacher-leave', '/app/me/leave');
    await expectAccessiblePage(phone.page, 'a11y-teacher-leave-new', '/app/me/leave/new');
    await phone.page.getByRole('button', { name: '提交申请' }).click();
    await expectAccessiblePage(phone.page, 'a11y-teacher-leave-new-errors');
    await phone.page.getByLabel(/教学设计工作坊/).check();
    await phone.page.getByLabel('事假').check();
    await phone.page.getByLabel(label('请假事由')).fill('外出送考');
    await phone.page.getByRole('button', { name: '提交申请' }).click();
    await expectAccessiblePage(phone.page, 'a11y-teacher-certificates', '/app/me/certificates');
    await expectAccessiblePage(phone.page, 'a11y-teacher-messages', '/app/messages');
    for (const path of [
      '/app/messages',
      '/app/me/programs',
      '/app/me/attendance',
      '/app/me/leave',
      '/app/me/leave/new',
      '/app/me/certificates',
    ]) {
      await phone.page.goto(path);
      await expect(phone.page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
    }
    await phone.context.close();

    const [leave] = await web.t.db.query('SELECT id FROM leave_request WHERE enrolmentId = ?', [
      w.teachers.C.enrolmentId,
    ]);
    await expectAccessiblePage(trainer.page, 'a11y-trainer-leave', '/app/trainer/leave');
    await expectAccessiblePage(trainer.page, 'a11y-trainer-leave-detail', `/app/trainer/leave/${leave.id}`);
    await trainer.context.close();

    const decline = await newUser(browser, web.url, 'phone');
    await logIn(decline.page, w.teachers.D.phone, SEEDED_PASSWORD);
    await expectAccessiblePage(
      decline.page,
      'a11y-teacher-decline',
      `/app/me/programs/${w.teachers.D.enrolmentId}/decline`,
    );
    await decline.context.close();

    const visitor = await newUser(browser, web.url, 'phone');
    await expectAccessiblePage(visitor.page, 'a11y-verify-not-found', '/verify/AAAAAAAAAAAAAAAAAAAAAA');
    await visitor.context.close();
    jest.restoreAllMocks();
  });

  // Programs, certificates, schemes and records: these lists and forms here; every page of theirs
  // with real data (quotas, review, cohorts, certificates, placements, ledger) in office-pages and
  // county-pages.e2e-spec.ts, which run the same axe check on each page they open.
  it('passes axe on the program, certificate, scheme and record pages of the office and the county', async () => {
    for (const [user, password, who] of [
      ['admin', ADMIN_PASSWORD, 'office'],
      ['lanshan', 'County1234', 'county'],
    ]) {
      const { context, page } = await newUser(browser, web.url);
      await logIn(page, user, password);
      const pages = {
        programs: '/app/programs',
        'program-new': '/app/programs/new',
        'certificate-register': '/app/certificate-register',
        schemes: '/app/schemes',
        placements: '/app/placements',
        'records-teachers': '/app/records/teachers',
        compliance: '/app/records/compliance',
        'teacher-file': `/app/records/teachers/${teacherId}`,
      };
      for (const [name, path] of Object.entries(pages)) await expectAccessiblePage(page, `a11y-${who}-${name}`, path);
      await page.goto('/app/programs/new');
      await page.getByRole('button', { name: '保存' }).click();
      await expectAccessiblePage(page, `a11y-${who}-program-new-errors`);
      await context.close();
    }
  });

  it('loads the first page with well under 100 KB of script and style', async () => {
    const { context, page } = await newUser(browser, web.url, 'phone');
    // Bodies are read while the page is open; all reads are awaited before the context closes.
    const sizes: Promise<number>[] = [];
    page.on('response', (res) => {
      if (['script', 'stylesheet'].includes(res.request().resourceType())) sizes.push(res.body().then((b) => b.length));
    });
    await page.goto('/login', { waitUntil: 'networkidle' });
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(100 * 1024);
    await context.close();
  });

  afterAll(() => {
    // One readable list of what axe found, page by page (also asserted below).
    const bad = Object.entries(found).filter(([, v]) => v.length);
    if (bad.length) console.warn(JSON.stringify(Object.fromEntries(bad), null, 2));
  });

  it('found no serious or critical axe violation on any page', () => {
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(30);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
  });
});
