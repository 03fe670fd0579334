/**
 * Security checks as tests (issue 9 §4), against the real app on a world whose names are hostile
 * (HTML in a school name and a program title, spreadsheet formulas in teacher names and subjects):
 *   - JWT tampering (alg none, expired, wrong key, another user's id under the old signature, HS512) → 401;
 *   - mass assignment: `role`, `organisationId`, `status`, `countyId`, `id` in the body of every
 *     create/update route of /api/docs-json are refused (400 naming the field) and never applied;
 *     fields a route does take are checked against the caller's scope;
 *   - login brute force: locked per account and address (423), throttled per client address (429), also
 *     when the client rotates its own X-Forwarded-For entry in front of the trusted proxy's;
 *   - every .xlsx any GET route answers has no formula and no text cell starting with = + - @;
 *   - every page reachable from /app shows the HTML names as text; every PDF any GET route answers
 *     holds them literally (not HTML-escaped).
 * The authorisation matrix (test/authz) covers "another county's / teacher's ids → no leak".
 * Personal data in logs: logs.e2e-spec.ts.
 */
import { createHmac } from 'node:crypto';
import * as ExcelJS from 'exceljs';
import fc from 'fast-check';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { changedTables, fingerprint } from './support/fingerprint';
import { operationsOf, Operation, plausible, toJson } from './support/openapi-fuzz';
import { pdfText } from './support/pdf-text';
import { buildWorld, World, WorldNames } from './support/world';
import { report } from './support/report';
import { relayed } from '../support/relay';

const SCRIPT = '<script>alert(1)</script>';
const HOSTILE: WorldNames = {
  schoolA: `${SCRIPT}沂蒙实验小学`,
  schoolB: '=2+3罗庄册山中学',
  teachersA: [
    '=HYPERLINK("http://evil.example","点我")',
    '@SUM(1+1)王桂英',
    '+1+1张志强',
    '-2+3刘建华',
    '陈海燕',
    '杨文静',
  ],
  subject: '=1+2',
  programTitle: '<img src=x onerror=alert(1)>骨干教师&培训',
  cohortName: '"><svg onload=alert(1)>第一期',
};
const CJK = /[\u4e00-\u9fff]/;
const FORMULA_START = /^[=+\-@]/;

