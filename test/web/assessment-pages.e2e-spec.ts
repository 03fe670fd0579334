import type { Browser } from 'playwright-core';
import * as ExcelJS from 'exceljs';
import {
  launchBrowser,
  logIn,
  newUser,
  screenshot,
  seriousA11yViolations,
  startWebApp,
  WebApp,
} from './support/browser';
import { ADMIN_PASSWORD } from '../support/test-app';
import { controlClock, SEEDED_PASSWORD, seedTraining, TrainingWorld } from './support/training';

jest.setTimeout(240_000);

/**
 * In Chromium (SQLite or MariaDB): the trainer's 考核成绩 page of a cohort — the table per trainee and
 * item, saving, a score over the 满分 refused with nothing saved, and an .xlsx import whose row
 * errors are listed in Chinese. The page passes axe; screenshots are saved.
 */
describe('web pages: the trainer enters and imports scores', () => {
  let web: WebApp;
  let browser: Browser;
  let w: TrainingWorld;
  let items: { id: number; name: string }[];

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    controlClock(web.t, new Date('2019-07-15T08:40:00+08:00'));
    w = await seedTraining(web.t.http, web.t, { prefix: 'sc', firstTeacher: 66001 });
    const res = await web.t.http
      .put(`/api/v1/programs/${w.programId}/assessment`)
      .auth(w.admin, { type: 'bearer' })
      .send({
        items: [
          { name: '结业考试', passMark: 60, maxScore: 100 },
          { name: '研修作业', passMark: 6, maxScore: 10 },
        ],
      })
      .expect(200);
    items = res.body.items;
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  const scoresOf = async (enrolmentId: number) =>
    (
      await web.t.db.query('SELECT itemId, score FROM assessment_score WHERE enrolmentId = ? ORDER BY itemId', [
        enrolmentId,
      ])
    ).map((r: any) => [Number(r.itemId), Number(r.score)]);

  it('saves the scores typed in the table, refuses one over the 满分, and lists an import’s row errors', async () => {
    const u = await newUser(browser, web.url);
    await logIn(u.page, w.trainer.username, SEEDED_PASSWORD);
    await u.page.goto(`/app/trainer/cohorts/${w.cohortId}`);
    await u.page.getByRole('link', { name: '考核成绩' }).click();
    await expect(u.page.locator('h1').innerText()).resolves.toContain('考核成绩');
    const a = w.teachers.A;
    const cell = (name: string, item: string) => u.page.getByRole('textbox', { name: `${name}：${item}（满分` });
    await cell(a.name, '结业考试').fill('88.5');
    await cell(a.name, '研修作业').fill('7');
    await u.page.getByRole('button', { name: '保存成绩' }).click();
    await expect(u.page.getByRole('status').first().innerText()).resolves.toContain('已保存：改动 2 项成绩');
    expect(await scoresOf(a.enrolmentId)).toEqual([
      [items[0].id, 88.5],
      [items[1].id, 7],
    ]);
    await expect(cell(a.name, '结业考试').inputValue()).resolves.toBe('88.5');

    await cell(w.teachers.B.name, '结业考试').fill('101');
    await u.page.getByRole('button', { name: '保存成绩' }).click();
    await expect(u.page.locator('[role=alert], [role=status]').first().innerText()).resolves.toContain(
      '成绩不能超过满分 100',
    );
    expect(await scoresOf(w.teachers.B.enrolmentId)).toEqual([]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成绩');
    ws.addRow(['报名编号', '姓名', '结业考试（满分100）']);
    ws.addRow([w.teachers.B.enrolmentId, w.teachers.B.name, '优秀']);
    await u.page.getByLabel('导入成绩（.xlsx）').setInputFiles({
      name: '成绩.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    await u.page.getByRole('button', { name: '导入', exact: true }).click();
    await expect(u.page.getByRole('alert').innerText()).resolves.toContain(
      '第 2 行「结业考试（满分100）」：成绩须为数字',
    );
    expect(await scoresOf(w.teachers.B.enrolmentId)).toEqual([]);
    await screenshot(u.page, 'trainer-scores');
    expect(await seriousA11yViolations(u.page)).toEqual([]);
    await u.context.close();
  });

  it('lets a trainee see the items and scores and upload a submission on the phone; a file that is not PDF/Word/image is refused', async () => {
    const a = w.teachers.A;
    const u = await newUser(browser, web.url, 'phone');
    await logIn(u.page, a.phone, SEEDED_PASSWORD);
    await u.page.goto('/app/me/programs');
    await u.page.getByRole('link', { name: '考核与材料' }).first().click();
    await expect(u.page.locator('h1').innerText()).resolves.toBe('考核与材料');
    const exam = u.page.locator('.cards > li', { hasText: '结业考试' });
    await expect(exam.innerText()).resolves.toMatch(/成绩\s*88\.5（及格）/);
    await exam.getByLabel('上传材料').setInputFiles({
      name: '研修成果.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await exam.getByRole('button', { name: '上传', exact: true }).click();
    await expect(u.page.getByRole('status').first().innerText()).resolves.toContain('材料已上传');
    await expect(u.page.locator('.cards > li', { hasText: '结业考试' }).innerText()).resolves.toContain('研修成果.pdf');
    const essay = u.page.locator('.cards > li', { hasText: '研修作业' });
    await essay
      .getByLabel('上传材料')
      .setInputFiles({ name: '作业.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf') });
    await essay.getByRole('button', { name: '上传', exact: true }).click();
    await expect(u.page.locator('[role=alert], [role=status]').first().innerText()).resolves.toContain(
      '文件须为 PDF、Word（.docx/.doc）或图片',
    );
    const [{ n }] = await web.t.db.query('SELECT COUNT(*) AS n FROM assessment_submission WHERE enrolmentId = ?', [
      a.enrolmentId,
    ]);
    expect(Number(n)).toBe(1);
    expect(await u.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(u.page, 'teacher-assessment-phone');
    expect(await seriousA11yViolations(u.page)).toEqual([]);
    await u.context.close();
  });

  it('lets the owner see and change the items on the program page; a pass mark over the 满分 is refused in Chinese', async () => {
    const u = await newUser(browser, web.url);
    await logIn(u.page, 'admin', ADMIN_PASSWORD);
    await u.page.goto(`/app/programs/${w.programId}`);
    await expect(u.page.locator('section', { hasText: '考核项目' }).first().innerText()).resolves.toContain(
      '结业考试（满分 100，及格 60）；研修作业（满分 10，及格 6）',
    );
    await u.page.getByRole('link', { name: '设置考核项目' }).click();
    await u.page.getByLabel('第 3 项名称').fill('研修成果');
    await u.page.getByLabel('第 3 项满分').fill('20');
    await u.page.getByLabel('第 3 项及格分').fill('30');
    await u.page.getByRole('button', { name: '保存考核项目' }).click();
    await expect(u.page.getByRole('alert').innerText()).resolves.toContain('「研修成果」的及格分不能高于满分');
    await screenshot(u.page, 'program-assessment');
    expect(await seriousA11yViolations(u.page)).toEqual([]);
    await u.page.getByLabel('第 3 项及格分').fill('12');
    await u.page.getByRole('button', { name: '保存考核项目' }).click();
    await expect(u.page.getByRole('status').first().innerText()).resolves.toContain('考核项目已保存');
    await expect(u.page.locator('section', { hasText: '考核项目' }).first().innerText()).resolves.toContain(
      '研修成果（满分 20，及格 12）',
    );
    await u.context.close();
  });
});
