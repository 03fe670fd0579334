import type { Browser, Page } from 'playwright-core';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makePhone,
} from '../support/fixtures';
import { ADMIN_PASSWORD } from '../support/test-app';
import {
  AxeViolation,
  fieldError,
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
 * The office's whole program in Chromium (SQLite by default; MariaDB with TEST_DATABASE_URL):
 * create a program (with a form error first) → quotas from the largest-remainder suggestion (a
 * sum over the seats refused with the 409 in Chinese) → open → review the counties' nominations
 * (one rejected with a reason, the rest approved in bulk) → a cohort with trainers and sessions
 * whose hours are checked against the program → automatic and manual 分班 → completion →
 * certificates issued, the cohort's PDF opened from its link, one revoked with a reason → the
 * per-county figures and the certificate register. Then a talent-support scheme with quotas.
 */
describe('web pages: the office runs a program in a real browser', () => {
  let web: WebApp;
  let browser: Browser;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  /** Teachers of 兰山 (poverty-village school, eligible) and one of 罗庄. */
  const lanshanTeachers: number[] = [];
  let luozhuangTeacher: number;
  let lanshanToken: string;
  let luozhuangToken: string;
  let programId: number;
  let cohortId: number;

  const main = (page: Page) => page.locator('main');
  /** axe findings (serious and critical) per page, asserted empty at the end. */
  const found: Record<string, AxeViolation[]> = {};
  /** Checks the page as it is with axe-core and saves its screenshot. */
  const check = async (page: Page, name: string) => {
    found[name] = await seriousA11yViolations(page);
    await screenshot(page, name);
  };
  const flash = (page: Page) => page.locator('main .alert[role=status]').first().innerText();
  const api = () => web.t.http;
  /** A program's (or scheme's) sub-page tab. */
  const tab = (page: Page, name: string) =>
    page.getByRole('navigation', { name: /项目页面|计划页面/ }).getByRole('link', { name });

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const { http, db } = web.t;
    admin = await adminToken(http);
    lanshan = await countyIdByCode(db, '371302');
    luozhuang = await countyIdByCode(db, '371311');
    lanshanToken = await countyAdmin(http, admin, lanshan, 'lanshan');
    luozhuangToken = await countyAdmin(http, admin, luozhuang, 'luozhuang');
    const school = await createSchool(http, lanshanToken, lanshan, '兰山区李官镇中心小学', { povertyVillage: true });
    const other = await createSchool(http, luozhuangToken, luozhuang, '罗庄区褚墩镇中心小学', { povertyVillage: true });
    for (let i = 0; i < 4; i++)
      lanshanTeachers.push(
        await createTeacher(http, lanshanToken, school, 1001 + i, {
          name: `兰山教师${i + 1}`,
          stage: '小学',
          subject: i % 2 ? '数学' : '语文',
        }),
      );
    luozhuangTeacher = await createTeacher(http, luozhuangToken, other, 2001, {
      name: '罗庄教师1',
      stage: '小学',
      subject: '语文',
    });
    await http
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ username: 'trainer1', password: 'Trainer123', role: 'TRAINER' })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  /** A teacher's account, past its one-time password; returns the token. */
  async function teacherToken(countyToken: string, teacherId: number, n: number): Promise<string> {
    await api()
      .post('/api/v1/users')
      .auth(countyToken, { type: 'bearer' })
      .send({ username: makePhone(n), password: 'Start1234', role: 'TEACHER', teacherId })
      .expect(201);
    const first = await login(api(), makePhone(n), 'Start1234');
    const res = await api()
      .post('/api/v1/auth/password')
      .auth(first, { type: 'bearer' })
      .send({ currentPassword: 'Start1234', newPassword: 'Teacher123' })
      .expect(200);
    return res.body.accessToken as string;
  }

  it('creates a program, splits the seats from the suggestion, reviews, runs a cohort and issues certificates', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '培训项目' }).click();
    await expect(main(page).locator('td.empty').innerText()).resolves.toBe('暂无数据');
    await page.getByRole('link', { name: '新建培训项目' }).click();

    // A form error first: the API's Chinese message under the field.
    await page.getByLabel(label('项目类型')).selectOption({ label: '市级暑期骨干教师培训' });
    await page.getByLabel(label('年度')).fill('2019');
    await page.getByLabel(label('总名额（人）')).fill('10');
    await page.getByLabel(label('学时')).fill('6');
    await page.getByLabel(label('证书编号前缀')).fill('LY-GG');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(fieldError(page, '证书编号前缀')).resolves.toBe('证书编号前缀须为 1–12 位字母或数字');
    await expect(fieldError(page, '项目名称')).resolves.not.toBe('');
    await check(page, 'office-program-new-errors');
    await page.getByLabel(label('项目名称')).fill('2019年全市贫困村学校骨干教师暑期培训');
    await page.getByLabel(label('证书编号前缀')).fill('LYGG');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(flash(page)).resolves.toContain('已创建培训项目「2019年全市贫困村学校骨干教师暑期培训」');
    await expect(main(page).innerText()).resolves.toMatch(/状态\s*草稿/);
    programId = Number(new URL(page.url()).pathname.split('/').pop());

    // 名额分配: 4 eligible teachers in 兰山, 1 in 罗庄 → of 10 seats, 4 / 1: the largest-remainder split
    // (8 / 2) held at each county's eligible teachers.
    await tab(page, '名额分配').click();
    const row = (county: string) => page.locator('tbody tr', { has: page.locator('th', { hasText: county }) });
    await expect(row('兰山区').locator('td').nth(1).innerText()).resolves.toBe('4');
    await expect(row('罗庄区').locator('td').nth(1).innerText()).resolves.toBe('1');
    await expect(page.getByLabel('兰山区名额').inputValue()).resolves.toBe('4');
    await expect(page.getByRole('status').filter({ hasText: '已填入建议名额' }).count()).resolves.toBe(1);
    // Over the seats: the 409 in Chinese, and nothing saved.
    await page.getByLabel('兰山区名额').fill('20');
    await expect(page.locator('#quota-sum').innerText()).resolves.toContain('合计 21 / 总名额 10 人，超出总名额 11 人');
    await page.getByRole('button', { name: '保存名额' }).click();
    await expect(page.locator('#form-error').innerText()).resolves.toBe('各县区名额合计 21 超过项目总名额 10');
    await check(page, 'office-quotas-409');
    await page.getByRole('link', { name: '采用建议名额' }).click();
    await page.getByRole('button', { name: '保存名额' }).click();
    await expect(flash(page)).resolves.toBe('已保存各县区名额，合计 5 人（总名额 10 人）。');
    await expect(row('兰山区').locator('td').nth(2).innerText()).resolves.toBe('4');
    await check(page, 'office-quotas');

    // Open for nominations.
    await tab(page, '概况').click();
    await page.getByRole('button', { name: '开始推荐' }).click();
    await expect(flash(page)).resolves.toContain('已开始推荐');
    await expect(main(page).innerText()).resolves.toMatch(/状态\s*推荐中/);
    await check(page, 'office-program-detail');

    // The counties nominate (their pages are tested in county-pages.e2e-spec.ts).
    for (const t of lanshanTeachers)
      await api()
        .post(`/api/v1/programs/${programId}/enrolments`)
        .auth(lanshanToken, { type: 'bearer' })
        .send({ teacherId: t })
        .expect(201);
    await api()
      .post(`/api/v1/programs/${programId}/enrolments`)
      .auth(luozhuangToken, { type: 'bearer' })
      .send({ teacherId: luozhuangTeacher })
      .expect(201);

    // 推荐审核: one rejected with a reason (asked for on its own page), the others approved in bulk.
    await tab(page, '推荐审核').click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(5);
    await expect(page.locator('tbody tr', { hasText: '罗庄教师1' }).innerText()).resolves.toContain('待审核');
    await check(page, 'office-enrolments');
    await page.getByRole('link', { name: '驳回 罗庄教师1' }).click();
    await page.getByRole('button', { name: '确认驳回' }).click();
    await expect(fieldError(page, '驳回原因')).resolves.toBe('请填写原因（至少 2 个字）');
    await page.getByLabel(label('驳回原因')).fill('不符合学科要求');
    await page.getByRole('button', { name: '确认驳回' }).click();
    await expect(flash(page)).resolves.toBe('已驳回：罗庄教师1。');
    await expect(page.locator('tbody tr', { hasText: '罗庄教师1' }).innerText()).resolves.toMatch(
      /未通过[\s\S]*不符合学科要求/,
    );
    await page.getByRole('checkbox', { name: '全选本页推荐记录' }).check();
    await page.getByRole('button', { name: '批量通过' }).click();
    await expect(flash(page)).resolves.toBe('4 条推荐已审核通过。');
    await expect(page.locator('tbody tr', { hasText: '审核通过' }).count()).resolves.toBe(4);

    // A cohort with a trainer, then its sessions against the program's 6 hours.
    await tab(page, '班级与分班').click();
    await page.getByRole('link', { name: '新建班级' }).click();
    await page.getByLabel(label('班级名称')).fill('第一期一班');
    await page.getByLabel(label('容量（人）')).fill('50');
    await page.getByLabel(label('开始日期')).fill('2019-07-15');
    await page.getByLabel(label('结束日期')).fill('2019-07-16');
    await page.getByLabel(label('培训地点')).fill('临沂大学');
    await page.getByLabel('trainer1').check();
    await page.getByRole('button', { name: '保存' }).click();
    await expect(flash(page)).resolves.toContain('已建班「第一期一班」');
    const cohortPath = new URL(page.url()).pathname;
    cohortId = Number(cohortPath.split('/').pop());
    await expect(main(page).innerText()).resolves.toMatch(/培训教师\s*trainer1/);
    const addSession = async (title: string, date: string, from: string, to: string, hours: string) => {
      await page.getByLabel(label('课次名称')).fill(title);
      await page.getByLabel(label('上课日期')).fill(date);
      await page.getByLabel(label('开始时间')).fill(from);
      await page.getByLabel(label('结束时间')).fill(to);
      await page.getByLabel(label('学时')).fill(hours);
      await page.getByRole('button', { name: '添加课次' }).click();
    };
    await addSession('新课标解读', '2019-07-15', '08:30', '11:30', '3');
    await expect(flash(page)).resolves.toBe('已添加课次「新课标解读」。');
    await expect(main(page).locator('.panel').first().innerText()).resolves.toContain('比项目学时少 3 学时');
    // Outside the cohort's dates: the service's 409, in Chinese, above the form.
    await addSession('课堂观察', '2019-07-20', '08:30', '11:30', '3');
    await expect(page.locator('#form-error').innerText()).resolves.toBe(
      '课次须安排在班级日期（2019-07-15 至 2019-07-16）之内',
    );
    await addSession('课堂观察', '2019-07-16', '08:30', '11:30', '3');
    await expect(main(page).locator('.panel').first().innerText()).resolves.toContain('与项目学时一致');
    await check(page, 'office-cohort');

    // 自动分班 places all four; one goes out by hand and back in with its checkbox.
    await tab(page, '班级与分班').click();
    await page.getByRole('button', { name: '自动分班' }).click();
    await expect(flash(page)).resolves.toContain('自动分班完成：本次分入 4 人');
    await expect(page.locator('tbody tr', { hasText: '第一期一班' }).innerText()).resolves.toContain('4 / 50');
    await page.getByRole('link', { name: '第一期一班 分班' }).click();
    await page.getByRole('button', { name: '调出 兰山教师4' }).click();
    await expect(flash(page)).resolves.toBe('已调出「第一期一班」（3/50）。');
    await page.getByRole('checkbox', { name: '选择 兰山教师4' }).check();
    await page.getByRole('button', { name: '分入本班' }).click();
    await expect(flash(page)).resolves.toBe('已将 1 名学员分入「第一期一班」（4/50）。');
    await check(page, 'office-assign');

    // The teachers confirm, the trainer's marks (API): 兰山教师4 misses a session and will not complete.
    const { body: roster } = await api()
      .get(`/api/v1/enrolments?programId=${programId}&cohortId=${cohortId}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    const { body: sessions } = await api()
      .get(`/api/v1/cohorts/${cohortId}/sessions`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    for (const [i, t] of lanshanTeachers.entries()) {
      const e = roster.items.find((x: { teacherId: number }) => x.teacherId === t);
      const token = await teacherToken(lanshanToken, t, 1001 + i);
      await api().post(`/api/v1/enrolments/${e.id}/confirm`).auth(token, { type: 'bearer' }).expect(200);
      for (const [j, s] of sessions.items.entries()) {
        const status = i === 3 && j === 1 ? 'ABSENT' : 'PRESENT';
        await api()
          .put(`/api/v1/sessions/${s.id}/attendance/${e.id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status, reason: '纸质签到表补录' })
          .expect(200);
      }
    }

    // 计算结业, then the certificates of the cohort.
    await page.goto(cohortPath);
    await page.getByRole('button', { name: '计算结业' }).click();
    await expect(flash(page)).resolves.toBe('结业计算完成：结业 3 人，未结业 1 人。');
    await page.getByRole('link', { name: '结业证书' }).first().click();
    await expect(main(page).locator('p').first().innerText()).resolves.toContain(
      '本班已结业 3 人，未结业 1 人；有效证书 0 份，尚有 3 名已结业学员未颁发',
    );
    await page.getByRole('button', { name: '为已结业学员颁发证书' }).click();
    await expect(flash(page)).resolves.toBe('已颁发 3 份证书（本班共 3 份有效证书）。');
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('tbody tr').first().innerText()).resolves.toMatch(
      /LYGG2019-0001[\s\S]*兰山教师1[\s\S]*有效/,
    );
    await check(page, 'office-certificates');

    // The print link opens the cohort's PDF in a new tab.
    const print = page.getByRole('link', { name: '打印本班证书（PDF）' });
    await expect(print.getAttribute('target')).resolves.toBe('_blank');
    const [pdfTab] = await Promise.all([context.waitForEvent('page'), print.click()]);
    const pdf = await page.request.get((await print.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await pdfTab.close();

    // Revoke one, with a reason (asked for; refused without).
    await page.getByRole('link', { name: '撤销 LYGG2019-0002' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('撤销证书');
    await page.getByRole('button', { name: '确认撤销' }).click();
    await expect(fieldError(page, '撤销原因')).resolves.toBe('请填写撤销原因（至少 2 个字）');
    await check(page, 'office-certificate-revoke-error');
    await page.getByLabel(label('撤销原因')).fill('考勤记录有误，经核查未达到结业要求');
    await page.getByRole('button', { name: '确认撤销' }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/programs/${programId}/cohorts/${cohortId}/certificates`);
    await expect(flash(page)).resolves.toContain('已撤销证书 LYGG2019-0002');
    await expect(page.locator('tbody tr', { hasText: 'LYGG2019-0002' }).innerText()).resolves.toMatch(
      /已撤销[\s\S]*考勤记录有误/,
    );
    const { body: revoked } = await api()
      .get('/api/v1/certificates?status=REVOKED')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(revoked.items.map((c: { number: string }) => c.number)).toEqual(['LYGG2019-0002']);

    // Per-county figures: quota, nominated, approved, confirmed, completed, certified.
    await page.goto(`/app/programs/${programId}/dashboard`);
    const cells = async (county: string) =>
      (
        await page
          .locator('tr', { has: page.locator('th', { hasText: county }) })
          .locator('td')
          .allInnerTexts()
      ).map(Number);
    // quota, nominated, waitlisted, approved, confirmed, completed, certified, rejected, withdrawn, declined
    await expect(cells('兰山区')).resolves.toEqual([4, 4, 0, 4, 4, 3, 2, 0, 0, 0]);
    await expect(cells('罗庄区')).resolves.toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    await check(page, 'office-dashboard');

    // The certificate register, filtered by program, with its export.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '证书登记' }).click();
    await main(page).getByLabel(label('培训项目')).selectOption({ label: '2019 2019年全市贫困村学校骨干教师暑期培训' });
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    const register = await page.request.get(
      (await page.getByRole('link', { name: /证书登记册/ }).getAttribute('href'))!,
    );
    expect(register.status()).toBe(200);
    expect(register.headers()['content-type']).toContain('spreadsheetml');
    await check(page, 'office-certificate-register');
    await context.close();
  });

  it('creates a talent-support scheme and splits its places among counties', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/app/schemes');
    await page.getByRole('link', { name: '新建支持计划' }).click();
    await page.getByLabel(label('计划类型')).selectOption({ label: '国家"三区"人才支持计划教师专项计划' });
    await page.getByLabel(label('年度')).fill('2019');
    await page.getByLabel(label('选派名额（人）')).fill('5');
    await page.getByLabel(label('服务期开始')).fill('2019-09-01');
    await page.getByLabel(label('服务期结束')).fill('2019-07-15');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.locator('#form-error').innerText()).resolves.not.toBe('');
    await page.getByLabel(label('服务期结束')).fill('2020-07-15');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(flash(page)).resolves.toContain('已新建「2019年国家"三区"人才支持计划教师专项计划」');
    await expect(main(page).innerText()).resolves.toMatch(/经费标准\s*¥20,000\.00 \/ 人 \/ 年/);
    await expect(main(page).innerText()).resolves.toMatch(/经费构成\s*工作补助 ¥20,000\.00（按在岗天数按月折算）/);
    await page.getByLabel('兰山区名额').fill('4');
    await page.getByLabel('罗庄区名额').fill('2');
    await page.getByRole('button', { name: '保存名额' }).click();
    await expect(page.locator('#form-error').innerText()).resolves.toBe('各县区名额合计 6 超过计划名额 5');
    await page.getByLabel('罗庄区名额').fill('1');
    await page.getByRole('button', { name: '保存名额' }).click();
    await expect(flash(page)).resolves.toBe('已保存各县区名额，合计 5 人。');
    await check(page, 'office-scheme');
    const schemeId = Number(new URL(page.url()).pathname.split('/').pop());

    // 兰山 nominates two teachers (its page is tested in county-pages.e2e-spec.ts); the office approves in bulk.
    const receiving = await createSchool(api(), admin, luozhuang, '罗庄区高都中心小学', {
      povertyVillage: true,
      receivingSchool: true,
    });
    for (const t of lanshanTeachers.slice(0, 2)) {
      await api()
        .patch(`/api/v1/teachers/${t}`)
        .auth(lanshanToken, { type: 'bearer' })
        .send({ title: '一级教师', teachingStartYear: 2006, appraisalsQualified: true })
        .expect(200);
      await api()
        .post(`/api/v1/schemes/${schemeId}/placements`)
        .auth(lanshanToken, { type: 'bearer' })
        .send({ teacherId: t, receivingSchoolId: receiving })
        .expect(201);
    }
    await tab(page, '选派台账').click();
    await expect(page.locator('tbody tr', { hasText: '已推荐' }).count()).resolves.toBe(2);
    await check(page, 'office-scheme-placements');
    await page.getByRole('checkbox', { name: '选择 兰山教师2' }).check();
    await page.getByLabel('不通过原因').fill('材料不全');
    await page.getByRole('button', { name: '批量不通过' }).click();
    await expect(flash(page)).resolves.toBe('1 条选派已审核不通过。');
    await page.getByRole('checkbox', { name: '全选本页选派记录' }).check();
    await page.getByRole('button', { name: '批量通过' }).click();
    await expect(flash(page)).resolves.toBe('1 条选派已审核通过。');

    // Arrival (a date outside the term refused under its field), then the end-of-term assessment.
    await page.getByRole('link', { name: '办理 兰山教师1 的选派' }).click();
    await page.getByLabel(label('到岗日期')).fill('2019-08-01');
    await page.getByRole('button', { name: '登记到岗' }).click();
    await expect(fieldError(page, '到岗日期')).resolves.toBe('到岗日期须在服务期内（2019-09-01 至 2020-07-15）');
    await check(page, 'office-placement-arrive-error');
    await page.getByLabel(label('到岗日期')).fill('2019-09-02');
    await page.getByRole('button', { name: '登记到岗' }).click();
    await expect(flash(page)).resolves.toBe('兰山教师1：已登记到岗。');
    await page.getByLabel(label('考核结果')).selectOption('优秀');
    await page.getByLabel(label('考核评语')).fill('工作认真，成效明显');
    await check(page, 'office-placement-in-service');
    await page.getByRole('button', { name: '登记期满考核' }).click();
    await expect(flash(page)).resolves.toBe('兰山教师1：已登记服务期满考核。');
    await expect(main(page).innerText()).resolves.toMatch(/状态\s*服务期满[\s\S]*服务天数\s*318 天/);
    // The stipend items month by month (the premium to the insurer), and a payment (实发) typed in yuan.
    await expect(main(page).locator('section', { hasText: '津贴明细' }).innerText()).resolves.toContain(
      '意外保险（付保险公司）',
    );
    await page.getByLabel(label('所属月份')).selectOption('2019-09');
    await page.getByLabel(label('实发金额（元）')).fill('1000.50');
    await page.getByLabel(label('发放日期')).fill('2019-10-10');
    await page.getByRole('button', { name: '登记发放' }).click();
    await expect(flash(page)).resolves.toBe('兰山教师1：已登记发放（实发）。');
    await expect(main(page).innerText()).resolves.toMatch(/已实发 ¥1,000\.50/);
    await check(page, 'office-placement-stipend');
    // The scheme's own selection rules, each on or off with its parameter.
    await page.goto(`/app/schemes/${schemeId}/rules`);
    await expect(page.getByLabel(label('最低教龄（年）')).inputValue()).resolves.toBe('5');
    await check(page, 'office-scheme-rules');

    // The ledger: 318 of 319 days of ¥20,000.
    await page.goto(`/app/schemes/${schemeId}/ledger`);
    await expect(page.locator('tfoot tr').last().innerText()).resolves.toContain('¥19,937.30');
    await check(page, 'office-scheme-ledger');
    const ledger = await page.request.get(
      (await page.getByRole('link', { name: '导出津贴台账' }).getAttribute('href'))!,
    );
    expect(ledger.headers()['content-type']).toContain('spreadsheetml');
    await page.goto(`/app/schemes/${schemeId}/dashboard`);
    await expect(
      page
        .locator('tr', { has: page.locator('th', { hasText: '兰山区' }) })
        .locator('td')
        .allInnerTexts(),
    ).resolves.toEqual(['4', '0', '0', '0', '1', '0', '1', '¥19,937.30']);
    await check(page, 'office-scheme-dashboard');
    await page.goto('/app/placements');
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    await check(page, 'office-placements');
    await context.close();
  });

  it('shows the other office pages (lists, forms, records) without axe findings', async () => {
    const { context, page } = await newUser(browser, web.url);
    await logIn(page, 'admin', ADMIN_PASSWORD);
    for (const [name, path] of [
      ['office-programs', '/app/programs'],
      ['office-program-new', '/app/programs/new'],
      ['office-program-edit', `/app/programs/${programId}/edit`],
      ['office-cohorts', `/app/programs/${programId}/cohorts`],
      ['office-cohort-new', `/app/programs/${programId}/cohorts/new`],
      ['office-schemes', '/app/schemes'],
      ['office-scheme-new', '/app/schemes/new'],
      ['office-scheme-rule-defaults', '/app/schemes/rule-defaults'],
      ['office-records-teachers', '/app/records/teachers'],
      ['office-records-compliance', '/app/records/compliance'],
      ['office-records-compliance-cycle', '/app/records/compliance?period=cycle'],
      ['office-teacher-file', `/app/records/teachers/${lanshanTeachers[0]}`],
    ]) {
      await page.goto(path);
      expect(await page.locator('h1').count()).toBe(1);
      await check(page, name);
    }
    await expect(main(page).locator('section', { hasText: '培训经历' }).innerText()).resolves.toMatch(
      /2019年全市贫困村学校骨干教师暑期培训[\s\S]*已结业[\s\S]*LYGG2019-0001/,
    );
    await page.goto(`/app/programs/${programId}/cohorts/new`);
    await page.getByRole('button', { name: '保存' }).click();
    await check(page, 'office-cohort-new-errors');

    // Editing: a required field left empty is refused under it; the deadline is set (Shanghai time) and cleared.
    await page.goto(`/app/programs/${programId}/edit`);
    await page.getByLabel(label('项目名称')).fill('');
    await page.getByLabel('推荐截止日期').fill('2030-06-30');
    await page.getByLabel('推荐截止时刻').fill('17:00');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(fieldError(page, '项目名称')).resolves.toBe('不能为空');
    await check(page, 'office-program-edit-errors');
    await page.getByLabel(label('项目名称')).fill('2019年全市贫困村学校骨干教师暑期培训');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(flash(page)).resolves.toContain('已保存培训项目');
    await expect(main(page).innerText()).resolves.toMatch(/推荐截止\s*2030-06-30 17:00/);
    const { body: saved } = await api()
      .get(`/api/v1/programs/${programId}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(saved.nominationDeadline).toBe('2030-06-30T09:00:00.000Z');
    await page.getByRole('link', { name: '编辑项目' }).click();
    await page.getByLabel('推荐截止日期').fill('');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(main(page).innerText()).resolves.toMatch(/推荐截止\s*未设置/);
    await context.close();
  });

  it('found no serious or critical axe violation on any page it opened', () => {
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(20);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
  });
});
