import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { readPass } from '@shipei/attendance';
import { Clock, dbDate } from '@shipei/core';
import TestAgent from 'supertest/lib/agent';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makePhone,
} from './support/fixtures';
import { binary } from './support/enrolment-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** Page 1 of a PDF at 150 dpi in grey (poppler's pdftoppm), as jsQR's RGBA pixels with its scale. */
function rasterPage(pdf: string, dir: string) {
  const out = join(dir, `page-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', ['-r', '150', '-gray', '-f', '1', '-l', '1', '-singlefile', pdf, out]);
  const pgm = readFileSync(`${out}.pgm`);
  // P5 header: magic, width, height, max value, each followed by one whitespace byte.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { width, height, grey: pgm.subarray(header[0].length), scale: 150 / 72 };
}

/** The text inside a rectangle of page 1 (in PDF points), without whitespace. */
function textIn(pdf: string, x: number, y: number, w: number, h: number): string {
  const box = [x, y, w, h].map((v) => String(Math.round(v)));
  const args = ['-f', '1', '-l', '1', '-x', box[0], '-y', box[1], '-W', box[2], '-H', box[3], pdf, '-'];
  return execFileSync('pdftotext', args, { encoding: 'utf8' }).replace(/\s+/g, '');
}

/** The QR code inside a rectangle of the page (in PDF points), or null. */
function decodeQr(page: ReturnType<typeof rasterPage>, x: number, y: number, w: number, h: number): string | null {
  const [x0, y0] = [Math.round(x * page.scale), Math.round(y * page.scale)];
  const [cw, ch] = [
    Math.min(Math.round(w * page.scale), page.width - x0),
    Math.min(Math.round(h * page.scale), page.height - y0),
  ];
  const rgba = new Uint8ClampedArray(cw * ch * 4);
  for (let r = 0; r < ch; r++)
    for (let c = 0; c < cw; c++) {
      const v = page.grey[(y0 + r) * page.width + x0 + c];
      rgba.set([v, v, v, 255], (r * cw + c) * 4);
    }
  return jsQR(rgba, cw, ch)?.data ?? null;
}

/** Shanghai wall-clock time → Date. */
const cst = (s: string) => new Date(`${s}+08:00`);

/**
 * Personal passes, offline scans and on-site 报到 (spec §14), through the API on a real database.
 *
 * 一班 (trainer T1): S1 07-15 09:00–11:00, S2 07-15 14:00–16:00; trainees A (account, confirmed),
 *   N (no account, approved only), W (no account, approved, confirmed on site in the test)
 * 二班 (trainer T2): trainee O (confirmed)
 */
describe('attendance: personal passes, offline scans, on-site 报到', () => {
  let t: TestApp;
  let http: TestAgent;
  let admin: string;
  let now: Date;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const enrolments: Record<string, number> = {};

  const as = (token: string) => ({
    get: (path: string) => http.get(path).auth(token, { type: 'bearer' }),
    put: (path: string, body: object) => http.put(path).auth(token, { type: 'bearer' }).send(body),
    post: (path: string, body?: object) =>
      http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {}),
  });
  const ok = async (res: Promise<any> | any, status = [200, 201]) => {
    const r = await res;
    if (!status.includes(r.status))
      throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const pass = async (who: string, token = tokens.T1) =>
    (await ok(as(token).get(`/api/v1/enrolments/${enrolments[who]}/pass`))).token as string;
  const sync = (sessionId: number, scans: { token: string; scannedAt: string }[], token = tokens.T1) =>
    as(token).post(`/api/v1/sessions/${sessionId}/scans`, { scans });
  const record = async (sessionId: number, who: string) =>
    (
      await t.db.query(
        `SELECT status, source, checkedInAt FROM attendance_record WHERE sessionId = ${sessionId} AND enrolmentId = ${enrolments[who]}`,
      )
    )[0];

  async function account(role: 'TRAINER' | 'TEACHER', username: string, teacherId?: number) {
    const created = await ok(
      as(admin).post('/api/v1/users', { username, password: 'Once12345', role, ...(teacherId ? { teacherId } : {}) }),
    );
    const first = await login(http, username, 'Once12345');
    const changed = await ok(
      as(first).post('/api/v1/auth/password', { currentPassword: 'Once12345', newPassword: 'Secret1234' }),
    );
    return { id: created.id as number, token: changed.accessToken as string };
  }

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http;
    now = cst('2019-07-10T08:00:00');
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    admin = await adminToken(http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const county = await countyAdmin(http, admin, lanshan, 'pass_county');
    tokens.county = county;
    const school = await createSchool(http, county, lanshan, '兰山区凭证小学');
    for (const k of ['T1', 'T2']) {
      const a = await account('TRAINER', `pass_${k.toLowerCase()}`);
      ids[k] = a.id;
      tokens[k] = a.token;
    }
    const program = await ok(
      as(admin).post('/api/v1/programs', {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '离线签到测试项目',
        seats: 20,
        creditHours: 8,
        attendanceThreshold: 0.8,
        certificatePrefix: 'LXQD',
      }),
    );
    await ok(as(admin).put(`/api/v1/programs/${program.id}/quotas`, [{ countyId: lanshan, seats: 20 }]));
    await ok(as(admin).post(`/api/v1/programs/${program.id}/open`));
    const cohort = async (name: string, trainer: number) =>
      (
        await ok(
          as(admin).post(`/api/v1/programs/${program.id}/cohorts`, {
            name,
            capacity: 20,
            startDate: '2019-07-15',
            endDate: '2019-07-16',
            venue: '临沂大学',
            trainerIds: [trainer],
          }),
        )
      ).id as number;
    ids.C1 = await cohort('一班', ids.T1);
    ids.C2 = await cohort('二班', ids.T2);
    const session = async (cohortId: number, title: string, from: string, to: string) =>
      (
        await ok(
          as(admin).post(`/api/v1/cohorts/${cohortId}/sessions`, {
            title,
            startsAt: cst(from).toISOString(),
            endsAt: cst(to).toISOString(),
            hours: 2,
          }),
        )
      ).id as number;
    ids.S1 = await session(ids.C1, '新课标解读', '2019-07-15T09:00:00', '2019-07-15T11:00:00');
    ids.S2 = await session(ids.C1, '课堂观察', '2019-07-15T14:00:00', '2019-07-15T16:00:00');
    let n = 61000;
    for (const [key, cohortId, withAccount] of [
      ['A', ids.C1, true],
      ['N', ids.C1, false],
      ['W', ids.C1, false],
      ['O', ids.C2, true],
      ['X', ids.C1, false],
    ] as const) {
      const teacherId = await createTeacher(http, county, school, ++n);
      const e = await ok(as(county).post(`/api/v1/programs/${program.id}/enrolments`, { teacherId }));
      await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
      enrolments[key] = e.id;
      if (key === 'X') continue; // approved, never assigned to a cohort
      await ok(as(admin).post(`/api/v1/cohorts/${cohortId}/assignments`, { enrolmentIds: [e.id] }));
      if (withAccount) {
        tokens[key] = (await account('TEACHER', makePhone(n), teacherId)).token;
        await ok(as(tokens[key]).post(`/api/v1/enrolments/${e.id}/confirm`));
      }
    }
  }, 300_000);
  afterAll(async () => t?.close());

  describe('passes', () => {
    it('publishes the public key to anyone, the same for every process (kept in the database)', async () => {
      const key = await ok(http.get('/api/v1/checkin-passes/public-key'));
      expect(key).toMatchObject({ algorithm: 'Ed25519', jwk: { kty: 'OKP', crv: 'Ed25519' } });
      expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const [row] = await t.db.query('SELECT publicKey FROM checkin_pass_key WHERE id = 1');
      expect(row.publicKey).toBe(key.publicKeyPem);
      // A second app process on the same database signs with the same key.
      const second = await startTestApp({}, t.database);
      try {
        expect((await ok(second.http.get('/api/v1/checkin-passes/public-key'))).publicKeyPem).toBe(key.publicKeyPem);
      } finally {
        await second.close();
      }
    });

    it('gives a signed pass of an assigned enrolment to its teacher and its cohort’s trainer; 404 to others', async () => {
      const mine = await ok(as(tokens.A).get(`/api/v1/enrolments/${enrolments.A}/pass`));
      expect(mine).toMatchObject({ enrolmentId: enrolments.A, cohortId: ids.C1 });
      expect(mine.expiresAt).toBe(cst('2019-07-17T00:00:00').toISOString());
      expect(mine.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      const key = createPublicKey((await ok(http.get('/api/v1/checkin-passes/public-key'))).publicKeyPem);
      expect(readPass(key, mine.token)).toEqual({
        ok: true,
        claims: { enrolmentId: enrolments.A, cohortId: ids.C1, expiresAt: cst('2019-07-17T00:00:00') },
      });
      // Anyone with the public key can check it the way the phone does: the signature over the first 13 bytes.
      const raw = Buffer.from(mine.token.slice(3), 'base64url');
      expect(verify(null, raw.subarray(0, 13), key, raw.subarray(13))).toBe(true);

      expect((await ok(as(tokens.T1).get(`/api/v1/enrolments/${enrolments.N}/pass`))).enrolmentId).toBe(enrolments.N);
      await ok(as(admin).get(`/api/v1/enrolments/${enrolments.N}/pass`));
      await as(tokens.T2).get(`/api/v1/enrolments/${enrolments.A}/pass`).expect(404);
      await as(tokens.O).get(`/api/v1/enrolments/${enrolments.A}/pass`).expect(404);
      await http.get(`/api/v1/enrolments/${enrolments.A}/pass`).expect(401);
      // The county sees its teacher's enrolment but does not run the cohort.
      expect((await as(tokens.county).get(`/api/v1/enrolments/${enrolments.A}/pass`).expect(403)).body.code).toBe(
        'NOT_SESSION_MANAGER',
      );
      expect((await as(admin).get(`/api/v1/enrolments/${enrolments.X}/pass`).expect(409)).body).toMatchObject({
        code: 'NOT_ASSIGNED',
        message: '该学员尚未分班，不能现场报到或领取签到凭证',
      });
    });
    it('prints the cohort’s passes as 报到 slips and as a roster; every QR on paper is the trainee’s own pass', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'shipei-passes-'));
      try {
        const names: Record<string, string> = {};
        for (const k of ['A', 'N', 'W', 'O']) {
          const [row] = await t.db.query(
            `SELECT t.name FROM teacher t JOIN enrolment e ON e.teacherId = t.id WHERE e.id = ${enrolments[k]}`,
          );
          names[k] = row.name;
        }
        const expected = new Set(await Promise.all(['A', 'N', 'W'].map((k) => pass(k))));
        const print = async (layout: string) => {
          const res = await as(tokens.T1)
            .get(`/api/v1/cohorts/${ids.C1}/passes.pdf?layout=${layout}`)
            .buffer(true)
            .parse(binary)
            .expect(200);
          expect(res.headers['content-type']).toBe('application/pdf');
          const file = join(dir, `${layout}.pdf`);
          writeFileSync(file, res.body);
          const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
          // Only the embedded CJK font, as a subset: prints the same on any office printer.
          expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).not.toMatch(/Helvetica/);
          return { res, file, text };
        };

        const slips = await print('slips');
        expect(slips.res.headers['content-disposition']).toContain(encodeURIComponent('报到凭证-一班.pdf'));
        expect(slips.text).not.toContain(names.O); // another cohort's trainee
        // Eight slips to an A4 page, two columns by four rows inside 36 pt margins: each slip reads and
        // decodes on its own, as it does once cut out.
        const page = rasterPage(slips.file, dir);
        const [w, h] = [(595.28 - 72) / 2, (841.89 - 72) / 4];
        const found = new Map<string, string>();
        for (let slot = 0; slot < 3; slot++) {
          const [x, y] = [36 + (slot % 2) * w, 36 + Math.floor(slot / 2) * h];
          const slip = textIn(slips.file, x, y, w, h);
          expect(slip).toMatch(
            /^报到凭证离线签到测试项目.+兰山区凭证小学一班2019年7月15日至2019年7月16日临沂大学报到及每次课程签到时出示此码，请妥善保管有效期至2019年7月16日24时$/,
          );
          found.set(decodeQr(page, x, y, w, h)!, slip);
        }
        expect(new Set(found.keys())).toEqual(expected);
        // Each slip's QR is the pass of the trainee named on it.
        for (const k of ['A', 'N', 'W']) expect(found.get(await pass(k))).toContain(names[k]);

        const roster = await print('roster');
        expect(roster.res.headers['content-disposition']).toContain(encodeURIComponent('签到凭证名册-一班.pdf'));
        // N and W are approved but have not reported (报到) yet: marked, and still on the roster.
        for (const k of ['N', 'W']) expect(roster.text).toContain(`${names[k]}兰山区凭证小学未报到`);
        expect(roster.text).toContain(`${names.A}兰山区凭证小学`);
        expect(roster.text).not.toContain(`${names.A}兰山区凭证小学未报到`);
        // The passes in the right-hand column, one per row: scan the column band by band.
        const sheet = rasterPage(roster.file, dir);
        const column = new Set<string>();
        for (let y = 100; y < 841.89 - 120; y += 12) {
          const code = decodeQr(sheet, 36 + 389.28, y, 134, 120);
          if (code) column.add(code);
        }
        expect(column).toEqual(expected);

        // Who may print: the cohort's trainer and the owner; another trainer 404, the county 403.
        await as(admin).get(`/api/v1/cohorts/${ids.C1}/passes.pdf`).expect(200);
        await as(tokens.T2).get(`/api/v1/cohorts/${ids.C1}/passes.pdf`).expect(404);
        await as(tokens.county).get(`/api/v1/cohorts/${ids.C1}/passes.pdf`).expect(403);
        await as(tokens.A).get(`/api/v1/cohorts/${ids.C1}/passes.pdf`).expect(403);
        const bad = await as(tokens.T1).get(`/api/v1/cohorts/${ids.C1}/passes.pdf?layout=poster`).expect(400);
        expect(JSON.stringify(bad.body)).toContain('layout 须为 slips 或 roster');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('on-site 报到', () => {
    it('lets the cohort’s trainer confirm an approved trainee, once, audited; nobody else', async () => {
      await as(tokens.T2).post(`/api/v1/enrolments/${enrolments.W}/on-site-confirm`).expect(404);
      await as(tokens.A).post(`/api/v1/enrolments/${enrolments.W}/on-site-confirm`).expect(403);
      expect(
        (await as(tokens.county).post(`/api/v1/enrolments/${enrolments.W}/on-site-confirm`).expect(403)).body.code,
      ).toBe('NOT_SESSION_MANAGER');
      const done = await ok(as(tokens.T1).post(`/api/v1/enrolments/${enrolments.W}/on-site-confirm`));
      expect(done).toMatchObject({ id: enrolments.W, status: 'CONFIRMED' });
      const again = await as(tokens.T1).post(`/api/v1/enrolments/${enrolments.W}/on-site-confirm`).expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
      expect((await as(admin).post(`/api/v1/enrolments/${enrolments.X}/on-site-confirm`).expect(409)).body.code).toBe(
        'NOT_ASSIGNED',
      );
      const audit = await t.db.query(
        `SELECT action, note, actorId FROM audit_entry WHERE entity = 'enrolment' AND entityId = ${enrolments.W} AND action = 'on-site-confirm'`,
      );
      expect(audit.map((a: any) => [a.note, Number(a.actorId)])).toEqual([['APPROVED→CONFIRMED（现场报到）', ids.T1]]);
    });
  });

  describe('offline scans', () => {
    it('counts each scan at its own time, refuses what the rules refuse, and is idempotent', async () => {
      const [a, w, n, o] = [await pass('A'), await pass('W'), await pass('N'), await pass('O', tokens.T2)];
      const forged = generateKeyPairSync('ed25519');
      const raw = Buffer.from(a.slice(3), 'base64url');
      const fake = `P1.${Buffer.concat([raw.subarray(0, 13), sign(null, raw.subarray(0, 13), forged.privateKey)]).toString('base64url')}`;
      now = cst('2019-07-15T12:00:00'); // synced after the class, when the hall had no network
      const res = await ok(
        sync(ids.S1, [
          { token: a, scannedAt: cst('2019-07-15T08:55:00').toISOString() },
          { token: w, scannedAt: '2019-07-15T09:20:00+08:00' },
          { token: a, scannedAt: cst('2019-07-15T08:57:00').toISOString() },
          { token: n, scannedAt: cst('2019-07-15T09:00:00').toISOString() },
          { token: o, scannedAt: cst('2019-07-15T09:00:00').toISOString() },
          { token: fake, scannedAt: cst('2019-07-15T09:00:00').toISOString() },
          { token: 'https://example.com/not-a-pass', scannedAt: cst('2019-07-15T09:00:00').toISOString() },
          { token: a, scannedAt: cst('2019-07-15T08:29:59').toISOString() },
          { token: w, scannedAt: cst('2019-07-15T12:02:01').toISOString() },
        ]),
      );
      expect(res.results.map((r: any) => [r.index, r.status])).toEqual([
        [0, 'PRESENT'],
        [1, 'LATE'],
        [2, 'ALREADY'],
        [3, 'REJECTED'],
        [4, 'REJECTED'],
        [5, 'REJECTED'],
        [6, 'REJECTED'],
        [7, 'REJECTED'],
        [8, 'REJECTED'],
      ]);
      expect(res.results.map((r: any) => r.reason)).toEqual([
        null,
        null,
        '同一学员已扫码',
        '尚未报到，请先办理现场报到',
        '不在本班名单中',
        '凭证签名无效',
        '不是本平台的签到凭证',
        '扫码时签到尚未开始（08:30 开放）',
        '扫码时间晚于上传时间，请校准手机时间',
      ]);
      const recA = await record(ids.S1, 'A');
      expect([recA.status, recA.source]).toEqual(['PRESENT', 'SCAN']);
      expect(dbDate(recA.checkedInAt)).toEqual(cst('2019-07-15T08:55:00'));

      // The same batch again changes nothing, and answers as the first time (a phone that lost the
      // answer shows what was counted).
      const again = await ok(
        sync(ids.S1, [
          { token: a, scannedAt: cst('2019-07-15T08:55:00').toISOString() },
          { token: w, scannedAt: '2019-07-15T09:20:00+08:00' },
        ]),
      );
      expect(again.results.map((r: any) => [r.status, r.reason])).toEqual([
        ['PRESENT', null],
        ['LATE', null],
      ]);
      const [{ n: rows }] = await t.db.query(`SELECT COUNT(*) AS n FROM attendance_record WHERE sessionId = ${ids.S1}`);
      expect(Number(rows)).toBe(2);

      // Hours count once the class has started, not at a check-in in the half hour before.
      const hours = async () => (await ok(as(tokens.A).get('/api/v1/me/attendance'))).items[0].attendedHours;
      now = cst('2019-07-15T08:58:00');
      expect(await hours()).toBe(0);
      now = cst('2019-07-15T09:00:00');
      expect(await hours()).toBe(2);
    });

    it('lets an earlier self check-in win, a scan replace a later one, and refuses other people and bad bodies', async () => {
      const a = await pass('A');
      // A checks in by themselves at 14:20 (LATE); the trainer's phone scanned A at 14:05: the scan counts.
      now = cst('2019-07-15T14:20:00');
      const code = (await ok(as(tokens.T1).get(`/api/v1/sessions/${ids.S2}/checkin-code`))).code;
      expect((await ok(as(tokens.A).post(`/api/v1/sessions/${ids.S2}/checkins`, { code }))).status).toBe('LATE');
      const earlier = await ok(sync(ids.S2, [{ token: a, scannedAt: cst('2019-07-15T14:05:00').toISOString() }]));
      expect(earlier.results[0]).toMatchObject({ status: 'PRESENT', enrolmentId: enrolments.A });
      const later = await ok(sync(ids.S2, [{ token: a, scannedAt: cst('2019-07-15T14:10:00').toISOString() }]));
      expect(later.results[0].status).toBe('ALREADY');
      expect((await record(ids.S2, 'A')).status).toBe('PRESENT');

      // After an early 结束签到 a scan made later is refused, one made before still counts.
      now = cst('2019-07-15T15:00:00');
      await ok(as(tokens.T1).post(`/api/v1/sessions/${ids.S2}/close`));
      const w = await pass('W');
      const closed = await ok(sync(ids.S2, [{ token: w, scannedAt: cst('2019-07-15T15:00:30').toISOString() }]));
      expect(closed.results[0]).toMatchObject({ status: 'REJECTED', reason: '扫码时签到已结束（15:00 截止）' });
      // W had been scanned at 14:50 on a phone without network: it replaces the ABSENT the closing wrote.
      const synced = await ok(sync(ids.S2, [{ token: w, scannedAt: cst('2019-07-15T14:50:00').toISOString() }]));
      expect(synced.results[0].status).toBe('LATE');
      expect((await record(ids.S2, 'W')).source).toBe('SCAN');

      await sync(ids.S2, [{ token: a, scannedAt: cst('2019-07-15T14:05:00').toISOString() }], tokens.T2).expect(404);
      await sync(ids.S2, [{ token: a, scannedAt: cst('2019-07-15T14:05:00').toISOString() }], tokens.A).expect(403);
      for (const body of [
        {},
        { scans: [] },
        { scans: [{ token: a }] },
        { scans: [{ token: a, scannedAt: 'yesterday' }] },
        { scans: [{ token: a, scannedAt: cst('2019-07-15T14:05:00').toISOString(), extra: 1 }] },
        { scans: 'x' },
      ]) {
        const bad = await as(tokens.T1).post(`/api/v1/sessions/${ids.S2}/scans`, body).expect(400);
        expect(bad.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      }
    });

    it('keeps one record per trainee when the same scans are synced concurrently', async () => {
      const n = await pass('N');
      await ok(as(tokens.T1).post(`/api/v1/enrolments/${enrolments.N}/on-site-confirm`));
      now = cst('2019-07-15T16:30:00');
      const scans = [{ token: n, scannedAt: cst('2019-07-15T09:10:00').toISOString() }];
      const all = await Promise.all(Array.from({ length: 8 }, () => ok(sync(ids.S1, scans))));
      const statuses = all.map((r) => r.results[0].status);
      expect(statuses.filter((s) => s === 'PRESENT').length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 'PRESENT' || s === 'ALREADY')).toBe(true);
      const rows = await t.db.query(
        `SELECT status FROM attendance_record WHERE sessionId = ${ids.S1} AND enrolmentId = ${enrolments.N}`,
      );
      expect(rows.map((r: any) => r.status)).toEqual(['PRESENT']);
    });
  });
});
