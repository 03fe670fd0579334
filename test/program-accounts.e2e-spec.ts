/**
 * Opening a program's approved trainees' accounts in one batch (spec §12, issue 16):
 * POST /api/v1/programs/:id/accounts. The city opens every approved trainee's account, a county
 * those of its own teachers; teachers merely nominated are left out; a second call gives no
 * password again; with Accept: application/pdf, the printable slips (CJK text, QR of the login
 * address), read back with poppler and jsQR. Documented in OpenAPI as it answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { binary, createProgram, setQuotas } from './support/enrolment-fixtures';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makePhone,
} from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

describe('POST /api/v1/programs/:id/accounts', () => {
  let t: TestApp;
  let admin: string;
  let countyA: string;
  let countyB: string;
  let program: number;
  let empty: number;
  const teachers: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'shipei-program-accounts-'));

  const post = (token: string, path: string) => t.http.post(path).auth(token, { type: 'bearer' });
  const nominate = async (token: string, programId: number, teacherId: number) =>
    (await post(token, `/api/v1/programs/${programId}/enrolments`).send({ teacherId }).expect(201)).body.id as number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'pa_lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'pa_luozhuang');
    const schoolA = await createSchool(t.http, countyA, lanshan, '兰山区开通账号小学');
    const schoolB = await createSchool(t.http, countyB, luozhuang, '罗庄区开通账号小学');
    teachers.a1 = await createTeacher(t.http, countyA, schoolA, 61001);
    teachers.a2 = await createTeacher(t.http, countyA, schoolA, 61002);
    teachers.aPending = await createTeacher(t.http, countyA, schoolA, 61003);
    teachers.b1 = await createTeacher(t.http, countyB, schoolB, 62001);
    program = await createProgram(t.http, admin, { seats: 10, title: '开通账号测试项目' });
    await setQuotas(t.http, admin, program, [
      { countyId: lanshan, seats: 5 },
      { countyId: luozhuang, seats: 5 },
    ]);
    const approved = [
      await nominate(countyA, program, teachers.a1),
      await nominate(countyA, program, teachers.a2),
      await nominate(countyB, program, teachers.b1),
    ];
    await nominate(countyA, program, teachers.aPending);
    for (const id of approved) await post(admin, `/api/v1/enrolments/${id}/approve`).expect(200);
    empty = await createProgram(t.http, admin, { seats: 10, title: '无学员项目' });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('a county opens its own approved trainees only, each with a one-time password that logs in', async () => {
    const res = await post(countyA, `/api/v1/programs/${program}/accounts`).expect(201);
    expect(res.body.map((a: { teacherId: number }) => a.teacherId).sort()).toEqual([teachers.a1, teachers.a2].sort());
    for (const a of res.body) {
      expect(Object.keys(a).sort()).toEqual(['name', 'teacherId', 'temporaryPassword', 'userId', 'username']);
      expect(a.temporaryPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9]{10}$/);
    }
    const first = res.body.find((a: { teacherId: number }) => a.teacherId === teachers.a1);
    expect(first.username).toBe(makePhone(61001));
    const me = await t.http
      .post('/api/v1/auth/login')
      .send({ username: first.username, password: first.temporaryPassword });
    expect(me.status).toBe(200);
    expect(me.body.user.mustChangePassword).toBe(true);
    // County B's trainee and the merely nominated teacher have no account yet.
    const rows = await t.db.query(`SELECT teacherId FROM user_account WHERE teacherId IN (?, ?)`, [
      teachers.b1,
      teachers.aPending,
    ]);
    expect(rows).toEqual([]);
    // Again: the same accounts, no password shown twice.
    const again = await post(countyA, `/api/v1/programs/${program}/accounts`).expect(201);
    expect(again.body.map((a: { temporaryPassword: unknown }) => a.temporaryPassword)).toEqual([null, null]);
  });

  it('the city gets the printable slips of all approved trainees: CJK text, login address and its QR', async () => {
    const res = await post(admin, `/api/v1/programs/${program}/accounts`)
      .set('accept', 'application/pdf')
      .buffer(true)
      .parse(binary)
      .expect(201);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    const file = join(dir, 'slips.pdf');
    writeFileSync(file, res.body as Buffer);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('账号开通通知单');
    for (const n of [61001, 61002, 62001]) {
      expect(text).toContain(`教师${n}`);
      expect(text).toContain(makePhone(n));
    }
    expect(text).not.toContain('教师61003');
    expect(text).toContain(`${t.config.publicBaseUrl}/login`);
    // County A's two had their accounts already: no password on their slips; county B's one has a new one.
    expect(text.match(/已有账号，密码未改变/g)).toHaveLength(2);
    const [b1] = await t.db.query(`SELECT id, mustChangePassword FROM user_account WHERE teacherId = ?`, [teachers.b1]);
    expect(Boolean(Number(b1.mustChangePassword))).toBe(true);
    // The first slip's QR code (top right of page 1, 150 dpi) holds the login address.
    const prefix = join(dir, 'qr');
    execFileSync(
      'pdftoppm',
      ['-r', '150', '-png', '-gray', '-f', '1', '-l', '1'].concat([
        '-x',
        '850',
        '-y',
        '90',
        '-W',
        '340',
        '-H',
        '340',
        '-singlefile',
        file,
        prefix,
      ]),
    );
    const png = PNG.sync.read(readFileSync(`${prefix}.png`));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' });
    expect(qr?.data).toBe(`${t.config.publicBaseUrl}/login`);
  });

  it('refuses in Chinese when there is nobody to open, other roles, and programs out of sight', async () => {
    const none = await post(countyB, `/api/v1/programs/${empty}/accounts`).expect(409);
    expect(none.body.code).toBe('NO_APPROVED_TRAINEES');
    expect(none.body.message).toMatch(/[\u4e00-\u9fff]/);
    await post(admin, '/api/v1/programs/999999/accounts').expect(404);
    await post(admin, '/api/v1/programs/abc/accounts').expect(400);
    await t.http.post(`/api/v1/programs/${program}/accounts`).expect(401);
    const teacherToken = await login(
      t.http,
      makePhone(62001),
      (
        await post(
          admin,
          `/api/v1/users/${(await t.db.query(`SELECT id FROM user_account WHERE teacherId = ?`, [teachers.b1]))[0].id}/reset-password`,
        ).expect(200)
      ).body.temporaryPassword,
    );
    await post(teacherToken, `/api/v1/programs/${program}/accounts`).expect(403);
  });

  it('is documented in OpenAPI as it answers (JSON list of opened accounts, or the PDF)', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const op = doc.paths['/api/v1/programs/{id}/accounts']?.post;
    expect(op).toBeDefined();
    expect(op.security).toEqual([{ bearer: [] }]);
    const created = op.responses['201'];
    expect(Object.keys(created.content).sort()).toEqual(['application/json', 'application/pdf']);
    const schema = created.content['application/json'].schema;
    expect(schema.type).toBe('array');
    const ref = schema.items.$ref.split('/').pop();
    const item = doc.components.schemas[ref];
    expect(Object.keys(item.properties).sort()).toEqual([
      'name',
      'teacherId',
      'temporaryPassword',
      'userId',
      'username',
    ]);
    expect(item.required.sort()).toEqual(['name', 'teacherId', 'temporaryPassword', 'userId', 'username']);
    expect(item.properties.temporaryPassword.nullable).toBe(true);
    expect(op.responses['409']).toBeDefined();
  });
});
