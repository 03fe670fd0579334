/**
 * Fuzz every route of the app's own OpenAPI document (issue 9 §1): for each operation in
 * /api/docs-json, fast-check generates hostile requests (see support/openapi-fuzz.ts) and sends them
 * as the city admin or a county admin, JSON bodies. Every answer must be < 500; every refusal (≥ 400)
 * must carry the spec §10 body `{statusCode, code, message}` with a Chinese message, and must have
 * written nothing (the content of every table is compared before and after each refused request).
 * Multipart upload routes get a JSON body instead of a file: 4xx.
 *
 *   FUZZ_RUNS=100 npx jest test/reliability/fuzz          # runs per operation (default 20)
 *   FUZZ_SEED=random …                                    # explore (default: a fixed seed, so CI is repeatable)
 *   FUZZ_SEED=123 …                                       # replay a run (the seed is printed)
 *   FUZZ_SHRINK=1 …                                       # shrink a failure to a smaller request (slower)
 *   TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/x …     # on MariaDB/MySQL
 *   FUZZ_ONLY=survey …                                    # only the operations whose path matches (a regular expression)
 */
import fc from 'fast-check';
import { relayed } from '../support/relay';
import { startTestApp, TestApp } from '../support/test-app';
import { changedTables, fingerprint } from './support/fingerprint';
import { FuzzRequest, Operation, operationsOf, requestsFor } from './support/openapi-fuzz';
import { makeIdNumber } from '../support/fixtures';
import { buildWorld, World } from './support/world';
import { report } from './support/report';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20_190_709);
const CJK = /[\u4e00-\u9fff]/;

/**
 * Refusals that legitimately write: a failed login counts against the account (and may lock it, audited);
 * certificate verification counts against the caller's shared throttle; the first pass asked for creates
 * the shared signing key, whatever the answer; the password reset by SMS counts against the address's
 * throttle before it answers (404 here: this app has no SMS).
 */
const WRITES_WHEN_REFUSED: Record<string, string[]> = {
  'POST /api/v1/auth/login': ['rate_counter', 'login_guard', 'user_account', 'audit_entry'],
  'GET /api/v1/certificates/verify/{code}': ['rate_counter'],
  'GET /api/v1/enrolments/{id}/pass': ['checkin_pass_key'],
  'POST /api/v1/auth/password-reset/code': ['rate_counter'],
  'POST /api/v1/auth/password-reset': ['rate_counter'],
};

jest.setTimeout(600_000);

