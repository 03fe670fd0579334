import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { account } from '../support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, makeIdNumber, makePhone } from '../support/fixtures';
import { ADMIN_PASSWORD } from '../support/test-app';
import { label, launchBrowser, logIn, logOut, newUser, screenshot, startWebApp, WebApp } from './support/browser';
import { controlClock, readQr, SEEDED_PASSWORD } from './support/training';

jest.setTimeout(300_000);

/**
 * The whole core journey of issue 8 in one test, in Chromium, through the pages:
 * the office creates a program and its county quota → the county imports teachers from .xlsx,
 * opens an account and nominates → the office approves, creates a cohort with a session and
 * assigns → the teacher confirms on a phone, opens the QR address of the trainer's display on a
 * 360×640 page (logging in on the way) and is checked in → the trainer's display counts it →
 * completion, certificates issued and printed (a PDF) → the public page verifies one.
 * Accounts of the county and the trainer, and the school, are set up through the API (their
 * pages are tested in people-pages); the attendance clock is set to July 2019.
 */
describe('web journey: program → nomination → cohort → QR check-in → certificate → public verification', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  const status = (page: Page) => page.getByRole('status').first();
  const tab = (page: Page, name: string) =>
    page.getByRole('navigation', { name: '项目页面' }).getByRole('link', { name });
  /** Waits for an element's text (the pages' CSP forbids playwright's string predicates). */
  const waitForText = async (page: Page, selector: string, text: string, timeout = 15_000) => {
    const until = Date.now() + timeout;
    while ((await page.locator(selector).innerText()) !== text) {
      if (Date.now() > until)
        throw new Error(`waited for "${text}", still "${await page.locator(selector).innerText()}"`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('runs from a new program to a verified certificate', async () => {
    const { http, db } = web.t;
    const setClock = controlClock(web.t, new Date('2019-07-01T10:00:00+08:00'));
    const admin = await adminToken(http);
    const lanshan = await countyIdByCode(db, '371302');
    await countyAdmin(http, admin, lanshan, 'journey_county');
    await createSchool(http, admin, lanshan, '兰山区枣园镇中心小学', { povertyVillage: true });
    await account(http, admin, { username: 'journey_trainer', role: 'TRAINER', displayName: '孙丽华' });
    const teacherPhone = makePhone(71001);

    // ——— 1. The office creates the program and gives the county its quota. ———
    const office = await newUser(browser, web.url);
    await logIn(office.page, 'admin', ADMIN_PASSWORD);
    await office.page.goto('/app/programs');
    await office.page.getByRole('link', { name: '新建培训项目' }).click();
    await office.page.getByLabel(label('项目类型')).selectOption('BACKBONE_SUMMER');
    await office.page.getByLabel(label('年度')).fill('2019');
    await office.page.getByLabel(label('项目名称')).fill('2019年全市贫困村学校骨干教师暑期培训');
    await office.page.getByLabel(label('总名额（人）')).fill('50');
    await office.page.getByLabel(label('学时')).fill('2');
    await office.page.getByLabel(label('证书编号前缀')).fill('LYGG');
    await office.page.getByRole('button', { name: '保存' }).click();
    const programPath = new URL(office.page.url()).pathname;
    expect(programPath).toMatch(/^\/app\/programs\/\d+$/);
    const programId = Number(programPath.split('/').pop());
    await tab(office.page, '名额分配').click();
    await office.page.getByLabel('兰山区名额').fill('10');
    await office.page.getByRole('button', { name: '保存名额' }).click();
    await expect(office.page.getByLabel('兰山区名额').inputValue()).resolves.toBe('10');
    await tab(office.page, '概况').click();
    await office.page.getByRole('button', { name: '开始推荐' }).click();
    await expect(office.page.locator('main').innerText()).resolves.toContain('推荐中');
    await screenshot(office.page, 'journey-1-office-program');

    // ——— 2. The county imports its teachers from the template and nominates one. ———
    const county = await newUser(browser, web.url);
    await logIn(county.page, 'journey_county', 'County1234');
    await county.page.goto('/app/teachers/import');
    const [download] = await Promise.all([
      county.page.waitForEvent('download'),
      county.page.getByRole('link', { name: '下载教师导入模板（.xlsx）' }).click(),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const ws = wb.getWorksheet('教师信息')!;
    const header = [1, 2, 3, 4, 5].find(
      (r) => ws.getRow(r).getCell(1).text.startsWith('姓名') && ws.getRow(r).getCell(3).text.startsWith('手机号'),
    )!;
    const rows = [
      ['周晓梅', makeIdNumber(71001, '371302', '19880305'), teacherPhone, '兰山区枣园镇中心小学', '小学', '语文'],
      ['吴志强', makeIdNumber(71002, '371302', '19850611'), makePhone(71002), '兰山区枣园镇中心小学', '小学', '数学'],
    ];
    rows.forEach((cells, n) => cells.forEach((v, i) => (ws.getRow(header + 1 + n).getCell(i + 1).value = v)));
    const file = join(mkdtempSync(join(tmpdir(), 'shipei-journey-')), '枣园镇教师.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    await county.page.getByLabel(label('选择 Excel 文件（.xlsx）')).setInputFiles(file);
    await county.page.getByRole('button', { name: '检查并导入' }).click();
    await expect(status(county.page).innerText()).resolves.toBe('导入成功：新增 2 名教师，更新 0 名教师。');
    // The teacher's login account, with a one-time password.
    const [teacher] = await db.query('SELECT id FROM teacher WHERE phone = ?', [teacherPhone]);
    await county.page.goto(`/app/teachers/${teacher.id}`);
    await county.page.getByLabel(label('登录手机号')).fill(teacherPhone);
    await county.page.getByLabel(label('初始密码')).fill('Start2019a');
    await county.page.getByRole('button', { name: '开通账号' }).click();
    await county.page.goto(`/app/programs/${programId}/nominate`);
    await county.page.getByRole('checkbox', { name: '选择 周晓梅' }).check();
    await county.page.getByRole('button', { name: '推荐所选教师' }).click();
    await expect(county.page.locator('main').innerText()).resolves.toContain('名额内推荐 1 人');
    await screenshot(county.page, 'journey-2-county-nominated');
    await county.context.close();

    // ——— 3. The office approves, creates a cohort with its session and trainer, and assigns. ———
    await office.page.goto(`/app/programs/${programId}/enrolments`);
    await office.page.getByRole('button', { name: '审核通过 周晓梅' }).click();
    await expect(office.page.locator('tbody tr', { hasText: '周晓梅' }).innerText()).resolves.toContain('审核通过');
    await office.page.goto(`/app/programs/${programId}/cohorts/new`);
    await office.page.getByLabel(label('班级名称')).fill('一班');
    await office.page.getByLabel(label('容量（人）')).fill('50');
    await office.page.getByLabel(label('开始日期')).fill('2019-07-15');
    await office.page.getByLabel(label('结束日期')).fill('2019-07-16');
    await office.page.getByLabel(label('培训地点')).fill('临沂大学西校区');
    await office.page.getByLabel('孙丽华').check();
    await office.page.getByRole('button', { name: '保存' }).click();
    const cohortPath = new URL(office.page.url()).pathname;
    expect(cohortPath).toMatch(/^\/app\/programs\/\d+\/cohorts\/\d+$/);
    const cohortId = Number(cohortPath.split('/').pop());
    await office.page.getByLabel(label('课次名称')).fill('新课标解读');
    await office.page.getByLabel(label('上课日期')).fill('2019-07-15');
    await office.page.getByLabel(label('开始时间')).fill('09:00');
    await office.page.getByLabel(label('结束时间')).fill('11:00');
    await office.page.getByLabel(label('学时')).fill('2');
    await office.page.getByRole('button', { name: '添加课次' }).click();
    await expect(office.page.locator('tbody tr', { hasText: '新课标解读' }).innerText()).resolves.toContain('09:00');
    const [session] = await db.query('SELECT id FROM training_session WHERE cohortId = ?', [cohortId]);
    await office.page.goto(`${cohortPath}/assign`);
    await office.page.getByRole('checkbox', { name: '选择 周晓梅' }).check();
    await office.page.getByRole('button', { name: '分入本班' }).click();
    await expect(office.page.locator('main').innerText()).resolves.toContain('周晓梅');
    await screenshot(office.page, 'journey-3-office-assigned');

    // ——— 4. The teacher, on a phone: first login, new password, 报到. ———
    const phone = await newUser(browser, web.url, 'phone');
    await logIn(phone.page, teacherPhone, 'Start2019a');
    expect(new URL(phone.page.url()).pathname).toBe('/password');
    await phone.page.getByLabel(label('当前密码')).fill('Start2019a');
    await phone.page.getByLabel(label('新密码')).fill('Zhou2019ok');
    await phone.page.getByLabel(label('确认新密码')).fill('Zhou2019ok');
    await phone.page.getByRole('button', { name: '保存' }).click();
    await phone.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的培训' }).click();
    await phone.page.getByRole('button', { name: '确认报到' }).click();
    await expect(phone.page.locator('.cards > li').first().innerText()).resolves.toMatch(/已报到[\s\S]*一班/);
    await screenshot(phone.page, 'journey-4-teacher-confirmed');
    await logOut(phone.page);

    // ——— 5. The trainer's display at 08:50; the teacher scans it and is checked in. ———
    setClock(new Date('2019-07-15T08:50:00+08:00'));
    const trainer = await newUser(browser, web.url);
    await logIn(trainer.page, 'journey_trainer', SEEDED_PASSWORD);
    await trainer.page.goto('/app/trainer');
    const [display] = await Promise.all([
      trainer.context.waitForEvent('page'),
      trainer.page
        .getByRole('link', { name: /签到大屏/ })
        .first()
        .click(),
    ]);
    await display.waitForLoadState();
    await display.setViewportSize({ width: 1280, height: 800 });
    await expect(display.locator('#count').innerText()).resolves.toBe('已签到 0 / 1');
    const qr = new URL(await readQr(display, '#qr'));
    expect(qr.searchParams.get('s')).toBe(String(session.id));
    await screenshot(display, 'journey-5-display');

    await phone.page.goto(`${qr.pathname}${qr.search}`);
    expect(new URL(phone.page.url()).pathname).toBe('/checkin/login');
    await phone.page.getByLabel(label('手机号')).fill(teacherPhone);
    await phone.page.getByLabel(label('密码')).fill('Zhou2019ok');
    await Promise.all([
      phone.page.waitForURL(/\/checkin\?/),
      phone.page.getByRole('button', { name: '登录并签到' }).click(),
    ]);
    await expect(phone.page.locator('.result').innerText()).resolves.toMatch(/签到成功[\s\S]*签到时间 08:50/);
    await expect(phone.page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
    await screenshot(phone.page, 'journey-6-phone-checked-in');
    await waitForText(display, '#count', '已签到 1 / 1');
    await expect(display.locator('#latest').innerText()).resolves.toContain('周晓梅');
    await screenshot(display, 'journey-7-display-counted');
    await trainer.context.close();

    // ——— 6. After the session: completion, certificates issued and printed. ———
    setClock(new Date('2019-07-16T18:00:00+08:00'));
    await office.page.goto(cohortPath);
    await office.page.getByRole('button', { name: '计算结业' }).click();
    await expect(status(office.page).innerText()).resolves.toMatch(/结业 1 人/);
    await office.page.goto(`${cohortPath}/certificates`);
    await office.page.getByRole('button', { name: '为已结业学员颁发证书' }).click();
    const certRow = office.page.locator('tbody tr', { hasText: '周晓梅' });
    await expect(certRow.innerText()).resolves.toMatch(/LYGG2019-0001[\s\S]*有效/);
    await screenshot(office.page, 'journey-8-certificates');
    const print = office.page.getByRole('link', { name: /打印本班证书/ });
    await expect(print.getAttribute('target')).resolves.toBe('_blank');
    const pdf = await office.page.request.get((await print.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const verifyUrl = new URL((await certRow.getByRole('link', { name: /验证页/ }).getAttribute('href'))!);
    await office.context.close();

    // ——— 7. Anyone verifies the certificate on the public page. ———
    const visitor = await newUser(browser, web.url, 'phone');
    const res = await visitor.page.goto(verifyUrl.pathname);
    expect(res?.status()).toBe(200);
    await expect(visitor.page.locator('[data-status]').innerText()).resolves.toBe('有效');
    await expect(visitor.page.locator('main').innerText()).resolves.toMatch(
      /LYGG2019-0001[\s\S]*周晓梅[\s\S]*2019年全市贫困村学校骨干教师暑期培训[\s\S]*2 学时/,
    );
    await screenshot(visitor.page, 'journey-9-verified');
    await visitor.context.close();
    await phone.context.close();
  });
});
