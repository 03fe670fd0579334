import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher } from '../support/fixtures';
import { ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';

/** The page routes over plain HTTP: redirects, cookies, escaping, cross-site forms, never JSON. */
jest.setTimeout(60_000);

describe('web pages over HTTP', () => {
  let t: TestApp;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let county: string;
  let otherCountyTeacher: number;

  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  const sessionCookie = async (username: string, password: string) => {
    const res = await t.http.post('/login').type('form').send({ username, password }).expect(303);
    const cookie = cookieOf(res).find((c) => c.startsWith('shipei_token='));
    if (!cookie) throw new Error('no session cookie');
    return cookie.split(';')[0];
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    county = await countyAdmin(t.http, admin, lanshan, 'lanshan');
    const other = await countyAdmin(t.http, admin, luozhuang, 'luozhuang');
    otherCountyTeacher = await createTeacher(
      t.http,
      other,
      await createSchool(t.http, other, luozhuang, '罗庄区实验小学'),
      7001,
    );
  });
  afterAll(async () => t?.close());

  it('names its icon on every page and answers /favicon.ico with it (no 404 per page)', async () => {
    const login = await t.http.get('/login').expect(200);
    const href = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(login.text)?.[1];
    expect(href).toMatch(/^\/assets\/favicon\.svg\?v=[0-9a-f]{10}$/);
    const icon = await t.http.get(href!).expect(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    const ico = await t.http.get('/favicon.ico').expect(301);
    expect(ico.headers.location).toBe('/assets/favicon.svg');
  });

  it('sends signed-out visitors to the login page (HTML, never a JSON 401), keeping where they were going', async () => {
    const res = await t.http.get('/app/teachers?q=张').expect(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent('/app/teachers?q=%E5%BC%A0')}`);
    await t.http.get('/').expect(302).expect('location', '/app');
    await t.http.get('/app').expect(303).expect('location', '/login');
    const post = await t.http.post('/app/schools/new').type('form').send({ name: 'x' }).expect(303);
    expect(post.headers.location).toBe('/login');
    const login = await t.http
      .get('/login')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(login.text).toContain('<html lang="zh-CN">');
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it('sets the token in an HttpOnly, SameSite=Lax cookie the API accepts too, and clears it on logout', async () => {
    const res = await t.http
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(303)
      .expect('location', '/app');
    const cookie = cookieOf(res).find((c) => c.startsWith('shipei_token='))!;
    expect(cookie).toMatch(/; Max-Age=28800/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const session = cookie.split(';')[0];
    await t.http.get('/api/v1/auth/me').set('cookie', session).expect(200);
    const out = await t.http.post('/logout').set('cookie', session).expect(303).expect('location', '/login');
    expect(cookieOf(out).find((c) => c.startsWith('shipei_token='))).toMatch(
      /shipei_token=;.*Expires=Thu, 01 Jan 1970/,
    );
  });

  it('never redirects to another site after login', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/login?next=/x']) {
      const res = await t.http
        .post('/login')
        .type('form')
        .send({ username: 'admin', password: ADMIN_PASSWORD, next })
        .expect(303);
      expect(res.headers.location).toBe('/app');
    }
    const res = await t.http
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: ADMIN_PASSWORD, next: '/app/audit?entity=teacher' })
      .expect(303);
    expect(res.headers.location).toBe('/app/audit?entity=teacher');
  });

  it('refuses a form posted from another site, writing nothing', async () => {
    const session = await sessionCookie('lanshan', 'County1234');
    const before = await t.db.query(`SELECT COUNT(*) AS n FROM organisation WHERE type = 'SCHOOL'`);
    const res = await t.http
      .post('/app/schools/new')
      .set('cookie', session)
      .set('origin', 'http://evil.example')
      .type('form')
      .send({ name: '跨站学校' })
      .expect(403);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('请求来源无效');
    await t.http
      .post('/login')
      .set('origin', 'null')
      .type('form')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(403);
    const after = await t.db.query(`SELECT COUNT(*) AS n FROM organisation WHERE type = 'SCHOOL'`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    // The same form from the site itself works.
    await t.http
      .post('/app/schools/new')
      .set('cookie', session)
      .set('origin', 'http://127.0.0.1')
      .set('host', '127.0.0.1')
      .type('form')
      .send({ name: '兰山区同站小学' })
      .expect(303);
  });

  it('escapes what users typed', async () => {
    await createSchool(t.http, county, lanshan, '<script>alert(1)</script>小学');
    const session = await sessionCookie('lanshan', 'County1234');
    const page = await t.http.get('/app/schools').set('cookie', session).expect(200);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;小学');
    expect(page.text).not.toContain('<script>alert(1)');
    const login = await t.http.get('/login?next=/app"><script>x</script>').expect(200);
    expect(login.text).not.toContain('<script>x</script>');
  });

  it('answers what a county may not see with a 404 page, and unknown pages with a 404 page', async () => {
    const session = await sessionCookie('lanshan', 'County1234');
    const res = await t.http.get(`/app/teachers/${otherCountyTeacher}`).set('cookie', session).expect(404);
    expect(res.text).toContain('教师不存在或无权访问');
    const bad = await t.http.get('/app/teachers/abc').set('cookie', session).expect(400);
    expect(bad.text).toContain('编号无效');
    const missing = await t.http.get('/app/nothing/here').set('cookie', session).expect(404);
    expect(missing.text).toContain('页面不存在或无权访问');
    // Office-only pages: 403 page for a county.
    const audit = await t.http.get('/app/audit').set('cookie', session).expect(403);
    expect(audit.text).toContain('无权执行此操作');
    // The API keeps answering JSON.
    const api = await t.http.get('/api/v1/nothing').expect(404);
    expect(api.body.code).toBe('NOT_FOUND');
  });

  it('ignores a forged flash message cookie and a tampered session cookie', async () => {
    await t.http.get('/login').set('cookie', 'shipei_flash=%%%not-base64').expect(200);
    const res = await t.http.get('/app').set('cookie', 'shipei_token=abc.def.ghi').expect(303);
    expect(res.headers.location).toBe('/login');
    expect(cookieOf(res).join(';')).toMatch(/shipei_token=;/);
  });

  it('limits login attempts from one address, with a page in Chinese; X-Forwarded-For is not trusted by default', async () => {
    const attempt = (i: number) =>
      t.http
        .post('/login')
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .type('form')
        .send({ username: `nobody${i}`, password: 'whatever1' });
    expect((await attempt(1)).status).toBe(400);
    // Counted for the peer, not for the address the client wrote (no TRUSTED_PROXIES here).
    const buckets = (await t.db.query(`SELECT bucket FROM rate_counter WHERE bucket LIKE 'login|%'`)) as {
      bucket: string;
    }[];
    expect(buckets.map((b) => b.bucket)).not.toContain('login|198.51.100.1');
    await t.db.query(`UPDATE rate_counter SET hits = 600 WHERE bucket LIKE 'login|%'`);
    const res = await attempt(2);
    expect(res.status).toBe(429);
    expect(res.text).toContain('请求过于频繁');
  });
});
