import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { makeIdNumber, makePhone } from '../support/fixtures';
import { ADMIN_PASSWORD } from '../support/test-app';
import {
  fieldError,
  label,
  launchBrowser,
  logIn,
  logOut,
  newUser,
  screenshot,
  startWebApp,
  WebApp,
} from './support/browser';

/**
 * In Chromium: the office creates a county account with a one-time password, the county changes
 * it at first login, adds a school and a teacher through the forms (with a domain error shown
 * under its field), finds the teacher with the list filters (masked), opens the teacher's account,
 * and the teacher sees their own record on a phone-sized page.
 */
jest.setTimeout(120_000);

describe('web pages: accounts, schools and teachers in a real browser', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  const main = (page: Page) => page.locator('main');
  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name });

  it('sends a visitor to the login page and back, and shows a wrong password in Chinese', async () => {
    const { context, page } = await newUser(browser, web.url);
    await page.goto('/app/teachers?stage=小学');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(decodeURI(new URL(page.url()).searchParams.get('next') ?? '')).toBe('/app/teachers?stage=小学');
    await logIn(page, 'admin', 'wrong-password1', null);
    await screenshot(page, 'login-wrong-password');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('用户名或密码错误');
    expect(await page.content()).not.toContain('"statusCode"');
    // The form shown again keeps where we were going.
    await expect(page.getByLabel(label('用户名')).inputValue()).resolves.toBe('admin');
    await logIn(page, 'admin', ADMIN_PASSWORD, null);
    expect(new URL(page.url()).pathname).toBe('/app/teachers');
    await expect(page.getByLabel(label('学段')).inputValue()).resolves.toBe('小学');
    await context.close();
  });

  it('lets the office create a county account, and the county must change its one-time password', async () => {
    const office = await newUser(browser, web.url);
    await logIn(office.page, 'admin', ADMIN_PASSWORD);
    await expect(office.page.locator('.topbar').innerText()).resolves.toMatch(
      /系统管理员[\s\S]*市级管理员 · 临沂市教育局/,
    );
    await nav(office.page, '账号管理').click();
    await office.page.getByRole('link', { name: '新建账号' }).click();
    await office.page.getByLabel(label('用户名')).fill('lanshan');
    await office.page.getByLabel(label('初始密码')).fill('Start1234');
    await office.page.getByLabel(label('角色')).selectOption({ label: '县区管理员' });
    await office.page.getByLabel(label('所属单位')).selectOption({ label: '兰山区' });
    await office.page.getByRole('button', { name: '保存' }).click();
    await expect(office.page.getByRole('status').innerText()).resolves.toContain('已创建账号「lanshan」');
    const row = office.page.locator('tbody tr', { hasText: 'lanshan' });
    await expect(row.innerText()).resolves.toMatch(/县区管理员[\s\S]*兰山区[\s\S]*待修改初始密码/);
    await logOut(office.page);
    await expect(office.page.getByRole('status').innerText()).resolves.toContain('已安全退出');
    // The cookie is gone: the app sends us back to the login page.
    await office.page.goto('/app');
    expect(new URL(office.page.url()).pathname).toBe('/login');
    await office.context.close();

    const county = await newUser(browser, web.url);
    await logIn(county.page, 'lanshan', 'Start1234');
    expect(new URL(county.page.url()).pathname).toBe('/password');
    await expect(county.page.locator('h1').innerText()).resolves.toBe('首次登录，请修改初始密码');
    // Other pages are closed until the password is changed.
    await county.page.goto('/app/teachers');
    expect(new URL(county.page.url()).pathname).toBe('/password');
    await county.page.getByLabel(label('当前密码')).fill('Start1234');
    await county.page.getByLabel(label('新密码')).fill('County1234');
    await county.page.getByLabel(label('确认新密码')).fill('County9999');
    await county.page.getByRole('button', { name: '保存' }).click();
    await expect(fieldError(county.page, '确认新密码')).resolves.toBe('两次输入的新密码不一致');
    await county.page.getByLabel(label('当前密码')).fill('Start1234');
    await county.page.getByLabel(label('新密码')).fill('onlyletters');
    await county.page.getByLabel(label('确认新密码')).fill('onlyletters');
    await county.page.getByRole('button', { name: '保存' }).click();
    await expect(fieldError(county.page, '新密码')).resolves.toBe('密码须同时包含字母和数字');
    await county.page.getByLabel(label('当前密码')).fill('Start1234');
    await county.page.getByLabel(label('新密码')).fill('County1234');
    await county.page.getByLabel(label('确认新密码')).fill('County1234');
    await county.page.getByRole('button', { name: '保存' }).click();
    // /app/teachers was where we were going: we land there, signed in, with the message.
    expect(new URL(county.page.url()).pathname).toBe('/app/teachers');
    await expect(county.page.getByRole('status').first().innerText()).resolves.toContain('密码已修改');
    await county.context.close();
  });

  it('lets the county add a school and a teacher through the pages, with errors in Chinese under the field', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await expect(page.locator('.topbar').innerText()).resolves.toMatch(/县区管理员 · 兰山区/);
    // The county's navigation has no office-only entries.
    await expect(page.getByRole('navigation', { name: '主导航' }).innerText()).resolves.not.toContain('审计日志');

    await nav(page, '学校管理').click();
    await expect(main(page).locator('td.empty').innerText()).resolves.toBe('暂无数据');
    await page.getByRole('link', { name: '添加学校' }).click();
    await expect(page.getByLabel(label('所属县区')).inputValue()).resolves.toBe('兰山区');
    await page.getByLabel(label('学校名称')).fill('兰山区白沙埠镇中心小学');
    await page.getByLabel(label('小学')).check();
    await page.getByLabel(label('贫困村学校（省、市扶贫工作重点村）')).check();
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('已添加学校「兰山区白沙埠镇中心小学」');
    const schoolRow = page.locator('tbody tr', { hasText: '兰山区白沙埠镇中心小学' });
    await expect(schoolRow.locator('td').nth(5).innerText()).resolves.toBe('是');
    await expect(schoolRow.locator('td').nth(6).innerText()).resolves.toBe('否');
    await screenshot(page, 'county-schools-list');

    await nav(page, '教师管理').click();
    await page.getByRole('link', { name: '添加教师' }).click();
    const id = makeIdNumber(1234, '371302', '19850312');
    const wrongCheckDigit = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    await page.getByLabel(label('姓名')).fill('王晓燕');
    await page.getByLabel(label('身份证号')).fill(wrongCheckDigit);
    await page.getByLabel(label('手机号')).fill(makePhone(1234));
    await page.getByLabel(label('任职学校')).selectOption({ label: '兰山区白沙埠镇中心小学' });
    await page.getByLabel(label('学段')).selectOption('小学');
    await page.getByLabel(label('学科')).fill('语文');
    await page.getByLabel(label('职称')).selectOption('一级教师');
    await page.getByRole('button', { name: '保存' }).click();
    // The API's own validation, as a Chinese message under the field; the other values are kept.
    await expect(page.getByRole('alert').innerText()).resolves.toContain('请按提示修改');
    await expect(fieldError(page, '身份证号')).resolves.toContain('身份证号无效');
    await expect(page.getByLabel(label('身份证号'))).toBeTruthy();
    await expect(page.getByLabel(label('身份证号')).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel(label('姓名')).inputValue()).resolves.toBe('王晓燕');
    await expect(page.getByLabel(label('学科')).inputValue()).resolves.toBe('语文');
    // Focus moves to the field in error, for keyboard and screen-reader users.
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('f-idNumber');
    await screenshot(page, 'county-teacher-form-error');
    await page.getByLabel(label('身份证号')).fill(id);
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('已添加教师「王晓燕」');
    await expect(main(page).innerText()).resolves.toMatch(/性别\s*女[\s\S]*出生日期\s*1985-03-12/);
    await expect(main(page).innerText()).resolves.toContain('371302********' + id.slice(-4));

    // A duplicate 身份证号 is a conflict the service reports; it shows under the same field.
    await page.goto('/app/teachers/new');
    await page.getByLabel(label('姓名')).fill('王晓燕');
    await page.getByLabel(label('身份证号')).fill(id);
    await page.getByLabel(label('手机号')).fill(makePhone(1235));
    await page.getByLabel(label('任职学校')).selectOption({ label: '兰山区白沙埠镇中心小学' });
    await page.getByRole('button', { name: '保存' }).click();
    await expect(fieldError(page, '身份证号')).resolves.toBe('该身份证号已在「兰山区白沙埠镇中心小学」登记');

    // A second teacher, then the list: masked, filtered, reset.
    await page.getByLabel(label('姓名')).fill('李建国');
    await page.getByLabel(label('身份证号')).fill(makeIdNumber(1236, '371302', '19780101'));
    await page.getByLabel(label('手机号')).fill(makePhone(1236));
    await page.getByLabel(label('学段')).selectOption('初中');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('已添加教师「李建国」');

    await nav(page, '教师管理').click();
    const table = main(page).locator('table');
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    const text = await table.innerText();
    expect(text).toContain('139****1234');
    expect(text).not.toContain(makePhone(1234));
    expect(text).not.toContain(id);
    await expect(main(page).locator('.pager-total').innerText()).resolves.toBe('共 2 条，每页 20 条');
    await page.getByLabel(label('学段')).selectOption('小学');
    await page.getByRole('button', { name: '查询' }).click();
    expect(new URL(page.url()).searchParams.get('stage')).toBe('小学');
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await expect(table.innerText()).resolves.toContain('王晓燕');
    await screenshot(page, 'county-teachers-list-filtered');
    await page.getByLabel(label('姓名或手机号')).fill('李');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(table.locator('td.empty').innerText()).resolves.toBe('暂无数据');
    await page.getByRole('link', { name: '重置' }).click();
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    await expect(page.getByLabel(label('学段')).inputValue()).resolves.toBe('');

    // Edit: the phone is left blank (kept), the title changes.
    await table.getByRole('link', { name: '编辑 李建国' }).click();
    await page.getByLabel(label('职称')).selectOption('高级教师');
    await page.getByLabel(label('近三年年度考核均合格')).check();
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('已保存教师「李建国」');
    await expect(main(page).innerText()).resolves.toMatch(/职称\s*高级教师[\s\S]*近三年考核合格\s*是[\s\S]*/);
    await expect(main(page).innerText()).resolves.toContain('139****1236');
    await context.close();
  });

  it('opens a teacher account, and the teacher sees their own record on a phone', async () => {
    const county = await newUser(browser, web.url);
    await logIn(county.page, 'lanshan', 'County1234');
    await county.page.goto('/app/teachers?q=王');
    await county.page.getByRole('link', { name: '查看 王晓燕' }).click();
    // The username must be the teacher's own phone number: the service says so under the field.
    await county.page.getByLabel(label('登录手机号')).fill(makePhone(1299));
    await county.page.getByLabel(label('初始密码')).fill('Teach1234');
    await county.page.getByRole('button', { name: '开通账号' }).click();
    await expect(fieldError(county.page, '登录手机号')).resolves.toBe('教师账号的用户名须为该教师的手机号');
    await county.page.getByLabel(label('登录手机号')).fill(makePhone(1234));
    await county.page.getByLabel(label('初始密码')).fill('Teach1234');
    await county.page.getByRole('button', { name: '开通账号' }).click();
    await expect(county.page.getByRole('status').innerText()).resolves.toContain('已开通登录账号');
    await county.context.close();

    const teacher = await newUser(browser, web.url, 'phone');
    await logIn(teacher.page, makePhone(1234), 'Teach1234');
    expect(new URL(teacher.page.url()).pathname).toBe('/password');
    await teacher.page.getByLabel(label('当前密码')).fill('Teach1234');
    await teacher.page.getByLabel(label('新密码')).fill('Wangxy2024');
    await teacher.page.getByLabel(label('确认新密码')).fill('Wangxy2024');
    await teacher.page.getByRole('button', { name: '保存' }).click();
    expect(new URL(teacher.page.url()).pathname).toBe('/app');
    const body = await main(teacher.page).innerText();
    expect(body).toMatch(/王晓燕[\s\S]*任职学校\s*兰山区白沙埠镇中心小学/);
    expect(body).toContain('139****1234');
    // One column at 360 px: nothing wider than the screen.
    await expect(teacher.page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
    await screenshot(teacher.page, 'teacher-home-phone');
    // Staff pages are not for teachers: an error page in Chinese, not JSON.
    const res = await teacher.page.goto('/app/teachers');
    expect(res?.status()).toBe(403);
    await expect(main(teacher.page).innerText()).resolves.toContain('无权执行此操作');
    await logOut(teacher.page);
    await teacher.context.close();
  });

  it('lets the office read the audit log with filters, and reveal a full ID number only on purpose', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await nav(page, '教师管理').click();
    await page.getByRole('link', { name: '查看 王晓燕' }).click();
    await page.getByRole('link', { name: '查看完整身份证号和手机号' }).click();
    await expect(main(page).innerText()).resolves.toContain(makeIdNumber(1234, '371302', '19850312'));
    await nav(page, '审计日志').click();
    await page.getByLabel(label('操作')).selectOption({ label: '查看完整信息' });
    await page.getByRole('button', { name: '查询' }).click();
    const rows = main(page).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().innerText()).resolves.toMatch(
      /系统管理员[\s\S]*查看完整信息[\s\S]*教师[\s\S]*身份证号、手机号/,
    );
    // Field names only: the log page never shows the values.
    expect(await main(page).innerText()).not.toContain(makeIdNumber(1234, '371302', '19850312'));
    await page.getByLabel(label('操作人用户名')).fill('lanshan');
    await page.getByLabel(label('操作')).selectOption('');
    await page.getByLabel(label('对象类型')).selectOption({ label: '教师' });
    await page.getByRole('button', { name: '查询' }).click();
    // lanshan created two teachers and edited one.
    await expect(rows.count()).resolves.toBe(3);
    await screenshot(page, 'office-audit-log');
    await context.close();
  });

  it('imports teachers from the downloaded template in three steps, listing every bad row and writing nothing until the sheet is clean', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await nav(page, '教师管理').click();
    await page.getByRole('link', { name: '导入教师' }).click();
    await expect(page.locator('.steps [aria-current="step"]').innerText()).resolves.toBe('上传文件');
    // Step 1: the template, downloaded with the page's own session cookie.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载教师导入模板（.xlsx）' }).click(),
    ]);
    const templatePath = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(templatePath);
    const ws = wb.getWorksheet('教师信息')!;
    const headerRow = [1, 2, 3, 4, 5].find(
      (r) => ws.getRow(r).getCell(1).text.startsWith('姓名') && ws.getRow(r).getCell(3).text.startsWith('手机号'),
    )!;
    const put = (n: number, cells: string[]) =>
      cells.forEach((v, i) => (ws.getRow(headerRow + n).getCell(i + 1).value = v));
    const good = makeIdNumber(2001, '371302', '19900101');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    put(1, ['赵敏', good, makePhone(2001), '兰山区白沙埠镇中心小学', '小学', '数学']);
    put(2, ['钱伟', bad, makePhone(2002), '兰山区白沙埠镇中心小学', '初中', '英语']);
    put(3, ['孙丽', makeIdNumber(2003, '371302', '19920202'), makePhone(2003), '不存在的学校', '小学', '音乐']);
    const dir = mkdtempSync(join(tmpdir(), 'shipei-import-'));
    const badFile = join(dir, '教师-有错.xlsx');
    writeFileSync(badFile, Buffer.from(await wb.xlsx.writeBuffer()));

    // Steps 2 and 3 with errors: each bad row listed, nothing written.
    await page.getByLabel(label('选择 Excel 文件（.xlsx）')).setInputFiles(badFile);
    await page.getByRole('button', { name: '检查并导入' }).click();
    await expect(page.locator('.steps [aria-current="step"]').innerText()).resolves.toBe('检查结果');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('未导入任何数据');
    const errorRows = page.locator('main table tbody tr');
    await expect(errorRows.count()).resolves.toBe(2);
    await expect(errorRows.nth(0).innerText()).resolves.toMatch(
      new RegExp(`第 ${headerRow + 2} 行\\s+身份证号\\s+\\S+`),
    );
    await expect(errorRows.nth(1).innerText()).resolves.toMatch(
      new RegExp(`第 ${headerRow + 3} 行\\s+学校\\s+.*不存在的学校`),
    );
    await screenshot(page, 'county-teacher-import-errors');
    await page.goto('/app/teachers?q=赵');
    await expect(page.locator('main td.empty').innerText()).resolves.toBe('暂无数据');

    // Fixed: all rows written.
    put(2, [
      '钱伟',
      makeIdNumber(2002, '371302', '19910101'),
      makePhone(2002),
      '兰山区白沙埠镇中心小学',
      '初中',
      '英语',
    ]);
    put(3, [
      '孙丽',
      makeIdNumber(2003, '371302', '19920202'),
      makePhone(2003),
      '兰山区白沙埠镇中心小学',
      '小学',
      '音乐',
    ]);
    const goodFile = join(dir, '教师.xlsx');
    writeFileSync(goodFile, Buffer.from(await wb.xlsx.writeBuffer()));
    await page.goto('/app/teachers/import');
    await page.getByLabel(label('选择 Excel 文件（.xlsx）')).setInputFiles(goodFile);
    await page.getByRole('button', { name: '检查并导入' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('导入成功：新增 3 名教师，更新 0 名教师。');
    await page.getByRole('link', { name: '查看教师名单' }).click();
    await expect(page.locator('main .pager-total').innerText()).resolves.toBe('共 5 条，每页 20 条');
    await context.close();
  });
});