describe('fuzzing every route of /api/docs-json', () => {
  let t: TestApp;
  let world: World;
  let ops: Operation[];
  let sent = 0;
  let checking = 0;
  const byStatus = new Map<number, number>();

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t.http, t.db, 950_000);
    if (world.problems.length)
      console.warn(
        `fuzz world: some fixtures could not be made (those routes get random ids):\n  ${world.problems.join('\n  ')}`,
      );
    const doc = await t.http.get('/api/docs-json').expect(200);
    ops = operationsOf(doc.body);
    await restoreActors();
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  /** Ids that exist right now, per table; `certificate:code` gives verification codes. */
  const ids = new Map<string, (number | string)[]>();
  async function refreshIds(): Promise<void> {
    for (const table of [
      'organisation',
      'teacher',
      'user_account',
      'program',
      'cohort',
      'training_session',
      'enrolment',
      'certificate',
      'scheme',
      'placement',
      'placement_team',
      'leave_request',
      'survey_question',
      'assessment_item',
    ]) {
      const rows: { id: number }[] = await t.db
        .query(`SELECT id FROM ${t.db.driver.escape(table)} ORDER BY id DESC LIMIT 30`)
        .catch(() => []);
      ids.set(
        table,
        rows.map((r) => Number(r.id)),
      );
    }
    const codes: { code: string }[] = await t.db
      .query(`SELECT verificationCode AS code FROM certificate LIMIT 10`)
      .catch(() => []);
    ids.set(
      'certificate:code',
      codes.map((c) => c.code),
    );
  }

  /**
   * The fuzzing actors' own accounts as they were: a generated request may log the actor out, reset
   * its password, disable it or change its role (the account routes, spec §12), which ends its token.
   * Put back after every request so the later operations still run as these actors.
   */
  let actorRows: Record<string, unknown>[] = [];
  async function restoreActors(): Promise<void> {
    if (!actorRows.length) {
      actorRows = await t.db.query(
        `SELECT id, username, passwordHash, role, organisationId, active, mustChangePassword, tokenVersion FROM user_account WHERE id IN (SELECT MIN(id) FROM user_account) OR username LIKE 'fuzz_county_%'`,
      );
      return;
    }
    for (const row of actorRows) {
      const { id, ...fields } = row;
      await t.db.query(
        `UPDATE user_account SET ${Object.keys(fields)
          .map((f) => `${f} = ?`)
          .join(', ')} WHERE id = ?`,
        [...Object.values(fields), id],
      );
    }
    await t.db.query('DELETE FROM login_guard');
  }

  async function send(r: FuzzRequest) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${r.actor === 'city' ? world.admin : world.county}`,
    };
    if (r.payload !== undefined) headers['content-type'] = 'application/json';
    const res = await t.app.inject({ method: r.method as 'GET', url: r.url, headers, payload: r.payload });
    if (res.statusCode < 300 && /\/(users|auth)\//.test(r.url)) {
      await restoreActors();
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the revocation cache's second
    }
    sent++;
    byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
    return res;
  }

  const describeRequest = (r: FuzzRequest, status: number, body: string) =>
    `${r.method} ${r.url.slice(0, 200)} as ${r.actor} (${r.note}) body ${(r.payload ?? '').slice(0, 200)} → ${status} ${body.slice(0, 300)}`;

  it('answers every generated request below 500, refusals with the Chinese error body and no write', async () => {
    expect(ops.length).toBeGreaterThan(50);
    const failures: string[] = [];
    const started = Date.now();
    const snapshot = async () => {
      const t0 = Date.now();
      // The relay marks a committed change's events handled after the change (and writes their
      // messages): drained first, so what the previous request caused is not charged to the next one.
      await relayed(t.app);
      const f = await fingerprint(t.db);
      checking += Date.now() - t0;
      return f;
    };
    let before = await snapshot();
    const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
    for (const [i, op] of ops.entries()) {
      if (only && !only.test(op.path)) continue;
      const key = `${op.method} ${op.path}`;
      await refreshIds();
      const pool = (kind: string) => ids.get(kind) ?? [];

      if (op.multipart) {
        // Upload routes: a JSON body instead of the file is refused, nothing written.
        const r: FuzzRequest = {
          method: op.method,
          url: op.path.replace(/\{[^}]+\}/g, () => String(pool('program')[0] ?? 1)),
          payload: '{"file":"x.xlsx"}',
          actor: 'city',
          note: 'JSON instead of multipart',
        };
        const res = await send(r);
        const after = await snapshot();
        if (
          res.statusCode < 400 ||
          res.statusCode >= 500 ||
          !CJK.test(res.json().message ?? '') ||
          changedTables(before, after).length
        )
          failures.push(`${key}: ${describeRequest(r, res.statusCode, res.body)}`);
        before = after;
        continue;
      }

      let problem = '';
      const property = fc.asyncProperty(requestsFor(op, pool), async (r) => {
        problem = `request failed: ${describeRequest(r, 0, '')}`;
        const res = await send(r);
        const after = await snapshot();
        const prior = before;
        before = after;
        const fail = (why: string) => {
          problem = `${why}: ${describeRequest(r, res.statusCode, res.body)}`;
          throw new Error(problem);
        };
        problem = '';
        if (res.statusCode >= 500) fail('5xx');
        if (res.statusCode < 400) return;
        let body: any;
        try {
          body = res.json();
        } catch {
          fail('refusal is not JSON');
        }
        if (
          body?.statusCode !== res.statusCode ||
          typeof body.code !== 'string' ||
          !/^[A-Z][A-Z0-9_]+$/.test(body.code) ||
          typeof body.message !== 'string' ||
          !CJK.test(body.message)
        ) {
          fail('refusal without the spec error body');
        }
        const allowed = WRITES_WHEN_REFUSED[key] ?? [];
        const changed = changedTables(prior, after).filter((tbl) => !allowed.some((a) => tbl.startsWith(`${a} `)));
        if (changed.length) fail(`refused request wrote ${changed.join(', ')}`);
      });
      try {
        await fc.assert(property, { numRuns: RUNS, seed: SEED + i, endOnFailure: process.env.FUZZ_SHRINK !== '1' });
      } catch (e) {
        const replay = /\{ seed: [^}]*\}/.exec((e as Error).message)?.[0] ?? '';
        failures.push(`${key} ${replay}\n    ${problem || (e as Error).message.slice(0, 500)}`);
        before = await snapshot();
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    report(
      `fuzz (${t.database.dialect}): ${sent} requests over ${ops.length} operations (${RUNS} runs each, seed ${SEED}) in ${seconds} s (${(checking / 1000).toFixed(1)} s of it comparing tables); statuses ${statuses}`,
    );
    expect(failures).toEqual([]);
  });

  describe('known hostile inputs, every run', () => {
    const inject = (method: string, url: string, payload?: string, token = world.admin) =>
      t.app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        payload,
      });
    const expectRefusal = (res: { statusCode: number; json(): any }, status: number, code: string) => {
      expect([res.statusCode, res.json().code]).toEqual([status, code]);
      expect(res.json().message).toMatch(CJK);
    };
    const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const teacher = (n: number, over: Record<string, unknown>) =>
      JSON.stringify({
        name: '李明',
        idNumber: makeIdNumber(n),
        phone: `1370000${String(n).slice(-4).padStart(4, '0')}`,
        schoolId: world.schoolA,
        ...over,
      });

    it('refuses a body nested 5,000 levels deep with 400 (not a stack overflow)', async () => {
      await relayed(t.app); // events of earlier calls handed on first: the relay writes too
      const before = await fingerprint(t.db);
      for (const payload of [
        `{"name":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
        `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
      ]) {
        expectRefusal(await inject('POST', '/api/v1/teachers', payload), 400, 'TOO_DEEPLY_NESTED');
      }
      expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
    });

    it('answers over-long and malformed path parameters with the Chinese error body, without echoing them', async () => {
      const long = await inject('GET', `/api/v1/teachers/${'9'.repeat(300)}`);
      expectRefusal(long, 414, 'URI_TOO_LONG');
      expect(long.body).not.toContain('999999999');
      expectRefusal(await inject('GET', '/api/v1/teachers/%E0%A4%A'), 400, 'BAD_REQUEST');
      expectRefusal(await inject('GET', '/api/v1/teachers/99999999999999999999'), 400, 'INVALID_ID');
      expectRefusal(await inject('GET', '/api/v1/teachers/%EF%BC%91'), 400, 'INVALID_ID'); // full-width １
    });

    it('refuses prototype pollution and numbers JSON cannot hold', async () => {
      expectRefusal(
        await inject('POST', '/api/v1/teachers', '{"__proto__":{"role":"CITY_ADMIN"},"name":"李明"}'),
        400,
        'INVALID_JSON',
      );
      expectRefusal(
        await inject('POST', '/api/v1/teachers', teacher(951_001, {}).replace(/"schoolId":\d+/, '"schoolId":1e309')),
        400,
        'VALIDATION_FAILED',
      );
      expectRefusal(await inject('GET', '/api/v1/teachers?pageSize=1e400'), 400, 'VALIDATION_FAILED');
      expectRefusal(await inject('GET', '/api/v1/teachers?page=99999999999999999999'), 400, 'VALIDATION_FAILED');
      // Numbers that print in exponent notation (a class-validator maxDecimalPlaces check crashed on them).
      expectRefusal(
        await inject('PATCH', `/api/v1/sessions/${world.sessionId}`, '{"hours":1e-7}'),
        400,
        'VALIDATION_FAILED',
      );
      expectRefusal(
        await inject('PATCH', `/api/v1/programs/${world.programId}`, '{"attendanceThreshold":1e-7}'),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('stores a 身份证号 written with full-width digits and Ｘ or a zero-width space in its plain form, or refuses it', async () => {
      const withX = Array.from({ length: 200 }, (_, i) => makeIdNumber(951_100 + i)).find((id) => id.endsWith('X'))!;
      const plain = makeIdNumber(951_400);
      for (const [i, [given, expected]] of [
        [fullWidth(withX), withX],
        [`${plain.slice(0, 6)}\u200b${plain.slice(6)}`, plain],
      ].entries()) {
        const res = await inject('POST', '/api/v1/teachers', teacher(951_600 + i, { idNumber: given }));
        if (res.statusCode === 400) continue;
        expect(res.statusCode).toBe(201);
        const full = await inject('GET', `/api/v1/teachers/${res.json().id}?full=true`);
        expect(full.json().idNumber).toBe(expected);
      }
    });

    it('keeps emoji and rare characters in names exactly, and treats SQL in a search as text', async () => {
      const name = '李𠮷😀';
      const res = await inject('POST', '/api/v1/teachers', teacher(951_700, { name }));
      expect(res.statusCode).toBe(201);
      expect((await inject('GET', `/api/v1/teachers/${res.json().id}`)).json().name).toBe(name);
      const search = await inject('GET', `/api/v1/teachers?q=${encodeURIComponent("' OR '1'='1")}`);
      expect([search.statusCode, search.json().total]).toEqual([200, 0]);
    });

    // Regression: `@IsOptional()` used to let null through to `dto.name.trim()` (500).
    it('refuses null for a required field of an update with 400, changing nothing', async () => {
      await relayed(t.app); // events of earlier calls handed on first: the relay writes too
      const before = await fingerprint(t.db);
      const res = await inject('PATCH', `/api/v1/organisations/${world.schoolA}`, '{"name":null}');
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(CJK);
      expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
    });
  });
});