jest.setTimeout(300_000);

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
function jwt(payload: Record<string, unknown>, secret: string, alg = 'HS256'): string {
  const head = `${b64url({ alg, typ: 'JWT' })}.${b64url(payload)}`;
  if (alg === 'none') return `${head}.`;
  const h = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg]!;
  return `${head}.${createHmac(h, secret).update(head).digest('base64url')}`;
}
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('security checks', () => {
  let t: TestApp;
  let w: World;
  let ops: Operation[];

  const inject = (
    method: string,
    url: string,
    opts: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? w.admin : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const payload = opts.raw ?? (opts.body !== undefined ? toJson(opts.body) : undefined);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return t.app.inject({ method: method as 'GET', url, headers, payload });
  };

  beforeAll(async () => {
    // The test client plays the reverse proxy (TRUSTED_PROXIES) so that X-Forwarded-For stands for clients.
    t = await startTestApp({ TRUSTED_PROXIES: 'loopback' });
    w = await buildWorld(t.http, t.db, 960_000, HOSTILE);
    if (w.problems.length) throw new Error(`fixtures:\n${w.problems.join('\n')}`);
    ops = operationsOf((await t.http.get('/api/docs-json').expect(200)).body);
  }, 300_000);

  afterAll(async () => t?.close());

  describe('JWT tampering → 401', () => {
    it('refuses alg none, an expired token, a wrong key, HS512, and another user id under the old signature', async () => {
      const county = payloadOf(w.county);
      const admin = payloadOf(w.admin);
      const now = Math.floor(Date.now() / 1000);
      const [countyHead, , countySig] = w.county.split('.');
      const forged = {
        'alg none': jwt({ ...admin, exp: now + 3600 }, '', 'none'),
        'alg none, no dot': jwt({ ...admin, exp: now + 3600 }, '', 'none').slice(0, -1),
        expired: jwt({ ...admin, iat: now - 7200, exp: now - 3600 }, TEST_JWT_SECRET),
        'wrong key': jwt({ ...admin, exp: now + 3600 }, 'another-secret-0123456789-abcdefghijkl'),
        HS512: jwt({ ...admin, exp: now + 3600 }, TEST_JWT_SECRET, 'HS512'),
        'county admin made city admin, old signature': `${countyHead}.${b64url({ ...county, sub: admin.sub, role: 'CITY_ADMIN', county: null })}.${countySig}`,
        'empty signature': `${countyHead}.${b64url(county)}.`,
        garbage: 'not-a-token',
      };
      for (const [what, token] of Object.entries(forged)) {
        for (const url of ['/api/v1/auth/me', '/api/v1/teachers', `/api/v1/teachers/${w.teachersA[0]}?full=true`]) {
          const res = await inject('GET', url, { token });
          expect([what, url, res.statusCode]).toEqual([what, url, 401]);
          expect(res.json().message).toMatch(CJK);
          expect(res.body).not.toContain(HOSTILE.teachersA[0]);
        }
      }
      expect(
        (
          await inject('GET', '/api/v1/auth/me', {
            token: jwt({ ...admin, iat: now - 7200, exp: now - 3600 }, TEST_JWT_SECRET),
          })
        ).json().code,
      ).toBe('TOKEN_EXPIRED');
      // A token known from an earlier request (the guard keeps verified tokens) still ends at its exp.
      const shortLived = jwt(
        { ...admin, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 2 },
        TEST_JWT_SECRET,
      );
      expect((await inject('GET', '/api/v1/auth/me', { token: shortLived })).statusCode).toBe(200);
      expect((await inject('GET', '/api/v1/auth/me', { token: shortLived })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, Math.max(0, (Math.floor(Date.now() / 1000) + 3) * 1000 - Date.now())));
      expect((await inject('GET', '/api/v1/auth/me', { token: shortLived })).json().code).toBe('TOKEN_EXPIRED');
      // The genuine tokens still work: the refusals above are about the tampering.
      expect((await inject('GET', '/api/v1/auth/me')).statusCode).toBe(200);
      expect((await inject('GET', '/api/v1/auth/me', { token: w.county })).json().role).toBe('COUNTY_ADMIN');
    });
  });

  describe('mass assignment', () => {
    const FIELDS = ['role', 'organisationId', 'status', 'countyId', 'id'];
    const idFor = (segment: string): number => {
      const byKind: Record<string, number | undefined> = {
        organisations: w.schoolA,
        teachers: w.teachersA[3],
        programs: w.programId,
        cohorts: w.cohortId,
        sessions: w.sessionId,
        enrolments: w.enrolmentIds[2],
        certificates: w.certificateIds[0],
        schemes: w.schemeId,
        placements: w.placementId,
        users: undefined,
      };
      return byKind[segment] ?? 1;
    };
    const urlOf = (op: Operation) =>
      op.path.replace(/\{(\w+)\}/g, (_, name, at) =>
        String(
          name === 'enrolmentId'
            ? w.enrolmentIds[0]
            : name === 'kind'
              ? 'WESTERN_BELT'
              : idFor(op.path.slice(0, at).split('/').filter(Boolean).pop()!),
        ),
      );

    it('refuses role/organisationId/status/countyId/id in every create and update body that does not declare them, writing nothing', async () => {
      const writes = ops.filter(
        // Login and the password reset count every call against the address's throttle (rate_counter) first.
        (o) =>
          ['POST', 'PUT', 'PATCH'].includes(o.method) &&
          o.body &&
          !o.path.includes('/auth/login') &&
          !o.path.includes('/auth/password-reset'),
      );
      expect(writes.length).toBeGreaterThan(20);
      const refused: string[] = [];
      const problems: string[] = [];
      for (const op of writes) {
        const itemSchema = op.body!.type === 'array' ? op.body!.items : op.body!;
        const declared = new Set(Object.keys(itemSchema?.properties ?? {}));
        const [base] = fc.sample(
          plausible(op.body!, 'body', () => []),
          { numRuns: 1, seed: 7 },
        );
        for (const field of FIELDS.filter((f) => !declared.has(f))) {
          const value =
            field === 'role' ? 'CITY_ADMIN' : field === 'status' ? 'COMPLETED' : field === 'id' ? 1 : w.countyB;
          const body = Array.isArray(base)
            ? [{ ...(base[0] as object), [field]: value }]
            : { ...(base as object), [field]: value };
          await relayed(t.app); // events of earlier calls handed on first: the relay writes too
          const before = await fingerprint(t.db);
          let res = await inject(op.method, urlOf(op), { body });
          if (res.statusCode === 403) res = await inject(op.method, urlOf(op), { body, token: w.county });
          const changed = changedTables(before, await fingerprint(t.db));
          const named = (res.json().errors ?? []).some(
            (e: { field: string; message: string }) =>
              e.field.split('.').pop() === field && e.message === '不允许的字段',
          );
          if (changed.length)
            problems.push(`${op.method} ${op.path} +${field} → ${res.statusCode}, wrote ${changed.join(', ')}`);
          else if (res.statusCode === 400 && named) refused.push(`${op.method} ${op.path} +${field}`);
          else if (res.statusCode === 403 || res.statusCode === 404)
            refused.push(`${op.method} ${op.path} +${field} (refused before validation: ${res.statusCode})`);
          else problems.push(`${op.method} ${op.path} +${field} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
      report(`mass assignment: ${refused.length} bodies with a forbidden field refused over ${writes.length} routes`);
      expect(problems).toEqual([]);
    });

    it('ignores a body on routes that take none: transitions set only their own status', async () => {
      const before = await inject('GET', `/api/v1/programs/${w.programId}`);
      await inject('POST', `/api/v1/programs/${w.programId}/close`, {
        body: { status: 'FINISHED', seats: 99_999, approvedCount: 0 },
      });
      const after = (await inject('GET', `/api/v1/programs/${w.programId}`)).json();
      expect(after.status).not.toBe('FINISHED');
      expect(after.seats).toBe(before.json().seats);
      const res = await inject('POST', `/api/v1/enrolments/${w.enrolmentIds[2]}/approve`, {
        body: { status: 'COMPLETED', cohortId: w.cohortId, creditHours: 999 },
      });
      expect([200, 201, 409]).toContain(res.statusCode);
      const e = (await inject('GET', `/api/v1/enrolments/${w.enrolmentIds[2]}`)).json();
      expect(e.status).not.toBe('COMPLETED');
      expect(e.cohortId ?? null).toBeNull();
    });

    it('keeps the fields a route does take within the caller’s reach', async () => {
      await relayed(t.app); // events of earlier calls handed on first: the relay writes too
      const before = await fingerprint(t.db);
      const county = (method: string, url: string, body: unknown) => inject(method, url, { token: w.county, body });
      const attempts = await Promise.all([
        county('POST', '/api/v1/users', { username: 'sneaky_city', password: 'Sneaky1234', role: 'CITY_ADMIN' }),
        county('POST', '/api/v1/users', {
          username: 'sneaky_county',
          password: 'Sneaky1234',
          role: 'COUNTY_ADMIN',
          organisationId: w.countyB,
        }),
        county('POST', '/api/v1/users', {
          username: '13700009999',
          password: 'Sneaky1234',
          role: 'TEACHER',
          teacherId: w.teachersB[0],
        }),
        county('POST', '/api/v1/organisations', {
          type: 'SCHOOL',
          name: '越权学校',
          parentId: w.countyB,
          povertyVillage: true,
          receivingSchool: false,
        }),
        county('POST', '/api/v1/organisations', { type: 'COUNTY', name: '越权县区', parentId: w.countyA }),
        county('POST', '/api/v1/teachers', {
          name: '越权',
          idNumber: '371302197001019994',
          phone: '13700009994',
          schoolId: w.schoolB,
        }),
        county('PATCH', `/api/v1/teachers/${w.teachersA[4]}`, { schoolId: w.schoolB }),
        county('PATCH', `/api/v1/teachers/${w.teachersB[0]}`, { name: '改名' }),
        inject('POST', '/api/v1/auth/password', {
          body: { currentPassword: 'x', newPassword: 'Another1234', role: 'CITY_ADMIN' },
        }),
      ]);
      expect(attempts.map((r) => r.statusCode).filter((s) => s < 400)).toEqual([]);
      for (const r of attempts) expect(r.json().message).toMatch(CJK);
      expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
    });
  });

  describe('login brute force', () => {
    it('locks an account from an address after 5 failures (423), even for the right password, not from elsewhere', async () => {
      await t.http
        .post('/api/v1/users')
        .auth(w.admin, { type: 'bearer' })
        .send({ username: 'brute_target', password: 'Right12345', role: 'TRAINER' })
        .expect(201);
      const login = (password: string, ip: string) =>
        t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username: 'brute_target', password });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await login(`Wrong${i}2345`, '198.51.100.1')).status);
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(statuses.slice(4)).toEqual([423, 423]);
      const right = await login('Right12345', '198.51.100.1');
      expect([right.status, right.body.code]).toEqual([423, 'ACCOUNT_LOCKED']);
      expect(right.body.message).toMatch(CJK);
      expect(right.body.accessToken).toBeUndefined();
      // The guesser locked out only their own address: the owner elsewhere logs in.
      expect((await login('Right12345', '198.51.100.77')).status).toBe(200);
    });

    it('throttles one client address (429), also when it rotates the X-Forwarded-For entry it writes itself', async () => {
      const attempt = (i: number, xff: string) =>
        t.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', xff)
          .send({ username: `nobody_${i}`, password: 'Wrong12345' });
      // Through the proxy: the client's own (forged, rotating) entry, then the address the proxy appends.
      for (let i = 0; i < 3; i++) expect((await attempt(i, `192.0.2.${i}, 203.0.113.11`)).status).toBe(401);
      const buckets = (await t.db.query(`SELECT bucket, hits FROM rate_counter WHERE bucket LIKE 'login|%'`)) as {
        bucket: string;
        hits: number;
      }[];
      expect(buckets.find((b) => b.bucket === 'login|203.0.113.11')?.hits).toBe(3);
      expect(buckets.filter((b) => b.bucket.startsWith('login|192.0.2.'))).toEqual([]);
      // The address's window is full (600 in ten minutes): refused, whatever it writes in front.
      await t.db.query(`UPDATE rate_counter SET hits = 600 WHERE bucket = 'login|203.0.113.11'`);
      const limited = await attempt(99, '192.0.2.200, 203.0.113.11');
      expect([limited.status, limited.body.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
      expect(limited.body.message).toMatch(CJK);
      expect((await attempt(100, '203.0.113.12')).status).toBe(401);
    });
  });

  /** Every GET route of the document with its path filled from the world (routes needing other ids are skipped). */
  function getRoutes(): { op: Operation; url: string }[] {
    const ids: Record<string, number | undefined> = {
      organisations: w.schoolA,
      teachers: w.teachersA[0],
      programs: w.programId,
      cohorts: w.cohortId,
      sessions: w.sessionId,
      enrolments: w.enrolmentIds[0],
      certificates: w.certificateIds[0],
      schemes: w.schemeId,
      placements: w.placementId,
    };
    const out: { op: Operation; url: string }[] = [];
    for (const op of ops.filter((o) => o.method === 'GET')) {
      let ok = true;
      let url = op.path.replace(/\{(\w+)\}/g, (_, name, at) => {
        const seg = op.path.slice(0, at).split('/').filter(Boolean).pop()!;
        const id = name === 'enrolmentId' ? w.enrolmentIds[0] : ids[seg];
        if (id === undefined) ok = false;
        return String(id);
      });
      if (!ok || op.path.includes('/verify/')) continue;
      if (op.params.some((p) => p.in === 'query' && p.name === 'countyId')) url += `?countyId=${w.countyA}`;
      out.push({ op, url });
    }
    return out;
  }

  describe('exports escape formulas', () => {
    it('writes no formula and no text cell starting with = + - @ in any .xlsx a GET route answers', async () => {
      const checked: string[] = [];
      const problems: string[] = [];
      for (const { url } of getRoutes()) {
        for (const token of [w.admin, w.county]) {
          const res = await inject('GET', url, { token });
          if (res.statusCode !== 200 || !/spreadsheetml/.test(String(res.headers['content-type']))) continue;
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
          let cells = 0;
          wb.eachSheet((ws) =>
            ws.eachRow((row) =>
              row.eachCell((cell) => {
                cells++;
                const v = cell.value as any;
                const text =
                  typeof v === 'string'
                    ? v
                    : Array.isArray(v?.richText)
                      ? v.richText.map((r: { text: string }) => r.text).join('')
                      : null;
                if (
                  cell.type === ExcelJS.ValueType.Formula ||
                  (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))
                )
                  problems.push(`${url}: formula in ${ws.name}!${cell.address}`);
                else if (text !== null && FORMULA_START.test(text))
                  problems.push(`${url}: ${ws.name}!${cell.address} starts with "${text.slice(0, 30)}"`);
              }),
            ),
          );
          checked.push(`${url} (${cells} cells)`);
        }
      }
      report(`xlsx checked:\n  ${checked.join('\n  ')}`);
      expect(checked.some((c) => c.includes('/teachers/export'))).toBe(true);
      expect(problems).toEqual([]);
    });

    it('does put the formula-like names in the exports, as text with a leading apostrophe', async () => {
      const res = await inject('GET', `/api/v1/teachers/export?countyId=${w.countyA}`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const texts: string[] = [];
      wb.worksheets[0].eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
      expect(texts).toContain(`'${HOSTILE.teachersA[0]}`);
      expect(texts).toContain(`'${HOSTILE.subject}`);
    });
  });

  describe('HTML in names', () => {
    it('is shown as text on every page reachable from /app', async () => {
      const cookie = `shipei_token=${w.admin}`;
      const seen = new Set<string>();
      const queue = [
        '/app',
        `/app/teachers/${w.teachersA[0]}`,
        `/verify/${(await inject('GET', `/api/v1/certificates/${w.certificateIds[0]}`)).json().verificationCode}`,
      ];
      const problems: string[] = [];
      let escapedSeen = 0;
      while (queue.length && seen.size < 150) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
        if (res.statusCode >= 500) problems.push(`${url} → ${res.statusCode}`);
        if (!/text\/html/.test(String(res.headers['content-type']))) continue;
        const html = res.body;
        for (const raw of [SCRIPT, '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>'])
          if (html.includes(raw)) problems.push(`${url} contains ${raw}`);
        if (
          html.includes('&lt;script&gt;alert(1)&lt;/script&gt;') ||
          html.includes('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;') ||
          html.includes('&lt;img src=x onerror=alert(1)&gt;')
        )
          escapedSeen++;
        for (const [, href] of html.matchAll(/href="(\/(?:app|verify)[^"#]*)"/g)) {
          const next = href.replace(/&amp;/g, '&');
          if (!/\.(xlsx|pdf|zip|csv)(\?|$)|\/export|logout/.test(next) && !seen.has(next)) queue.push(next);
        }
      }
      report(`pages crawled: ${seen.size}, showing an escaped hostile name: ${escapedSeen}`);
      expect(problems).toEqual([]);
      expect(escapedSeen).toBeGreaterThan(0);
    });

    it('appears literally (not HTML-escaped) in every PDF a GET route answers', async () => {
      const checked: string[] = [];
      const problems: string[] = [];
      const compact = (s: string) => s.replace(/\s+/g, '');
      for (const { url } of getRoutes()) {
        const res = await inject('GET', url);
        if (res.statusCode !== 200 || !/application\/pdf/.test(String(res.headers['content-type']))) continue;
        const text = compact(pdfText(res.rawPayload));
        if (/&lt;|&gt;|&amp;|&#x/.test(text)) problems.push(`${url}: HTML entities in the PDF text`);
        const mentions = [HOSTILE.schoolA, HOSTILE.programTitle, HOSTILE.teachersA[0], HOSTILE.cohortName].filter((n) =>
          text.includes(compact(n)),
        );
        checked.push(`${url} (${text.length} characters; literal: ${mentions.length})`);
        if (/certificates/.test(url) && !text.includes(compact(HOSTILE.programTitle)))
          problems.push(`${url}: program title not found literally`);
      }
      report(`PDFs checked:\n  ${checked.join('\n  ')}`);
      expect(checked.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });
  });
});
