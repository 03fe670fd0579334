import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  makeIdNumber,
} from '../support/fixtures';
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

jest.setTimeout(240_000);

/**
 * The county's side in Chromium (SQLite by default; MariaDB with TEST_DATABASE_URL): nominate
 * eligible teachers of its own into an open city program within its quota and see 候补 beyond it;
 * a bulk nomination from .xlsx refused with its bad rows listed (nothing written), then accepted;
 * a withdrawal that promotes the first alternate; its own thematic program created and opened; a
 * talent-support nomination refused with every failed selection rule listed, then made; the
 * teacher file and the compliance list of its county.
 */
describe('web pages: a county nominates in a real browser', () => {
  let web: WebApp;
  let browser: Browser;
  let admin: string;
  let lanshan: number;
  let programId: number;
  let schemeId: number;
  const eligible: number[] = [];

  const main = (page: Page) => page.locator('main');
  /** axe findings (serious and critical) per page, asserted empty at the end. */
  const found: Record<string, AxeViolation[]> = {};
  /** Checks the page as it is with axe-core and saves its screenshot. */
  const check = async (page: Page, name: string) => {
    found[name] = await seriousA11yViolations(page);
    await screenshot(page, name);
  };
  const flash = (page: Page) => page.locator('main .alert[role=status]').first().innerText();
  const tab = (page: Page, name: string) =>
    page.getByRole('navigation', { name: /项目页面|计划页面/ }).getByRole('link', { name });
  const api = () => web.t.http;
  const statusOf = async (teacherId: number) => {
    const { body } = await api()
      .get(`/api/v1/enrolments?programId=${programId}&teacherId=${teacherId}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    return body.items[0]?.status as string | undefined;
  };

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const { http, db } = web.t;
    admin = await adminToken(http);
    lanshan = await countyIdByCode(db, '371302');
    const luozhuang = await countyIdByCode(db, '371311');
    const county = await countyAdmin(http, admin, lanshan, 'lanshan');
    const poor = await createSchool(http, county, lanshan, '兰山区李官镇中心小学', { povertyVillage: true });
    const town = await createSchool(http, county, lanshan, '兰山区第一实验小学', { povertyVillage: false });
    await createSchool(http, admin, luozhuang, '罗庄区褚墩镇中心小学', { povertyVillage: true, receivingSchool: true });
    const good = {
      stage: '小学',
      subject: '语文',
      title: '一级教师',
      teachingStartYear: 2006,
      appraisalsQualified: true,
    };
    for (let i = 0; i < 5; i++)
      eligible.push(await createTeacher(http, county, poor, 3001 + i, { name: `李官教师${i + 1}`, ...good }));
    await createTeacher(http, county, town, 3101, { name: '城区教师', ...good });
    await createTeacher(http, county, poor, 3201, {
      name: '新任教师',
      stage: '小学',
      subject: '语文',
      title: '二级教师',
      teachingStartYear: 2018,
      onProbation: true,
      appraisalsQualified: false,
    });

    // The office's program (OPEN, 兰山 2 seats) and scheme (兰山 2 places).
    const auth = { type: 'bearer' as const };
    const p = await http
      .post('/api/v1/programs')
      .auth(admin, auth)
      .send({
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '2019年骨干教师暑期培训',
        seats: 10,
        creditHours: 48,
        certificatePrefix: 'LYGG',
      })
      .expect(201);
    programId = p.body.id;
    await http
      .put(`/api/v1/programs/${programId}/quotas`)
      .auth(admin, auth)
      .send([{ countyId: lanshan, seats: 2 }])
      .expect(200);
    await http.post(`/api/v1/programs/${programId}/open`).auth(admin, auth).expect(200);
    const s = await http
      .post('/api/v1/schemes')
      .auth(admin, auth)
      .send({ kind: 'THREE_DISTRICTS', year: 2019, places: 5, termStart: '2019-09-01', termEnd: '2020-07-15' })
      .expect(201);
    schemeId = s.body.id;
    await http
      .put(`/api/v1/schemes/${schemeId}/quotas`)
      .auth(admin, auth)
      .send([{ countyId: lanshan, places: 2 }])
      .expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  it('nominates eligible teachers within the quota, sees 候补 beyond it, and withdraws one', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '培训项目' }).click();
    await page.getByRole('link', { name: '为 2019年骨干教师暑期培训 推荐教师' }).click();
    await expect(main(page).innerText()).resolves.toContain('名额 2 人，已占用 0 人，剩余 2 人');
    // Only the county's eligible teachers: not the town school's (not a 贫困村学校).
    const names = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(names).toEqual(['李官教师1', '李官教师2', '李官教师3', '李官教师4', '李官教师5', '新任教师']);
    await check(page, 'county-nominate');
    for (const n of ['李官教师1', '李官教师2', '李官教师3'])
      await page.getByRole('checkbox', { name: `选择 ${n}` }).check();
    await page.getByRole('button', { name: '推荐所选教师' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toBe(
      '名额内推荐 2 人（待审核），超出名额列为候补 1 人。',
    );
    const result = await page.locator('section', { hasText: '本次推荐结果' }).locator('tbody').innerText();
    expect(result).toMatch(/李官教师1\s*待审核/);
    expect(result).toMatch(/李官教师2\s*待审核/);
    expect(result).toMatch(/李官教师3\s*候补 超出本县区名额/);
    await expect(main(page).innerText()).resolves.toContain('名额 2 人，已占用 2 人，剩余 0 人');
    // The nominated no longer appear among the candidates.
    await expect(page.locator('form[method=post] tbody tr').count()).resolves.toBe(3);
    await check(page, 'county-nominate-result');
    await expect(statusOf(eligible[2])).resolves.toBe('WAITLISTED');

    // Withdraw 李官教师1 (a reason is optional): the first alternate takes the seat.
    await tab(page, '推荐名单').click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    await page.getByRole('link', { name: '撤回 李官教师1' }).click();
    await page.getByLabel('撤回原因').fill('本人身体原因');
    await page.getByRole('button', { name: '确认撤回' }).click();
    await expect(flash(page)).resolves.toContain('已撤回对李官教师1的推荐');
    await expect(page.locator('tbody tr', { hasText: '李官教师1' }).innerText()).resolves.toContain('已撤回');
    await expect(page.locator('tbody tr', { hasText: '李官教师3' }).innerText()).resolves.toContain('待审核');
    await check(page, 'county-enrolments');
    await context.close();
  });

  it('bulk-nominates from .xlsx: a bad row refuses the whole sheet, a clean one is taken', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await page.goto(`/app/programs/${programId}/nominate/import`);
    const template = await page.request.get(
      (await page.getByRole('link', { name: '下载批量推荐模板（.xlsx）' }).getAttribute('href'))!,
    );
    expect(template.status()).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'shipei-nominate-'));
    const sheet = async (name: string, ids: string[]) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await template.body()) as never);
      const ws = wb.worksheets[0];
      ids.forEach((id, i) => (ws.getRow(3 + i).getCell(1).value = id));
      const file = join(dir, name);
      writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
      return file;
    };
    // Row 3 fine, row 4 nobody of this county, row 5 already nominated.
    const bad = await sheet('bad.xlsx', [makeIdNumber(3004), makeIdNumber(9999), makeIdNumber(3002)]);
    await page.getByLabel(label('选择 Excel 文件（.xlsx）')).setInputFiles(bad);
    await page.getByRole('button', { name: '检查并推荐' }).click();
    await expect(page.locator('#form-error').innerText()).resolves.toBe(
      '名单有 2 处错误，未推荐任何人，请修改后重新导入',
    );
    const rows = await page.locator('table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/第 4 行\s*身份证号\s*本县区没有身份证号为该值的教师/);
    expect(rows[1]).toMatch(/第 5 行\s*身份证号\s*李官教师2已报名本项目/);
    await check(page, 'county-nominate-import-errors');
    await expect(statusOf(eligible[3])).resolves.toBeUndefined();

    const good = await sheet('good.xlsx', [makeIdNumber(3004)]);
    await page.getByLabel(label('选择 Excel 文件（.xlsx）')).setInputFiles(good);
    await page.getByRole('button', { name: '检查并推荐' }).click();
    await expect(page.getByRole('status').first().innerText()).resolves.toBe(
      '推荐成功：名额内 0 人（待审核），候补 1 人。',
    );
    await expect(statusOf(eligible[3])).resolves.toBe('WAITLISTED');
    await context.close();
  });

  it('creates and opens its own thematic program', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await page.goto('/app/programs');
    await page.getByRole('link', { name: '新建县区专题培训' }).click();
    await expect(page.getByLabel('项目类型').inputValue()).resolves.toBe('县区专题培训');
    await page.getByLabel(label('年度')).fill('2019');
    await page.getByLabel(label('项目名称')).fill('兰山区信息技术应用能力专题培训');
    await page.getByLabel(label('总名额（人）')).fill('30');
    await page.getByLabel(label('学时')).fill('12');
    await page.getByLabel(label('证书编号前缀')).fill('LSXX');
    // Open to every school of the county, not only 贫困村学校.
    await page.getByLabel('须为贫困村学校教师').uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await expect(flash(page)).resolves.toContain('已创建培训项目「兰山区信息技术应用能力专题培训」');
    await expect(main(page).innerText()).resolves.toMatch(/主办单位\s*兰山区/);
    await page.getByRole('button', { name: '开始推荐' }).click();
    await expect(main(page).innerText()).resolves.toMatch(/状态\s*推荐中/);
    await tab(page, '推荐教师').click();
    await expect(main(page).innerText()).resolves.toContain('名额 30 人，已占用 0 人，剩余 30 人');
    await page.getByRole('checkbox', { name: '选择 城区教师' }).check();
    await page.getByRole('button', { name: '推荐所选教师' }).click();
    // This program does not require a 贫困村学校: the town school's teacher is eligible.
    await expect(page.getByRole('status').first().innerText()).resolves.toBe(
      '名额内推荐 1 人（待审核），超出名额列为候补 0 人。',
    );
    await check(page, 'county-thematic-nominate');
    await context.close();
  });

  it('nominates for a talent-support scheme: every failed selection rule listed at once', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '支持计划' }).click();
    await page.getByRole('link', { name: /为 2019年国家"三区"人才支持计划教师专项计划 推荐教师/ }).click();
    await expect(main(page).innerText()).resolves.toContain('名额 2 人，已推荐 0 人，剩余 2 人');
    await expect(page.locator('tbody tr', { hasText: '新任教师' }).innerText()).resolves.toContain('不符合 4 项');
    await page.getByRole('radio', { name: '选择 新任教师' }).check();
    await page.getByLabel(label('受援学校')).selectOption({ label: '罗庄区 · 罗庄区褚墩镇中心小学' });
    await page.getByRole('button', { name: '推荐' }).click();
    const reasons = await page.locator('#form-error li').allInnerTexts();
    expect(reasons).toEqual([
      '教龄不足 5 年（截至服务期开始为 1 年）',
      '职称须为一级教师及以上（现为二级教师）',
      '近三年年度考核未全部合格',
      '尚在试用期内',
    ]);
    await expect(page.locator('#form-error').innerText()).resolves.toContain('新任教师不符合以下选派条件（共 4 项）');
    // The school picked stays picked.
    await expect(page.getByLabel(label('受援学校')).inputValue()).resolves.not.toBe('');
    await check(page, 'county-scheme-nominate-rules');
    await page.getByRole('radio', { name: '选择 李官教师5' }).check();
    await page.getByRole('button', { name: '推荐' }).click();
    await expect(flash(page)).resolves.toBe('已推荐李官教师5到罗庄区褚墩镇中心小学支教，等待市级审核。');
    await expect(page.locator('tbody tr', { hasText: '李官教师5' }).innerText()).resolves.toContain('已推荐');
    await check(page, 'county-scheme-placements');
    await context.close();
  });

  it('shows a teacher file and the compliance list of its county', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '教师档案' }).click();
    await page.getByLabel('姓名或手机号').fill('李官教师3');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '查看档案 李官教师3' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('培训档案：李官教师3');
    await expect(page.locator('section', { hasText: '培训经历' }).innerText()).resolves.toMatch(
      /2019年骨干教师暑期培训[\s\S]*待审核/,
    );
    await check(page, 'county-teacher-file');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '学时达标' }).click();
    await page.getByLabel('年度').fill('2019');
    await page.getByRole('button', { name: '查询' }).click();
    // Nobody trained in 2019 yet: all seven teachers fall short of 48 hours.
    await expect(page.locator('.pager-total').innerText()).resolves.toContain('共 7 条');
    const xlsx = await page.request.get(
      (await page.getByRole('link', { name: '导出未达标名单' }).getAttribute('href'))!,
    );
    expect(xlsx.status()).toBe(200);
    await check(page, 'county-compliance');
    await context.close();
  });

  it('shows the other county pages without axe findings', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'lanshan', 'County1234');
    const { body } = await api()
      .get(`/api/v1/enrolments?programId=${programId}&status=NOMINATED`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    for (const [name, path] of [
      ['county-programs', '/app/programs'],
      ['county-program', `/app/programs/${programId}`],
      ['county-program-dashboard', `/app/programs/${programId}/dashboard`],
      ['county-nominate-import', `/app/programs/${programId}/nominate/import`],
      ['county-withdraw', `/app/programs/${programId}/enrolments/${body.items[0].id}/withdraw`],
      ['county-program-new', '/app/programs/new'],
      ['county-schemes', '/app/schemes'],
      ['county-scheme', `/app/schemes/${schemeId}`],
      ['county-scheme-ledger', `/app/schemes/${schemeId}/ledger`],
      ['county-scheme-dashboard', `/app/schemes/${schemeId}/dashboard`],
      ['county-placements', '/app/placements'],
      ['county-certificate-register', '/app/certificate-register'],
      ['county-records-teachers', '/app/records/teachers'],
    ]) {
      await page.goto(path);
      expect(await page.locator('h1').count()).toBe(1);
      await check(page, name);
    }
    // A county sees only its own row of a city program's figures, and cannot open the office's quota page.
    await page.goto(`/app/programs/${programId}/dashboard`);
    await expect(page.locator('tbody th').allInnerTexts()).resolves.toEqual(['兰山区']);
    const quotas = await page.goto(`/app/programs/${programId}/quotas`);
    expect(quotas?.status()).toBe(403);
    await check(page, 'county-forbidden');
    await context.close();
  });

  it('found no serious or critical axe violation on any page it opened', () => {
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(20);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
  });
});
