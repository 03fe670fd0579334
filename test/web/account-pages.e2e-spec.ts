import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { account, createProgram, setQuotas } from '../support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from '../support/fixtures';
import { ADMIN_PASSWORD } from '../support/test-app';
import { label, launchBrowser, logIn, newUser, screenshot, startWebApp, WebApp } from './support/browser';

/**
 * The account pages of spec §12 (issue 16): 账号管理 with state and the actions 重置密码 / 解锁 /
 * 停用·启用 / 修改角色, the teacher page's 已开通账号, batch opening from the teacher list and from a
 * program, with the slips as a PDF. Over HTTP: a county acts on no account outside its county (every
 * action × every out-of-scope account, both counties). In Chromium: the clicks a clerk makes.
 */
jest.setTimeout(180_000);

const masked = (n: number) => makePhone(n).replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
const pdfText = (pdf: Buffer, dir: string, name: string) => {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
};

describe('account pages', () => {
  let web: WebApp;
  let browser: Browser;
  let admin: string;
  let program: number;
  const dir = mkdtempSync(join(tmpdir(), 'shipei-account-pages-'));
  /** Account ids: aT1 / bT1 teachers of 兰山区 / 罗庄区, the two county admins, a trainer, the admin. */
  const users: Record<string, number> = {};
  const teachers: Record<string, number> = {};
  const passwords: Record<string, string> = {};

  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const session = async (username: string, password: string) => {
    const res = await web.t.http.post('/login').type('form').send({ username, password }).expect(303);
    return cookieOf(res)
      .find((c) => c.startsWith('shipei_token='))!
      .split(';')[0];
  };
  const userId = async (where: string, value: unknown) =>
    Number((await web.t.db.query(`SELECT id FROM user_account WHERE ${where} = ?`, [value]))[0].id);
  /** What an account action could change, for "nothing written". */
  const accountRows = () =>
    web.t.db.query(
      `SELECT id, username, passwordHash, role, organisationId, active, mustChangePassword, tokenVersion FROM user_account ORDER BY id`,
    );
  const guards = () => web.t.db.query(`SELECT bucket, lockedUntil FROM login_guard ORDER BY bucket`);

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebApp(), launchBrowser()]);
    const http = web.t.http;
    admin = await adminToken(http);
    const lanshan = await countyIdByCode(web.t.db, '371302');
    const luozhuang = await countyIdByCode(web.t.db, '371311');
    const countyA = await countyAdmin(http, admin, lanshan, 'acc_lanshan');
    const countyB = await countyAdmin(http, admin, luozhuang, 'acc_luozhuang');
    const schoolA = await createSchool(http, countyA, lanshan, '兰山区账号页小学');
    const schoolB = await createSchool(http, countyB, luozhuang, '罗庄区账号页小学');
    for (const n of [71001, 71002, 71003, 71004])
      teachers[`a${n - 71000}`] = await createTeacher(http, countyA, schoolA, n);
    for (const n of [72001, 72002, 72003]) teachers[`b${n - 72000}`] = await createTeacher(http, countyB, schoolB, n);
    for (const [key, token, teacherId] of [
      ['aT1', countyA, teachers.a1],
      ['bT1', countyB, teachers.b1],
    ] as const) {
      const res = await http
        .post('/api/v1/teachers/accounts')
        .auth(token, { type: 'bearer' })
        .send({ teacherIds: [teacherId] })
        .expect(201);
      users[key] = res.body[0].userId;
      passwords[key] = res.body[0].temporaryPassword;
    }
    users.trainer = (
      await account(http, admin, { username: 'acc_trainer', role: 'TRAINER', displayName: '培训师甲' })
    ).id;
    users.countyA = await userId('username', 'acc_lanshan');
    users.countyB = await userId('username', 'acc_luozhuang');
    users.admin = await userId('username', 'admin');
    // A program with an approved trainee of each county (a2, b2), and a merely nominated one (a3).
    program = await createProgram(http, admin, { seats: 10, title: '账号页测试项目' });
    await setQuotas(http, admin, program, [
      { countyId: lanshan, seats: 5 },
      { countyId: luozhuang, seats: 5 },
    ]);
    for (const [token, teacherId, approve] of [
      [countyA, teachers.a2, true],
      [countyB, teachers.b2, true],
      [countyA, teachers.a3, false],
    ] as const) {
      const e = await http
        .post(`/api/v1/programs/${program}/enrolments`)
        .auth(token, { type: 'bearer' })
        .send({ teacherId })
        .expect(201);
      if (approve)
        await http.post(`/api/v1/enrolments/${e.body.id}/approve`).auth(admin, { type: 'bearer' }).expect(200);
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await browser?.close();
    await web?.t.close();
  });

  describe('over HTTP: a county manages its own county’s accounts only', () => {
    const ACTIONS = [
      { name: '重置密码', path: 'reset-password', form: {} },
      { name: '解锁', path: 'unlock', form: {} },
      { name: '停用', path: 'active', form: { active: 'false' } },
      { name: '启用', path: 'active', form: { active: 'true' } },
      { name: '修改角色', path: 'edit', form: { role: 'CITY_ADMIN' } },
    ];

    it('lists its teachers’ accounts (masked) and its own, nobody else’s', async () => {
      for (const [who, own, other] of [
        ['acc_lanshan', 71001, 72001],
        ['acc_luozhuang', 72001, 71001],
      ] as const) {
        const page = await web.t.http
          .get('/app/users')
          .set('cookie', await session(who, 'County1234'))
          .expect(200);
        const table = page.text.slice(page.text.indexOf('<tbody>'), page.text.indexOf('</tbody>'));
        expect(table).toContain(masked(own));
        expect(table).toContain(`教师${own}`);
        expect(table).toContain(who);
        expect(table).not.toContain(makePhone(own));
        for (const hidden of [
          masked(other),
          `教师${other}`,
          'acc_trainer',
          '系统管理员',
          who === 'acc_lanshan' ? 'acc_luozhuang' : 'acc_lanshan',
        ])
          expect(table).not.toContain(hidden);
        // No 新建账号 and no 修改角色 for a county.
        expect(page.text).not.toContain('/app/users/new');
        expect(page.text).not.toContain('修改角色');
      }
    });

    it('every action on every account outside its county: the 404 page, nothing written (both counties)', async () => {
      const matrix = [
        { who: 'acc_lanshan', targets: ['bT1', 'trainer', 'admin', 'countyB'] },
        { who: 'acc_luozhuang', targets: ['aT1', 'trainer', 'admin', 'countyA'] },
      ];
      const seen: string[] = [];
      for (const { who, targets } of matrix) {
        const cookie = await session(who, 'County1234');
        for (const target of targets)
          for (const action of ACTIONS) {
            const rows = await accountRows();
            const locks = await guards();
            const res = await web.t.http
              .post(`/app/users/${users[target]}/${action.path}`)
              .set('cookie', cookie)
              .type('form')
              .send({ ...action.form, back: '/app/users' });
            // 修改角色 is the city's: 403 before any lookup; the rest: what the county may not see is a 404.
            const want = action.path === 'edit' ? 403 : 404;
            seen.push(`${who} ${action.name} ${target} → ${res.status}`);
            expect(`${who} ${action.name} ${target} → ${res.status}`).toBe(`${who} ${action.name} ${target} → ${want}`);
            expect(res.headers['content-type']).toMatch(/text\/html/);
            expect(res.text).toMatch(want === 404 ? /账号不存在或无权访问/ : /无权执行此操作/);
            expect(await accountRows()).toEqual(rows);
            expect(await guards()).toEqual(locks);
          }
        // The edit form itself is the city's too.
        await web.t.http.get(`/app/users/${users.trainer}/edit`).set('cookie', cookie).expect(403);
      }
      expect(seen).toHaveLength(2 * 4 * ACTIONS.length);
    });

    it('a county resets its own teacher’s password: shown once, it logs in, the old one and old sessions end', async () => {
      const cookie = await session('acc_lanshan', 'County1234');
      const before = await web.t.http
        .post('/api/v1/auth/login')
        .send({ username: makePhone(71001), password: passwords.aT1 })
        .expect(200);
      const res = await web.t.http
        .post(`/app/users/${users.aT1}/reset-password`)
        .set('cookie', cookie)
        .type('form')
        .send({ back: `/app/teachers/${teachers.a1}` })
        .expect(200);
      const fresh = /id="temporary-password">([A-Za-z0-9]{10})</.exec(res.text)?.[1];
      expect(fresh).toBeDefined();
      expect(res.text).toContain(masked(71001));
      expect(res.text).toContain(`href="/app/teachers/${teachers.a1}"`);
      // Handlebars writes the base64 padding as &#x3D;.
      expect(res.text).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/]+(&#x3D;)*"/);
      expect(res.headers['cache-control']).toBe('no-store');
      await new Promise((r) => setTimeout(r, 1100));
      await web.t.http.get('/api/v1/auth/me').auth(before.body.accessToken, { type: 'bearer' }).expect(401);
      await web.t.http
        .post('/api/v1/auth/login')
        .send({ username: makePhone(71001), password: passwords.aT1 })
        .expect(401);
      const relog = await web.t.http
        .post('/api/v1/auth/login')
        .send({ username: makePhone(71001), password: fresh })
        .expect(200);
      expect(relog.body.user.mustChangePassword).toBe(true);
      passwords.aT1 = fresh!;
      // The same page from another site is refused, writing nothing.
      const rows = await accountRows();
      await web.t.http
        .post(`/app/users/${users.aT1}/reset-password`)
        .set('cookie', cookie)
        .set('origin', 'http://evil.example')
        .type('form')
        .send({})
        .expect(403);
      expect(await accountRows()).toEqual(rows);
    });

    it('opens no account of another county’s teacher, from the teacher list or a program (all or nothing)', async () => {
      const cookie = await session('acc_lanshan', 'County1234');
      const count = async () =>
        Number((await web.t.db.query(`SELECT COUNT(*) AS n FROM user_account WHERE role = 'TEACHER'`))[0].n);
      const before = await count();
      for (const ids of [[teachers.b3], [teachers.a3, teachers.b3]]) {
        const res = await web.t.http
          .post('/app/teachers/accounts')
          .set('cookie', cookie)
          .type('form')
          .send(`teacherIds=${ids.join('&teacherIds=')}&back=%2Fapp%2Fteachers`)
          .expect(303);
        expect(res.headers.location).toBe('/app/teachers');
        const flash = cookieOf(res).find((c) => c.startsWith('shipei_flash='))!;
        const text = JSON.parse(Buffer.from(flash.split(';')[0].split('=')[1], 'base64url').toString()).m;
        expect(text).toBe('教师不存在或无权访问');
      }
      // Nothing ticked: a message, not an error page.
      const none = await web.t.http
        .post('/app/teachers/accounts')
        .set('cookie', cookie)
        .type('form')
        .send({ back: '//evil.example' })
        .expect(303);
      expect(none.headers.location).toBe('/app/teachers');
      expect(await count()).toBe(before);

      // From the program: county A's approved trainee only (a2), with the slips; a3 is only nominated.
      const pdf = await web.t.http
        .post(`/app/programs/${program}/accounts`)
        .set('cookie', cookie)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toMatch(/^inline; /);
      const text = pdfText(pdf.body as Buffer, dir, 'program-county');
      expect(text).toContain('教师71002');
      expect(text).toContain(makePhone(71002));
      expect(text).not.toContain('教师72002');
      expect(text).not.toContain('教师71003');
      expect(await count()).toBe(before + 1);
    });
  });

  describe('in Chromium', () => {
    /**
     * The answer to a form posted to `path` as the browser gets it. Chromium's PDF viewer takes over
     * a PDF's body, so the request is fetched through the test (route.fetch) and handed on unchanged.
     */
    const capture = async (context: BrowserContext, path: string) => {
      const got: { status: number; type: string; body: Buffer }[] = [];
      await context.route(`**${path}`, async (route) => {
        const res = await route.fetch();
        got.push({ status: res.status(), type: res.headers()['content-type'], body: await res.body() });
        await route.fulfill({ response: res });
      });
      return got;
    };
    /** Waits (up to 15 s) until the captured answer is in. */
    const settled = async (got: unknown[]) => {
      for (let i = 0; i < 150 && !got.length; i++) await new Promise((r) => setTimeout(r, 100));
    };
    const main = (page: Page) => page.locator('main');
    const row = (page: Page, text: string) => main(page).locator('tbody tr', { hasText: text });

    it('the office sees each account’s state and disables, enables, unlocks and changes a role in one click', async () => {
      const { context, page } = await newUser(browser, web.url);
      await logIn(page, 'admin', ADMIN_PASSWORD);
      // A teacher locked out account-wide (as after too many wrong passwords from many addresses).
      await web.t.db.query(
        `INSERT INTO login_guard (bucket, failures, locks, lockedUntil, rev) VALUES (?, 0, 1, ?, 1)`,
        [`u:${users.aT1}`, Date.now() + 30 * 60_000],
      );
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' }).click();
      await expect(row(page, '教师71001').innerText()).resolves.toMatch(
        /教师[\s\S]*已锁定[\s\S]*至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
      );
      await expect(row(page, '培训师甲').innerText()).resolves.toContain('正常');
      await expect(row(page, '系统管理员').innerText()).resolves.toContain('本人账号');
      await screenshot(page, 'office-accounts-list');

      await row(page, '教师71001').getByRole('button', { name: '解锁 教师71001' }).click();
      await expect(page.getByRole('status').innerText()).resolves.toBe('已解锁账号「教师71001」，可立即重新登录。');
      await expect(row(page, '教师71001').innerText()).resolves.toContain('正常');
      expect(await guards()).toEqual([]);

      await row(page, '培训师甲').getByRole('button', { name: '停用 培训师甲' }).click();
      await expect(page.getByRole('status').innerText()).resolves.toContain('已停用账号「培训师甲」');
      await expect(row(page, '培训师甲').innerText()).resolves.toContain('已停用');
      expect(
        (await web.t.http.post('/api/v1/auth/login').send({ username: 'acc_trainer', password: 'Changed1234' })).status,
      ).toBe(401);
      await row(page, '培训师甲').getByRole('button', { name: '启用 培训师甲' }).click();
      await expect(page.getByRole('status').innerText()).resolves.toBe('已启用账号「培训师甲」。');
      await expect(row(page, '培训师甲').innerText()).resolves.toContain('正常');

      await row(page, '培训师甲').getByRole('link', { name: '修改角色 培训师甲' }).click();
      await page.getByLabel(label('角色')).selectOption({ label: '县区管理员' });
      await page.getByRole('button', { name: '保存' }).click();
      // A county admin needs a county: the service says so under the field.
      await expect(page.locator('#e-organisationId').innerText()).resolves.toBe('县区管理员须属于一个县区');
      await page.getByLabel(label('所属单位')).selectOption({ label: '罗庄区' });
      await page.getByRole('button', { name: '保存' }).click();
      await expect(page.getByRole('status').innerText()).resolves.toContain('已修改账号「培训师甲」：县区管理员');
      await expect(row(page, '培训师甲').innerText()).resolves.toMatch(/县区管理员[\s\S]*罗庄区/);
      await context.close();
    });

    it('a county opens ticked teachers’ accounts with printable slips, and resets a password from the teacher page', async () => {
      const { context, page } = await newUser(browser, web.url);
      await logIn(page, 'acc_lanshan', 'County1234');
      await page.goto('/app/teachers');
      await expect(row(page, '教师71001').innerText()).resolves.toContain('正常');
      await expect(row(page, '教师71003').innerText()).resolves.toContain('未开通');
      const batch = page.getByRole('button', { name: '批量开通账号' });
      await expect(batch.isDisabled()).resolves.toBe(true);
      await page.getByLabel('选择 教师71003').check();
      await expect(batch.isDisabled()).resolves.toBe(false);
      // The slips open in a new tab: the answer to the form is the PDF.
      const got = await capture(context, '/app/teachers/accounts');
      await Promise.all([context.waitForEvent('page'), batch.click()]);
      await settled(got);
      expect(got).toHaveLength(1);
      expect([got[0].status, got[0].type]).toEqual([200, 'application/pdf']);
      const text = pdfText(got[0].body, dir, 'teacher-list');
      expect(text).toContain('账号开通通知单');
      expect(text).toContain('教师71003');
      expect(text).toContain(makePhone(71003));
      expect(text).toContain(`${web.t.config.publicBaseUrl}/login`);
      const password = /一次性密码：([A-Za-z0-9]{10})/.exec(text)?.[1];
      expect(password).toBeDefined();
      for (const p of context.pages()) if (p !== page) await p.close();
      await page.reload();
      await expect(row(page, '教师71003').innerText()).resolves.toContain('正常');
      expect((await web.t.http.post('/api/v1/auth/login').send({ username: makePhone(71003), password })).status).toBe(
        200,
      );

      // The teacher page: 已开通账号 (masked, state) with 重置密码 instead of the open-account form.
      await row(page, '教师71003').getByRole('link', { name: '查看 教师71003' }).click();
      const section = page.locator('section', { has: page.getByRole('heading', { name: '已开通账号' }) });
      await expect(section.innerText()).resolves.toMatch(
        new RegExp(`${masked(71003).replace(/\*/g, '\\*')}[\\s\\S]*正常`),
      );
      await expect(page.getByRole('button', { name: '开通账号' }).count()).resolves.toBe(0);
      await screenshot(page, 'county-teacher-account');
      await section.getByRole('button', { name: '重置密码' }).click();
      await expect(page.locator('h1').innerText()).resolves.toBe('密码已重置');
      const fresh = (await page.locator('#temporary-password').innerText()).trim();
      expect(fresh).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(fresh).not.toBe(password);
      await screenshot(page, 'county-reset-password');
      await page.getByRole('link', { name: '返回' }).click();
      expect(new URL(page.url()).pathname).toBe(`/app/teachers/${teachers.a3}`);

      const teacher = await newUser(browser, web.url, 'phone');
      await logIn(teacher.page, makePhone(71003), fresh);
      expect(new URL(teacher.page.url()).pathname).toBe('/password');
      await teacher.context.close();

      // A teacher without an account still gets the open-account form and the one-click slip.
      await page.goto(`/app/teachers/${teachers.a4}`);
      await expect(page.getByRole('heading', { name: '开通登录账号' }).count()).resolves.toBe(1);
      await expect(page.getByRole('button', { name: '生成一次性密码并打印通知单' }).count()).resolves.toBe(1);
      await context.close();
    });

    it('the city opens a program’s approved trainees’ accounts from the program page', async () => {
      const { context, page } = await newUser(browser, web.url);
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.goto(`/app/programs/${program}`);
      const got = await capture(context, `/app/programs/${program}/accounts`);
      await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: '为学员开通账号' }).click()]);
      await settled(got);
      expect(got).toHaveLength(1);
      expect([got[0].status, got[0].type]).toEqual([200, 'application/pdf']);
      const text = pdfText(got[0].body, dir, 'program-city');
      // a2 was opened by its county before (no password again); b2 is new.
      expect(text).toContain('教师71002');
      expect(text).toContain('教师72002');
      expect(text).toContain('已有账号，密码未改变');
      expect(text).not.toContain('教师71003');
      await context.close();
    });
  });
});
