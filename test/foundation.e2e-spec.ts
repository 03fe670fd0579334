import { spawnSync } from 'node:child_process';
import { startTestApp, TestApp } from './support/test-app';

describe('foundation: boot, health, docs and bad input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('migrates an empty database and answers /api/health', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and UI, with the contract routes in it', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/v1/auth/login',
        '/api/v1/auth/password',
        '/api/v1/organisations',
        '/api/v1/teachers',
        '/api/v1/users',
      ]),
    );
    await t.http.get('/api/docs').expect(200);
  });

  it('answers unknown routes with the error body in Chinese', async () => {
    const res = await t.http.get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: '请求的资源不存在' });
  });

  it("sends helmet's security headers on pages and static files, and the API set on every JSON answer", async () => {
    const pages = [await t.http.get('/login'), await t.http.get('/assets/app.css')];
    for (const res of pages) {
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data:");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests'); // plain-http PUBLIC_BASE_URL
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
    const json = [
      await t.http.get('/api/health'),
      await t.http.get('/api/v1/teachers'),
      await t.http.get('/api/v1/nothing-here'),
      await t.http.get('/api/v1/teachers/%E0%A4%A'),
    ];
    expect(json.map((r) => r.status)).toEqual([200, 401, 404, 400]);
    for (const res of json) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toMatch(/\bno-store\b/); // answers carry personal data
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['referrer-policy']).toBeUndefined();
    }
    for (const res of [...pages, ...json]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("answers with the caller's own X-Request-Id when it looks like one, on errors too", async () => {
    for (const path of ['/api/health', '/api/v1/nothing-here', '/api/v1/teachers']) {
      const res = await t.http.get(path).set('x-request-id', 'trace-0123456789');
      expect(res.headers['x-request-id']).toBe('trace-0123456789');
    }
    const bad = await t.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .set('x-request-id', 'trace-badjson-01')
      .send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.headers['x-request-id']).toBe('trace-badjson-01');
    const badPath = await t.http.get('/api/v1/teachers/%E0%A4%A').set('x-request-id', 'trace-badpath-01');
    expect(badPath.status).toBe(400);
    expect(badPath.headers['x-request-id']).toBe('trace-badpath-01');
    const made = await t.http.get('/api/health').set('x-request-id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('knows a verified token again, and refuses a tampered copy of it', async () => {
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: 'Admin12345' })
      .expect(200);
    const token: string = login.body.accessToken;
    for (let i = 0; i < 3; i++)
      await t.http.get('/api/v1/organisations?type=COUNTY').set('authorization', `Bearer ${token}`).expect(200);
    const [h, p, sig] = token.split('.');
    const tampered = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await t.http
      .get('/api/v1/organisations?type=COUNTY')
      .set('authorization', `Bearer ${tampered}`)
      .expect(401);
    expect(res.body.code).toBe('INVALID_TOKEN');
  });

  describe('bad input on a real route never gives a 500', () => {
    const login = () => t.http.post('/api/v1/auth/login');

    it('malformed JSON → 400 INVALID_JSON', async () => {
      const res = await login().set('content-type', 'application/json').send('{"username": "admin", ').expect(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'INVALID_JSON', message: '请求体不是有效的 JSON' });
    });

    it('a 5 MB body → 413', async () => {
      const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(5 * 1024 * 1024) });
      const res = await login().set('content-type', 'application/json').send(big).expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a wrong content type → 415', async () => {
      const res = await login().set('content-type', 'application/xml').send('<login/>').expect(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('wrong types and missing fields → 400 listing the fields in Chinese', async () => {
      const res = await login().send({ username: 42 }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
        'password',
        'username',
      ]);
      expect(res.body.errors.every((e: { message: string }) => /[\u4e00-\u9fff]/.test(e.message))).toBe(true);
    });

    it('unknown fields → 400 naming them', async () => {
      const res = await login().send({ username: 'admin', password: 'Admin12345', role: 'CITY_ADMIN' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'role', message: '不允许的字段' }]);
    });

    it('a non-numeric or huge id → 400, not a database error', async () => {
      const token = (await login().send({ username: 'admin', password: 'Admin12345' })).body.accessToken;
      for (const id of ['abc', '-1', '99999999999999999999', '1.5']) {
        const res = await t.http.get(`/api/v1/teachers/${id}`).auth(token, { type: 'bearer' }).expect(400);
        expect(res.body.code).toBe('INVALID_ID');
      }
    });
  });
});

describe('configuration is checked at boot', () => {
  it('refuses to start in production without JWT_SECRET, saying so', () => {
    const res = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'sqlite::memory:' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('JWT_SECRET is required when NODE_ENV=production');
  });
});
