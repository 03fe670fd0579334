import type { Browser, Page } from 'playwright-core';
import { makeIdNumber, makePhone } from '../support/fixtures';
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
import { checkinCode, controlClock, readQr, SEEDED_PASSWORD, seedTraining, TrainingWorld } from './support/training';

jest.setTimeout(240_000);

/**
 * In Chromium, on a fresh database (SQLite or MariaDB): the trainer's pages (my cohorts, the
 * full-screen check-in display with its QR code and live count, attendance correction, leave
 * approvals, closing a session, completion, certificates to print) and the teacher's phone pages
 * (confirm or decline a place, the check-in landing page with each result, leave, attendance,
 * certificates), and the public verification page. Every page passes axe; screenshots are saved.
 */
describe('web pages: trainer, teacher and check-in in a real browser', () => {
  let web: WebApp;
  let browser: Browser;
  let w: TrainingWorld;
  let setClock: (next: Date | string) => void;
  const found: Record<string, AxeViolation[]> = {};

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    setClock = controlClock(web.t, new Date('2019-07-15T08:40:00+08:00'));
    w = await seedTraining(web.t.http, web.t, { prefix: 'tt', firstTeacher: 61001, unconfirmed: ['A'] });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.t.close();
  });

  async function check(page: Page, name: string, path?: string): Promise<void> {
    if (path) await page.goto(path);
    found[name] = await seriousA11yViolations(page);
    await screenshot(page, name);
    expect(await page.locator('h1').count()).toBe(1);
  }
  const trainerPage = async () => {
    const u = await newUser(browser, web.url);
    await logIn(u.page, w.trainer.username, SEEDED_PASSWORD);
    return u;
  };
  const teacherPhone = async (key: keyof TrainingWorld['teachers'], signIn = true) => {
    const u = await newUser(browser, web.url, 'phone');
    if (signIn) await logIn(u.page, w.teachers[key].phone, SEEDED_PASSWORD);
    return u;
  };
  /** The path of a check-in address (the QR code holds the public base URL; the test app listens elsewhere). */
  const checkinPath = (sessionId: number, code: string) => `/checkin?s=${sessionId}&c=${encodeURIComponent(code)}`;
  const result = (page: Page) => page.locator('.result');
  /** Waits for an element's text (the page's CSP forbids playwright's string predicates). */
  const waitForText = async (locator: ReturnType<Page['locator']>, text: string, timeout = 15_000) => {
    const until = Date.now() + timeout;
    while ((await locator.innerText()) !== text) {
      if (Date.now() > until)
        throw new Error(`waited ${timeout} ms for "${text}", still "${await locator.innerText()}"`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const fitsPhone = async (page: Page) =>
    expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);

  it('lets a teacher confirm a place and another decline with a reason, on the phone', async () => {
    const a = await teacherPhone('A');
    await a.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的培训' }).click();
    await check(a.page, 'teacher-programs-phone');
    const card = a.page.locator('.cards > li', { hasText: '2019年全市贫困村学校骨干教师暑期培训' });
    await expect(card.innerText()).resolves.toMatch(
      /审核通过[\s\S]*一班[\s\S]*2019-07-15 至 2019-07-16[\s\S]*临沂大学西校区/,
    );
    await card.getByRole('button', { name: '确认报到' }).click();
    await expect(a.page.getByRole('status').first().innerText()).resolves.toContain('已确认报到');
    await expect(a.page.locator('.cards > li').first().innerText()).resolves.toContain('已报到');
    await expect(a.page.getByRole('button', { name: '确认报到' }).count()).resolves.toBe(0);
    await fitsPhone(a.page);
    await a.context.close();

    const d = await teacherPhone('D');
    await d.page.goto('/app/me/programs');
    await d.page.getByRole('link', { name: '放弃培训' }).click();
    await check(d.page, 'teacher-decline-phone');
    await d.page.getByLabel(label('放弃原因')).fill('暑期承担毕业班补课任务');
    await d.page.getByRole('button', { name: '确认放弃' }).click();
    await expect(d.page.getByRole('status').first().innerText()).resolves.toContain('已放弃本次培训');
    await expect(d.page.locator('.cards > li').first().innerText()).resolves.toContain('已放弃');
    const [row] = await web.t.db.query('SELECT status, reason FROM enrolment WHERE id = ?', [w.teachers.D.enrolmentId]);
    expect(row).toEqual({ status: 'DECLINED', reason: '暑期承担毕业班补课任务' });
    await d.context.close();
  });

  it('checks a teacher in from the QR code on the display: phone login, then 签到成功 with the time; the display counts it', async () => {
    setClock('2019-07-15T08:50:00');
    const trainer = await trainerPage();
    await trainer.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的班级' }).click();
    await check(trainer.page, 'trainer-cohorts');
    const displayLink = trainer.page.locator(`a[href="/app/trainer/sessions/${w.sessions.S1}/display"]`);
    await expect(displayLink.getAttribute('target')).resolves.toBe('_blank');
    // The display opens in a new tab, as the link says.
    const [display] = await Promise.all([trainer.context.waitForEvent('page'), displayLink.click()]);
    await display.waitForLoadState();
    await display.setViewportSize({ width: 1280, height: 800 });
    await check(display, 'checkin-display');
    await expect(display.locator('h1').innerText()).resolves.toBe('新课标解读');
    await expect(display.locator('#count').innerText()).resolves.toBe('已签到 0 / 3');
    await expect(display.locator('#qr-note').innerText()).resolves.toBe('请用手机扫码签到');
    const url = new URL(await readQr(display, '#qr'));
    expect(`${url.origin}${url.pathname}`).toBe('http://shipei.test/checkin');
    expect(url.searchParams.get('s')).toBe(String(w.sessions.S1));
    const code = url.searchParams.get('c')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{16}$/);

    // 王秀英 scans it, not signed in: the check-in's own phone login, then straight back to the check-in.
    const a = await teacherPhone('A', false);
    await a.page.goto(`${url.pathname}${url.search}`);
    expect(new URL(a.page.url()).pathname).toBe('/checkin/login');
    await check(a.page, 'checkin-login-phone');
    await fitsPhone(a.page);
    await a.page.getByLabel(label('手机号')).fill(w.teachers.A.phone);
    await a.page.getByLabel(label('密码')).fill(SEEDED_PASSWORD);
    await Promise.all([a.page.waitForURL(/\/checkin\?/), a.page.getByRole('button', { name: '登录并签到' }).click()]);
    await expect(result(a.page).getAttribute('data-result')).resolves.toBe('PRESENT');
    await expect(result(a.page).innerText()).resolves.toMatch(
      /签到成功[\s\S]*签到时间 08:50[\s\S]*新课标解读[\s\S]*2019-07-15 09:00–11:00/,
    );
    await check(a.page, 'checkin-success-phone');
    await fitsPhone(a.page);
    // Scanning again changes nothing.
    await a.page.reload();
    await expect(result(a.page).innerText()).resolves.toMatch(/您已签到[\s\S]*签到时间 08:50/);

    // The display's count and latest names follow by themselves.
    await waitForText(display.locator('#count'), '已签到 1 / 3');
    await expect(display.locator('#latest').innerText()).resolves.toMatch(/王秀英\s*08:50/);
    await screenshot(display, 'checkin-display-after-scan');
    // The display's code comes from the code route: the trainer's JSON, never the teacher's.
    const json = await display.request.get(`/app/trainer/sessions/${w.sessions.S1}/display/code`);
    expect(json.status()).toBe(200);
    expect((await json.json()).qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const refused = await a.page.request.get(`/app/trainer/sessions/${w.sessions.S1}/display/code`);
    expect(refused.status()).toBe(403);
    await a.context.close();
    await trainer.context.close();
  });

  it('shows 迟到 with the time after the grace period', async () => {
    setClock('2019-07-15T09:20:00');
    const b = await teacherPhone('B');
    await b.page.goto(checkinPath(w.sessions.S1, await checkinCode(web.t.http, w.trainer.token, w.sessions.S1)));
    await expect(result(b.page).getAttribute('data-result')).resolves.toBe('LATE');
    await expect(result(b.page).locator('.result-head').innerText()).resolves.toBe('迟到');
    await expect(result(b.page).innerText()).resolves.toContain('签到时间 09:20');
    await check(b.page, 'checkin-late-phone');
    await b.context.close();
  });

  it('gives the plain reason when a check-in cannot happen: expired code, not open yet, not on the roster, broken address', async () => {
    setClock('2019-07-15T09:20:00');
    const c = await teacherPhone('C');
    const stale = await checkinCode(web.t.http, w.trainer.token, w.sessions.S1);
    setClock('2019-07-15T09:21:30');
    const res = await c.page.goto(checkinPath(w.sessions.S1, stale));
    // An answer, not a broken page: in-app browsers show it as it is.
    expect(res?.status()).toBe(200);
    await expect(result(c.page).getAttribute('data-result')).resolves.toBe('CHECKIN_CODE_INVALID');
    await expect(result(c.page).locator('.result-head').innerText()).resolves.toBe('二维码已过期，请重新扫描');
    await check(c.page, 'checkin-expired-phone');

    setClock('2019-07-15T09:25:00');
    await c.page.goto(checkinPath(w.sessions.S2, await checkinCode(web.t.http, w.trainer.token, w.sessions.S2, web.t)));
    await expect(result(c.page).innerText()).resolves.toMatch(/签到尚未开始[\s\S]*签到尚未开始，将于 13:30 开放/);
    await check(c.page, 'checkin-not-open-phone');
    await c.page.goto('/checkin?s=abc');
    await expect(result(c.page).locator('.result-head').innerText()).resolves.toBe('二维码无效，请重新扫描');
    await c.context.close();

    const x = await teacherPhone('X');
    await x.page.goto(checkinPath(w.sessions.S1, await checkinCode(web.t.http, w.trainer.token, w.sessions.S1)));
    await expect(result(x.page).locator('.result-head').innerText()).resolves.toBe('您不在本班名单中');
    await check(x.page, 'checkin-not-in-cohort-phone');
    await x.context.close();
    // Nothing was recorded for the refusals.
    const rows = await web.t.db.query('SELECT enrolmentId FROM attendance_record WHERE sessionId IN (?, ?)', [
      w.sessions.S1,
      w.sessions.S2,
    ]);
    expect(rows.map((r: { enrolmentId: number }) => Number(r.enrolmentId)).sort()).toEqual(
      [w.teachers.A.enrolmentId, w.teachers.B.enrolmentId].sort(),
    );
  });

  it('takes a leave request on the phone (by keyboard), the trainer approves it, and the session shows 请假', async () => {
    const c = await teacherPhone('C');
    await c.page.goto('/app/me/leave');
    await check(c.page, 'teacher-leave-empty-phone');
    await c.page.getByRole('link', { name: '申请请假' }).click();
    // Submitting nothing: the service's messages under their fields.
    await c.page.getByRole('button', { name: '提交申请' }).click();
    await check(c.page, 'teacher-leave-errors-phone');
    await expect(c.page.locator('#e-sessionIds').innerText()).resolves.toBe('请至少选择一个课次');
    await expect(fieldError(c.page, '请假事由')).resolves.toBe('请填写请假事由');
    // By keyboard: tick the afternoon session, choose 病假, type the reason, submit with Enter on the button.
    await c.page.getByLabel(/课堂观察与评价/).focus();
    await c.page.keyboard.press('Space');
    await c.page.getByLabel('病假').focus();
    await c.page.keyboard.press('Space');
    await c.page.getByLabel(label('请假事由')).focus();
    await c.page.keyboard.type('发烧，下午去医院就诊');
    await c.page.getByRole('button', { name: '提交申请' }).focus();
    await Promise.all([c.page.waitForURL(/\/app\/me\/leave$/), c.page.keyboard.press('Enter')]);
    await expect(c.page.getByRole('status').first().innerText()).resolves.toContain('病假申请已提交（1 个课次）');
    await expect(c.page.locator('.cards > li').first().innerText()).resolves.toMatch(
      /病假[\s\S]*待审批[\s\S]*课堂观察与评价[\s\S]*发烧，下午去医院就诊/,
    );
    await check(c.page, 'teacher-leave-phone');

    const trainer = await trainerPage();
    await trainer.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '请假审批' }).click();
    await check(trainer.page, 'trainer-leave-list');
    const row = trainer.page.locator('tbody tr', { hasText: '张丽' });
    await expect(row.innerText()).resolves.toMatch(/一班[\s\S]*病假[\s\S]*课堂观察与评价[\s\S]*待审批/);
    await row.getByRole('link', { name: /审批/ }).click();
    await check(trainer.page, 'trainer-leave-detail');
    await trainer.page.getByLabel(label('审批意见')).fill('注意休息');
    await trainer.page.getByRole('button', { name: '批准', exact: true }).click();
    await expect(trainer.page.getByRole('status').first().innerText()).resolves.toContain('已批准 张丽 的病假');
    await trainer.page.goto(`/app/trainer/sessions/${w.sessions.S2}`);
    await expect(trainer.page.locator('tbody tr', { hasText: '张丽' }).innerText()).resolves.toMatch(
      /请假[\s\S]*请假批准[\s\S]*病假（请假批准）/,
    );
    await trainer.context.close();

    await c.page.reload();
    await expect(c.page.locator('.cards > li').first().innerText()).resolves.toMatch(/已批准[\s\S]*注意休息/);
    await c.page.goto('/app/me/attendance');
    await check(c.page, 'teacher-attendance-phone');
    await expect(c.page.locator('.session-list li', { hasText: '课堂观察与评价' }).innerText()).resolves.toContain(
      '请假',
    );
    // The personal pass a trainer's phone can scan offline: a signed token, readable from the screen.
    expect(await readQr(c.page, '.pass-card img')).toMatch(/^P1\.[A-Za-z0-9_-]{103}$/);
    await fitsPhone(c.page);
    await c.context.close();
  });

  it('lets the trainer refuse a leave request with a note the teacher then reads', async () => {
    const b = await teacherPhone('B');
    await b.page.goto('/app/me/leave/new');
    await b.page.getByLabel(/教学设计工作坊/).check();
    await b.page.getByLabel('事假').check();
    await b.page.getByLabel(label('请假事由')).fill('家中有事');
    await b.page.getByRole('button', { name: '提交申请' }).click();
    const trainer = await trainerPage();
    await trainer.page.goto('/app/trainer/leave');
    await trainer.page.locator('tbody tr', { hasText: '李建国' }).getByRole('link', { name: /审批/ }).click();
    await trainer.page.getByLabel(label('审批意见')).fill('该课为必修实践课，请调整安排');
    await trainer.page.getByRole('button', { name: '不批准' }).click();
    await expect(trainer.page.getByRole('status').first().innerText()).resolves.toContain('已不批准 李建国 的事假');
    // Decided once: the list of pending requests is empty again.
    await expect(trainer.page.locator('tbody td.empty').innerText()).resolves.toBe('暂无数据');
    await trainer.context.close();
    await b.page.goto('/app/me/leave');
    await expect(b.page.locator('.cards > li').first().innerText()).resolves.toMatch(
      /事假[\s\S]*未批准[\s\S]*该课为必修实践课，请调整安排/,
    );
    await b.context.close();
  });

  it('corrects a trainee’s attendance with a required reason, audited by the service', async () => {
    const trainer = await trainerPage();
    await trainer.page.goto(`/app/trainer/cohorts/${w.cohortId}`);
    await check(trainer.page, 'trainer-cohort');
    await trainer.page.locator('tbody tr', { hasText: '新课标解读' }).getByRole('link', { name: /^考勤/ }).click();
    await check(trainer.page, 'trainer-session');
    await expect(trainer.page.locator('.stats').innerText()).resolves.toMatch(/已签到\s*2 \/ 3[\s\S]*迟到\s*1/);
    await trainer.page.locator('tbody tr', { hasText: '李建国' }).getByRole('link', { name: /更正/ }).click();
    await trainer.page.getByLabel('出勤').check();
    await trainer.page.getByRole('button', { name: '保存' }).click();
    await check(trainer.page, 'trainer-correct-errors');
    await expect(fieldError(trainer.page, '原因')).resolves.toBe('请填写原因');
    await trainer.page.getByLabel(label('原因')).fill('交通管制，经核实按时到课');
    await trainer.page.getByRole('button', { name: '保存' }).click();
    await expect(trainer.page.getByRole('status').first().innerText()).resolves.toContain(
      '已将 李建国 的考勤更正为「出勤」',
    );
    await expect(trainer.page.locator('tbody tr', { hasText: '李建国' }).innerText()).resolves.toMatch(
      /出勤[\s\S]*09:20[\s\S]*培训教师标记[\s\S]*交通管制，经核实按时到课/,
    );
    await trainer.context.close();
    const audit = await web.t.db.query(
      `SELECT actorRole, action, fields, note FROM audit_entry WHERE entity = 'attendance' AND action = 'correct'`,
    );
    expect(audit).toEqual([{ actorRole: 'TRAINER', action: 'correct', fields: 'status,reason', note: 'LATE→PRESENT' }]);
  });

  it('closes a session, runs completion, issues and prints certificates; the teacher downloads hers and the public page verifies it', async () => {
    // 王秀英 attended the other two sessions too (checked in on time).
    for (const [at, s] of [
      ['2019-07-15T13:55:00', w.sessions.S2],
      ['2019-07-16T08:55:00', w.sessions.S3],
    ] as const) {
      setClock(at);
      const code = await checkinCode(web.t.http, w.trainer.token, s);
      await web.t.http
        .post(`/api/v1/sessions/${s}/checkins`)
        .auth(w.teachers.A.token, { type: 'bearer' })
        .send({ code })
        .expect(201);
    }
    setClock('2019-07-16T12:00:00');
    const trainer = await trainerPage();
    await trainer.page.goto(`/app/trainer/sessions/${w.sessions.S1}`);
    await trainer.page.getByRole('button', { name: '结束签到' }).click();
    await expect(trainer.page.getByRole('status').first().innerText()).resolves.toContain(
      '已结束签到：1 名未签到的学员记为缺勤',
    );
    await expect(trainer.page.locator('tbody tr', { hasText: '张丽' }).innerText()).resolves.toMatch(
      /缺勤[\s\S]*结束签到时记缺勤/,
    );
    // The paper sign-in sheet opens as a PDF in a new tab.
    const sheet = trainer.page.locator(`a[href="/app/trainer/sessions/${w.sessions.S1}/sign-in-sheet.pdf"]`).first();
    await expect(sheet.getAttribute('target')).resolves.toBe('_blank');
    const sheetPdf = await trainer.page.request.get(`/app/trainer/sessions/${w.sessions.S1}/sign-in-sheet.pdf`);
    expect(sheetPdf.headers()['content-type']).toBe('application/pdf');
    expect(sheetPdf.headers()['content-disposition']).toMatch(/^inline; /);
    expect((await sheetPdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    await trainer.page.goto(`/app/trainer/cohorts/${w.cohortId}`);
    await trainer.page.getByRole('button', { name: '计算结业' }).click();
    await expect(trainer.page.getByRole('status').first().innerText()).resolves.toContain(
      '结业计算完成：结业 1 人，未结业 2 人（课次合计 6 学时，出勤率须达 80%）',
    );
    await trainer.page.getByRole('button', { name: '颁发结业证书' }).click();
    await expect(trainer.page.getByRole('status').first().innerText()).resolves.toContain('已颁发 1 份结业证书');
    await expect(trainer.page.locator('tbody tr', { hasText: '王秀英' }).innerText()).resolves.toMatch(
      /100%[\s\S]*已结业[\s\S]*LYGG2019-0001/,
    );
    await expect(trainer.page.locator('tbody tr', { hasText: '张丽' }).innerText()).resolves.toMatch(
      /缺勤[\s\S]*请假[\s\S]*未结业/,
    );
    await check(trainer.page, 'trainer-cohort-completed');
    const print = trainer.page.getByRole('link', { name: /打印本班证书/ });
    await expect(print.getAttribute('target')).resolves.toBe('_blank');
    const cohortPdf = await trainer.page.request.get((await print.getAttribute('href'))!);
    expect(cohortPdf.status()).toBe(200);
    expect(cohortPdf.headers()['content-type']).toBe('application/pdf');
    expect((await cohortPdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await trainer.context.close();

    const a = await teacherPhone('A');
    await a.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的证书' }).click();
    await check(a.page, 'teacher-certificates-phone');
    const card = a.page.locator('.cards > li').first();
    await expect(card.innerText()).resolves.toMatch(
      /2019年全市贫困村学校骨干教师暑期培训[\s\S]*有效[\s\S]*LYGG2019-0001[\s\S]*6 学时/,
    );
    const own = await a.page.request.get(
      (await card.getByRole('link', { name: '下载证书（PDF）' }).getAttribute('href'))!,
    );
    expect(own.headers()['content-type']).toBe('application/pdf');
    await a.page.goto('/app/me/attendance');
    await expect(a.page.locator('.panel').first().innerText()).resolves.toMatch(/6 \/ 6 学时[\s\S]*100%[\s\S]*已结业/);
    await a.page.goto('/app/me/certificates');
    await card.getByRole('link', { name: '查看验证页' }).click();
    expect(new URL(a.page.url()).pathname).toMatch(/^\/verify\/[A-Za-z0-9_-]+$/);
    await check(a.page, 'verify-valid-phone');
    await expect(a.page.locator('[data-status]').innerText()).resolves.toBe('有效');
    await expect(a.page.locator('main').innerText()).resolves.toMatch(
      /LYGG2019-0001[\s\S]*王秀英[\s\S]*2019年全市贫困村学校骨干教师暑期培训[\s\S]*6 学时[\s\S]*临沂市教育局/,
    );
    await a.context.close();

    // The public, signed out.
    const pub = await newUser(browser, web.url);
    const [cert] = await web.t.db.query('SELECT verificationCode FROM certificate WHERE number = ?', ['LYGG2019-0001']);
    const res = await pub.page.goto(`/verify/${cert.verificationCode}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['x-robots-tag']).toBe('noindex');
    await check(pub.page, 'verify-valid');
    await expect(pub.page.locator('h1').innerText()).resolves.toBe('培训结业证书验证');
    const missing = await pub.page.goto('/verify/AAAAAAAAAAAAAAAAAAAAAA');
    expect(missing?.status()).toBe(404);
    await expect(pub.page.locator('main').innerText()).resolves.toContain('未找到该证书');
    await check(pub.page, 'verify-not-found');
    await pub.context.close();
  });

  it('sends a teacher still on a one-time password through the password change and back to the check-in', async () => {
    const { http } = web.t;
    const teacherId = (
      await http
        .post('/api/v1/teachers')
        .auth(w.county, { type: 'bearer' })
        .send({
          name: '孙悦',
          idNumber: makeIdNumber(61090),
          phone: makePhone(61090),
          schoolId: (await http.get(`/api/v1/teachers/${w.teachers.A.teacherId}`).auth(w.county, { type: 'bearer' }))
            .body.schoolId,
        })
    ).body.id;
    await http
      .post('/api/v1/users')
      .auth(w.county, { type: 'bearer' })
      .send({ username: makePhone(61090), password: 'Once1234x', role: 'TEACHER', teacherId })
      .expect(201);
    const login = await http
      .post('/login')
      .type('form')
      .send({ username: makePhone(61090), password: 'Once1234x' })
      .expect(303);
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('shipei_token='))!
      .split(';')[0];
    const scan = checkinPath(w.sessions.S1, 'AAAAAAAAAAAAAAAA');
    const res = await http.get(scan).set('cookie', cookie).expect(303);
    expect(res.headers.location).toBe(`/password?next=${encodeURIComponent(scan)}`);
    // Not signed in at all: the check-in's own login, coming back to the same address.
    const anon = await http.get(scan).expect(303);
    expect(anon.headers.location).toBe(`/checkin/login?next=${encodeURIComponent(scan)}`);
    const page = await http.get(anon.headers.location).expect(200);
    const next = /name="next" value="([^"]*)"/
      .exec(page.text)?.[1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(next).toBe(scan);
    // A next that is not a check-in address is dropped.
    expect((await http.get('/checkin/login?next=%2Fapp%2Fusers').expect(200)).text).toContain('name="next" value=""');
  });

  it('keeps teachers out of the trainer pages and trainers out of the teacher pages, as pages', async () => {
    const a = await teacherPhone('A');
    const res = await a.page.goto(`/app/trainer/sessions/${w.sessions.S1}`);
    expect(res?.status()).toBe(403);
    await expect(a.page.locator('main').innerText()).resolves.toContain('无权');
    await a.context.close();
    const trainer = await trainerPage();
    expect((await trainer.page.goto('/app/me/programs'))?.status()).toBe(403);
    // Another trainer's cohort: not found.
    expect((await trainer.page.goto(`/app/trainer/sessions/${w.sessions.S4}`))?.status()).toBe(404);
    await trainer.context.close();
  });

  afterAll(() => {
    const bad = Object.entries(found).filter(([, v]) => v.length);
    if (bad.length) console.warn(JSON.stringify(Object.fromEntries(bad), null, 2));
  });

  it('found no serious or critical axe violation on any of these pages', () => {
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(20);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
  });
});
