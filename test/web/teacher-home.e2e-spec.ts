import * as ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { makeIdNumber } from '../support/fixtures';
import { ADMIN_PASSWORD } from '../support/test-app';
import { relayed } from '../support/relay';
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
import { controlClock, cst, SEEDED_PASSWORD, seedTraining, TrainingWorld } from './support/training';

jest.setTimeout(240_000);

const FIRST = 62001;

/**
 * In Chromium (issue 19 points 3–5): the teacher's phone home shows the next step first — today's
 * session and its check-in, a place to confirm, a leave decision, an unread notice — then 学时 this
 * year against 48 and in the cycle against 360 with progress bars, then the timetable; a notice is
 * read on the phone (opening it marks it read) and its author sees 已读 n / m and who has not read.
 * Every page passes axe; screenshots are saved.
 */
describe('web pages: the teacher’s phone home, notices and the timetable', () => {
  let web: WebApp;
  let browser: Browser;
  let w: TrainingWorld;
  const found: Record<string, AxeViolation[]> = {};

  const api = (token: string) => ({
    post: async (path: string, body?: object) => {
      const r = await web.t.http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {});
      if (r.status >= 300) throw new Error(`${path} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  });

  async function check(page: Page, name: string, path?: string): Promise<void> {
    if (path) await page.goto(path);
    found[name] = await seriousA11yViolations(page);
    await screenshot(page, name);
    expect(await page.locator('h1').count()).toBe(1);
  }
  const phone = async (key: keyof TrainingWorld['teachers']) => {
    const u = await newUser(browser, web.url, 'phone');
    await logIn(u.page, w.teachers[key].phone, SEEDED_PASSWORD);
    return u;
  };
  const fitsPhone = async (page: Page) =>
    expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
  const steps = (page: Page) => page.getByRole('list', { name: '待办事项' }).locator('> li');

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    // 09:20 on the first day: S1 (09:00–11:00) is on, S2 this afternoon, S3 tomorrow.
    controlClock(web.t, cst('2019-07-15T09:20:00'));
    w = await seedTraining(web.t.http, web.t, { prefix: 'th', firstTeacher: FIRST, unconfirmed: ['A'] });
    // B is checked in (marked by the trainer); C asked leave for tomorrow and the trainer approved it.
    await web.t.http
      .put(`/api/v1/sessions/${w.sessions.S1}/attendance/${w.teachers.B.enrolmentId}`)
      .auth(w.trainer.token, { type: 'bearer' })
      .send({ status: 'PRESENT', reason: '现场确认到课' })
      .expect(200);
    const leave = await api(w.teachers.C.token).post('/api/v1/leave-requests', {
      sessionIds: [w.sessions.S3],
      type: 'SICK',
      reason: '发烧',
    });
    await api(w.trainer.token).post(`/api/v1/leave-requests/${leave.id}/approve`, { note: '好好休息' });
    // Credits earned outside the system: 12 this year, 40 earlier in the 2016–2020 cycle.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('校外学时');
    ws.addRow(['2019年校外培训学时登记表']);
    ws.addRow(['姓名', '身份证号', '培训项目名称', '主办单位', '学时', '培训日期', '证书编号']);
    ws.addRow(['李建国', makeIdNumber(FIRST + 1), '信息技术应用能力提升培训', '山东省教育厅', 12, '2019-03-01', null]);
    ws.addRow(['李建国', makeIdNumber(FIRST + 1), '课程思政专题培训', '临沂大学', 40, '2017-05-01', null]);
    ws.getColumn(2).numFmt = '@';
    await web.t.http
      .post('/api/v1/external-credits/import')
      .auth(w.county, { type: 'bearer' })
      .attach('file', Buffer.from(await wb.xlsx.writeBuffer()), '校外学时.xlsx')
      .expect(200);
    await api(w.admin).post('/api/v1/announcements', {
      title: '一班报到须知',
      body: '请于7月15日8:30前到临沂大学西校区报到，携带身份证。',
      audience: { cohortId: w.cohortId },
    });
    await relayed(web.t.app);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  it('puts the next step first on the phone: today’s session and its check-in, the notice, then 学时 with bars, the card below', async () => {
    const b = await phone('B');
    await check(b.page, 'teacher-home-next-steps-phone', '/app');
    const items = steps(b.page);
    await expect(items.nth(0).innerText()).resolves.toMatch(/今天 09:00–11:00 新课标解读[\s\S]*一班 · 出勤/);
    await expect(items.nth(0).getAttribute('data-kind')).resolves.toBe('session');
    await expect(items.nth(1).innerText()).resolves.toMatch(/今天 14:00–16:00 课堂观察与评价[\s\S]*未签到/);
    await expect(items.nth(2).innerText()).resolves.toMatch(/未读通知[\s\S]*一班报到须知/);
    // 学时: this year 12 of 48, the cycle 52 of 360, as bars.
    const bars = b.page.locator('progress');
    await expect(bars.nth(0).getAttribute('aria-label')).resolves.toBe('2019年学时 12 / 48 学时');
    await expect(bars.nth(0).getAttribute('value')).resolves.toBe('12');
    await expect(bars.nth(1).getAttribute('aria-label')).resolves.toBe('2016–2020周期学时 52 / 360 学时');
    await expect(b.page.getByTestId('credit').nth(0).innerText()).resolves.toContain('还差 36 学时');
    // The personal card comes after the next steps and the 学时.
    const order = await b.page.evaluate(`[...document.querySelectorAll('main h2')].map((h) => h.textContent.trim())`);
    expect(order).toEqual(['现在要做的', '我的学时', '课程表', '我的培训', '李建国']);
    await fitsPhone(b.page);

    // The unread notice, opened from the home page: read now, and gone from the next steps.
    await items.nth(2).getByRole('link').click();
    await check(b.page, 'announcement-phone');
    await expect(b.page.locator('h1').innerText()).resolves.toBe('一班报到须知');
    await expect(b.page.locator('.notice-body').innerText()).resolves.toContain('携带身份证');
    await expect(b.page.getByTestId('read-count').count()).resolves.toBe(0); // a reader sees no counts
    await fitsPhone(b.page);
    await b.page.goto('/app');
    await expect(b.page.getByRole('list', { name: '待办事项' }).innerText()).resolves.not.toContain('未读通知');
    await b.page.goto('/app/announcements');
    await check(b.page, 'announcements-phone');
    await expect(b.page.locator('.message').first().innerText()).resolves.not.toContain('未读');
    await b.context.close();
  });

  it('asks for the confirmation of a place, and shows a leave decision', async () => {
    const a = await phone('A');
    await a.page.goto('/app');
    const confirm = steps(a.page).filter({ hasText: '请确认报到' });
    await expect(confirm.innerText()).resolves.toContain('「2019年全市贫困村学校骨干教师暑期培训」审核已通过');
    await check(a.page, 'teacher-home-confirm-phone');
    await confirm.getByRole('button', { name: '确认报到' }).click();
    await expect(a.page.getByRole('status').first().innerText()).resolves.toContain('已确认报到');
    await a.page.goto('/app');
    await expect(steps(a.page).filter({ hasText: '请确认报到' }).count()).resolves.toBe(0);
    await a.context.close();

    const c = await phone('C');
    await c.page.goto('/app');
    await expect(steps(c.page).filter({ hasText: '请假已批准' }).innerText()).resolves.toContain('教学设计工作坊');
    await check(c.page, 'teacher-home-leave-phone');
    await c.context.close();
  });

  it('shows the cohort’s timetable on the phone, with the printable PDF', async () => {
    const b = await phone('B');
    await b.page.goto('/app');
    await b.page.getByRole('link', { name: '2019年全市贫困村学校骨干教师暑期培训 · 一班' }).click();
    await check(b.page, 'timetable-phone');
    const days = b.page.locator('main section[aria-label]');
    await expect(days.nth(0).innerText()).resolves.toMatch(
      /7月15日 星期一\s+09:00–11:00\s+新课标解读[\s\S]*14:00–16:00\s+课堂观察与评价/,
    );
    await expect(days.nth(1).innerText()).resolves.toMatch(/7月16日 星期二[\s\S]*教学设计工作坊/);
    await fitsPhone(b.page);
    const href = await b.page.getByRole('link', { name: /打印课程表/ }).getAttribute('href');
    const pdf = await b.context.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // Another cohort's timetable: not found.
    expect((await b.context.request.get(`/app/me/timetable/${w.otherCohortId}`)).status()).toBe(404);
    await b.context.close();
  });

  it('shows the author 已读 1 / 3 with a bar and who has not read', async () => {
    const admin = await newUser(browser, web.url);
    await logIn(admin.page, 'admin', ADMIN_PASSWORD);
    await admin.page.goto('/app/announcements');
    await expect(admin.page.locator('.message').first().innerText()).resolves.toContain('已读 1 / 3');
    await admin.page.getByRole('link', { name: '一班报到须知' }).click();
    await check(admin.page, 'announcement-author');
    await expect(admin.page.getByTestId('read-count').innerText()).resolves.toBe('已读 1 / 3');
    await expect(admin.page.getByRole('progressbar', { name: '已读比例' }).getAttribute('value')).resolves.toBe('1');
    const unread = await admin.page.getByRole('table', { name: '未读名单' }).innerText();
    expect(unread).toContain(w.teachers.A.name);
    expect(unread).toContain(w.teachers.C.name);
    expect(unread).not.toContain(w.teachers.B.name);
    await admin.context.close();
  });

  it('lets a county post a notice to its trainees of a cohort, then attach a file', async () => {
    const county = await newUser(browser, web.url);
    await logIn(county.page, 'th_county', 'County1234');
    await county.page.goto('/app/announcements');
    await county.page.getByRole('link', { name: '发布通知' }).click();
    await check(county.page, 'announcement-form');
    // Only its own county is offered.
    await expect(county.page.getByRole('checkbox').count()).resolves.toBe(1);
    await county.page.getByRole('button', { name: '发布' }).click();
    await expect(county.page.locator('.field-error').first().innerText()).resolves.toBe('请填写标题');
    await county.page.getByLabel(label('标题')).fill('兰山区一班学员注意事项');
    await county.page.getByLabel(label('正文')).fill('请各位学员按时签到。');
    await county.page.getByLabel('班级').selectOption({ label: '2019年全市贫困村学校骨干教师暑期培训 · 一班' });
    await county.page.getByRole('button', { name: '发布' }).click();
    await expect(county.page.getByRole('status').first().innerText()).resolves.toContain('已发送给 3 人');
    await expect(county.page.getByTestId('read-count').innerText()).resolves.toBe('已读 0 / 3');
    await county.page.getByLabel('上传附件').setInputFiles({
      name: '签到须知.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await county.page.getByRole('button', { name: '上传', exact: true }).click();
    await expect(county.page.getByRole('status').first().innerText()).resolves.toContain('附件已上传（共 1 个）');
    await expect(county.page.getByRole('list', { name: '附件' }).innerText()).resolves.toContain('签到须知.pdf');
    await check(county.page, 'announcement-county-author');
    await county.context.close();
  });

  it('found no serious or critical axe violation on any of these pages', () => {
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(9);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
  });
});
