import type { Browser } from 'playwright-core';
import { account } from '../support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from '../support/fixtures';
import { insertCohort, insertEnrolment, insertProgram, insertSession } from '../support/survey-fixtures';
import {
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
 * 训后评价 in Chromium (issue 19 §1): the owner sets the form from the default template; a trainee
 * answers it on the phone (a missing rating is named, then it is sent once); the results page shows
 * each rating question's distribution as a server-drawn SVG bar chart, the open answers to the owner only.
 */
describe('web pages: 训后评价 in a real browser', () => {
  let web: WebApp;
  let browser: Browser;
  let cohortId: number;
  const phones: string[] = [];
  const tokens: string[] = [];
  let trainerName: string;

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const { http, db } = web.t;
    const city = await adminToken(http);
    const a = await countyIdByCode(db, '371302');
    await countyAdmin(http, city, a, 'svw_county');
    const trainer = await account(http, city, { username: 'svw_trainer', role: 'TRAINER', displayName: '刘班主任' });
    trainerName = 'svw_trainer';
    const lecturer = await account(http, city, { username: 'svw_lecturer', role: 'TRAINER', displayName: '王专家' });
    const countyToken = (await http.post('/api/v1/auth/login').send({ username: 'svw_county', password: 'County1234' }))
      .body.accessToken as string;
    const school = await createSchool(http, countyToken, a, '评价页兰山小学');
    const program = await insertProgram(db, { org: a, county: a }, '兰山区2019年新任教师培训');
    cohortId = await insertCohort(db, program, '一班', { trainerUserId: trainer.id });
    await insertSession(db, cohortId, '新课标解读', lecturer.id);
    for (let n = 1; n <= 5; n++) {
      const teacherId = await createTeacher(http, countyToken, school, 191_000 + n);
      await insertEnrolment(db, program, cohortId, teacherId);
      phones.push(makePhone(191_000 + n));
      tokens.push((await account(http, countyToken, { username: phones[n - 1], role: 'TEACHER', teacherId })).token);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  it('lets the owner start the form from the default template', async () => {
    const { page } = await newUser(browser, web.url);
    await logIn(page, 'svw_county', 'County1234');
    await page.goto(`/app/cohorts/${cohortId}/survey`);
    await page.getByRole('button', { name: '使用默认模板（国培常用题目）' }).click();
    await page.waitForURL(`**/app/cohorts/${cohortId}/survey`);
    await expect(page.getByRole('status').or(page.locator('.flash')).first().innerText()).resolves.toContain(
      '默认模板',
    );
    await expect(page.getByLabel('第 4 题题目').inputValue()).resolves.toBe('《新课标解读》授课满意度');
    await expect(page.getByLabel('第 4 题评价的课次').locator('option:checked').innerText()).resolves.toBe(
      '新课标解读（王专家）',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'survey-editor');
  });

  it('lets a trainee answer on the phone, once', async () => {
    const { page } = await newUser(browser, web.url, 'phone');
    await logIn(page, phones[0], 'Changed1234');
    // The phone home puts the form first among the next steps, linked to it.
    await page.goto('/app');
    await expect(page.locator('body').innerText()).resolves.toContain('请填写培训评价');
    await page.goto('/app/me/surveys');
    await page.getByRole('link', { name: '填写评价' }).click();
    const groups = page.locator('fieldset.rating');
    const n = await groups.count();
    expect(n).toBe(8);
    // All but the last rating: the page names the one left out.
    for (let i = 0; i < n - 1; i++) await groups.nth(i).getByLabel('5 分').check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect(
      groups
        .nth(n - 1)
        .locator('.field-error')
        .innerText(),
    ).resolves.toMatch(/请为第 \d+ 题评分/);
    // What was chosen is kept; the last one is answered now, with an open answer.
    await expect(groups.nth(0).getByLabel('5 分').isChecked()).resolves.toBe(true);
    await groups
      .nth(n - 1)
      .getByLabel('4 分')
      .check();
    await page.getByLabel(/意见和建议/).fill('希望多安排课堂观摩');
    await screenshot(page, 'survey-answer-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.waitForURL('**/app/me/surveys');
    await expect(page.locator('body').innerText()).resolves.toContain('评价已提交');
    await expect(page.locator('body').innerText()).resolves.toContain('暂无待填写的评价');
    await page.goto('/app');
    await expect(page.locator('body').innerText()).resolves.not.toContain('请填写培训评价');
    await page.goto(`/app/me/surveys/${cohortId}`);
    await expect(page.locator('.notice').innerText()).resolves.toContain('您已提交过本班的评价');
    await screenshot(page, 'survey-answered-phone');
  });

  it('shows the results with an SVG chart per rating question, the open answers to the owner only', async () => {
    const form = await web.t.http
      .get(`/api/v1/cohorts/${cohortId}/survey`)
      .auth(tokens[1], { type: 'bearer' })
      .expect(200);
    for (const token of tokens.slice(1)) {
      const answers = form.body.questions
        .filter((q: { kind: string }) => q.kind === 'RATING')
        .map((q: { id: number }) => ({ questionId: q.id, rating: 3 }));
      await web.t.http
        .post(`/api/v1/cohorts/${cohortId}/survey/responses`)
        .auth(token, { type: 'bearer' })
        .send({ answers })
        .expect(201);
    }
    const owner = await newUser(browser, web.url);
    await logIn(owner.page, 'svw_county', 'County1234');
    await owner.page.goto(`/app/cohorts/${cohortId}/survey/results`);
    await expect(owner.page.locator('figure.chart svg').count()).resolves.toBe(8);
    const first = owner.page.locator('figure.chart').first();
    await expect(first.getAttribute('aria-label')).resolves.toBe('1分 0 人，2分 0 人，3分 4 人，4分 0 人，5分 1 人');
    await expect(owner.page.locator('.answers').innerText()).resolves.toContain('希望多安排课堂观摩');
    expect(await seriousA11yViolations(owner.page)).toEqual([]);
    await screenshot(owner.page, 'survey-results');

    const trainer = await newUser(browser, web.url);
    await logIn(trainer.page, trainerName, 'Changed1234');
    await trainer.page.goto(`/app/cohorts/${cohortId}/survey/results`);
    await expect(trainer.page.locator('figure.chart svg').count()).resolves.toBe(8);
    await expect(trainer.page.locator('body').innerText()).resolves.not.toContain('希望多安排课堂观摩');
  });
});
