/**
 * 通知公告 (spec §15, issue 19 point 3): the city or a county posts a notice to counties, a program's
 * trainees or a cohort; it reaches them in the inbox once the posting has committed (its domain event);
 * readers mark it read by opening it; the author sees "已读 n / m" and who has not read; a county reaches
 * only its own people; files are checked by content and served to readers only.
 * Runs on SQLite and MariaDB/MySQL.
 */
import { account, binary, createProgram, setQuotas, xlsx } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { relayed } from './support/relay';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

describe('announcements (通知公告)', () => {
  let t: TestApp;
  let admin: string;
  let countyA: string;
  let countyB: string;
  let lanshan: number;
  let luozhuang: number;
  let program: number;
  let cohort: number;
  let otherCohort: number;
  const trainee: Record<string, { teacherId: number; token?: string; enrolmentId: number }> = {};
  let serial = 19_300;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) =>
      t.http
        .post(path)
        .auth(token, { type: 'bearer' })
        .send(body ?? {}),
  });
  const ok = async (res: Promise<any>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const count = async (table: string) => Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'notice_lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'notice_luozhuang');
    const schoolA = await createSchool(t.http, admin, lanshan, '兰山区通知小学');
    const schoolB = await createSchool(t.http, admin, luozhuang, '罗庄区通知小学');
    program = await createProgram(t.http, admin, { title: '2026年通知公告测试培训', certificatePrefix: 'TZGG' }, false);
    await setQuotas(t.http, admin, program, [
      { countyId: lanshan, seats: 10 },
      { countyId: luozhuang, seats: 10 },
    ]);
    await ok(as(admin).post(`/api/v1/programs/${program}/open`));
    const newCohort = async (name: string) =>
      (
        await ok(
          as(admin).post(`/api/v1/programs/${program}/cohorts`, {
            name,
            capacity: 60,
            startDate: '2026-07-15',
            endDate: '2026-07-16',
            venue: '临沂大学',
          }),
        )
      ).id as number;
    cohort = await newCohort('一班');
    otherCohort = await newCohort('二班');
    // A1 (兰山, account) and A2 (兰山, no account) and B1 (罗庄, account) in 一班; A3 (兰山) in 二班;
    // N (兰山) nominated but not approved: no trainee yet.
    const enrol = async (
      key: string,
      county: string,
      school: number,
      cohortId: number | null,
      withAccount: boolean,
    ) => {
      const n = serial++;
      const teacherId = await createTeacher(t.http, county, school, n);
      const e = await ok(as(county).post(`/api/v1/programs/${program}/enrolments`, { teacherId }));
      if (cohortId) {
        await ok(as(admin).post(`/api/v1/enrolments/${e.id}/approve`));
        await ok(as(admin).post(`/api/v1/cohorts/${cohortId}/assignments`, { enrolmentIds: [e.id] }));
      }
      const token = withAccount
        ? (await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId })).token
        : undefined;
      trainee[key] = { teacherId, token, enrolmentId: e.id };
    };
    await enrol('A1', countyA, schoolA, cohort, true);
    await enrol('A2', countyA, schoolA, cohort, false);
    await enrol('B1', countyB, schoolB, cohort, true);
    await enrol('A3', countyA, schoolA, otherCohort, true);
    await enrol('N', countyA, schoolA, null, true);
  }, 180_000);
  afterAll(async () => t?.close());

  it('reaches a cohort in the inbox after the commit; opening it marks it read; the author sees 已读 1 / 3 and who has not read', async () => {
    const posted = await ok(
      as(admin).post('/api/v1/announcements', {
        title: '一班报到须知',
        body: '请于7月15日8:30前到临沂大学报到，携带身份证。',
        audience: { cohortId: cohort },
      }),
    );
    expect(posted).toMatchObject({ title: '一班报到须知', reads: 0, recipients: 3, addressed: false, readAt: null });
    expect(posted.from).toBe((await t.db.query(`SELECT name FROM organisation WHERE type = 'CITY'`))[0].name);
    expect(posted.audience).toEqual({ countyIds: [], programId: null, cohortId: cohort });
    expect(posted.unread.map((u: any) => u.name).sort()).toHaveLength(3);

    await relayed(t.app);
    const inbox = await ok(as(trainee.A1.token!).get('/api/v1/me/notifications?unread=true'));
    const m = inbox.items.find((i: any) => i.type === 'announcement.posted');
    expect(m).toMatchObject({ title: '通知公告：一班报到须知', link: `/app/announcements/${posted.id}`, readAt: null });
    expect(m.body).toContain('请于7月15日8:30前到临沂大学报到');
    // Not a trainee of this cohort: neither the other cohort's teacher nor the one not approved.
    for (const key of ['A3', 'N']) {
      const other = await ok(as(trainee[key].token!).get('/api/v1/me/notifications'));
      expect(other.items.some((i: any) => i.link === `/app/announcements/${posted.id}`)).toBe(false);
      expect((await as(trainee[key].token!).get(`/api/v1/announcements/${posted.id}`)).status).toBe(404);
    }
    // The teacher without an account is a recipient all the same (reached by SMS when configured).
    const rows = await t.db.query(
      'SELECT teacherId FROM announcement_recipient WHERE announcementId = ? ORDER BY teacherId',
      [posted.id],
    );
    expect(rows.map((r: any) => Number(r.teacherId))).toEqual(
      [trainee.A1.teacherId, trainee.A2.teacherId, trainee.B1.teacherId].sort((a, b) => a - b),
    );

    const list = await ok(as(trainee.A1.token!).get('/api/v1/announcements'));
    expect(list.items[0]).toMatchObject({
      id: posted.id,
      addressed: true,
      readAt: null,
      reads: null,
      recipients: null,
    });
    const seen = await ok(as(trainee.A1.token!).post(`/api/v1/announcements/${posted.id}/read`));
    expect(seen.readAt).not.toBeNull();
    expect(seen.unread).toBeNull(); // a reader never sees the others
    // Reading it again keeps the first time; its inbox message is read too.
    const again = await ok(as(trainee.A1.token!).post(`/api/v1/announcements/${posted.id}/read`));
    expect(again.readAt).toBe(seen.readAt);
    const after = await ok(as(trainee.A1.token!).get('/api/v1/me/notifications'));
    expect(after.items.find((i: any) => i.id === m.id).readAt).not.toBeNull();

    // The city opening it (overseer, not addressed) changes no count.
    await ok(as(admin).post(`/api/v1/announcements/${posted.id}/read`));
    const forAuthor = await ok(as(admin).get(`/api/v1/announcements/${posted.id}`));
    expect(forAuthor).toMatchObject({ reads: 1, recipients: 3 });
    expect(forAuthor.unread.map((u: any) => u.name).sort()).toEqual([`教师${19_301}`, `教师${19_302}`].sort());
    expect(forAuthor.unread.every((u: any) => u.kind === 'TEACHER' && u.organisation.endsWith('通知小学'))).toBe(true);
    expect(JSON.stringify(forAuthor)).not.toMatch(/1[3-9]\d{9}/); // no phone numbers
  });

  it("lets a county reach only its own: its trainees of a program, its people; another county's is 403, nothing written", async () => {
    const posted = await ok(
      as(countyA).post('/api/v1/announcements', {
        title: '兰山区参训教师注意事项',
        body: '请按时参加培训。',
        audience: { programId: program },
      }),
    );
    // 兰山's approved trainees only (A1, A2, A3), never 罗庄's B1 nor the unapproved N.
    expect(posted.recipients).toBe(3);
    expect(posted.from).toBe('兰山区');
    expect((await as(trainee.B1.token!).get(`/api/v1/announcements/${posted.id}`)).status).toBe(404);
    expect((await as(countyB).get(`/api/v1/announcements/${posted.id}`)).status).toBe(404);
    expect((await ok(as(countyB).get('/api/v1/announcements'))).items.some((i: any) => i.id === posted.id)).toBe(false);
    expect((await ok(as(admin).get(`/api/v1/announcements/${posted.id}`))).recipients).toBe(3);
    expect((await ok(as(trainee.A3.token!).get(`/api/v1/announcements/${posted.id}`))).addressed).toBe(true);

    const before = await count('announcement');
    const refused = await as(countyA).post('/api/v1/announcements', {
      title: '越界通知',
      body: '正文',
      audience: { countyIds: [luozhuang] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ANNOUNCEMENT_AUDIENCE_FORBIDDEN');
    expect(await count('announcement')).toBe(before);

    // Its own county: its bureau's other accounts and every teacher of its schools (the author is not one).
    const own = await ok(
      as(countyA).post('/api/v1/announcements', {
        title: '全区通知',
        body: '正文',
        audience: { countyIds: [lanshan] },
      }),
    );
    const [{ n: teachers }] = await t.db.query('SELECT COUNT(*) AS n FROM teacher WHERE countyId = ?', [lanshan]);
    const [{ n: staff }] = await t.db.query(
      `SELECT COUNT(*) AS n FROM user_account WHERE role = 'COUNTY_ADMIN' AND active = ? AND organisationId = ? AND username <> 'notice_lanshan'`,
      [1, lanshan],
    );
    expect(own.recipients).toBe(Number(teachers) + Number(staff));
    expect((await ok(as(trainee.N.token!).get(`/api/v1/announcements/${own.id}`))).addressed).toBe(true);
  });

  it('refuses bad input in Chinese, with codes', async () => {
    const tries: [string, object, number, string][] = [
      [admin, { title: '无对象', body: '正文', audience: {} }, 400, 'VALIDATION_FAILED'],
      [admin, { title: '', body: '正文', audience: { cohortId: cohort } }, 400, 'VALIDATION_FAILED'],
      [
        admin,
        { title: '错班', body: '正文', audience: { programId: program + 1000, cohortId: cohort } },
        404,
        'NOT_FOUND',
      ],
      [admin, { title: '无县', body: '正文', audience: { countyIds: [999999] } }, 400, 'VALIDATION_FAILED'],
      [trainee.A1.token!, { title: '教师', body: '正文', audience: { cohortId: cohort } }, 403, 'FORBIDDEN'],
    ];
    for (const [token, body, status, code] of tries) {
      const res = await as(token).post('/api/v1/announcements', body);
      expect([res.status, res.body.code]).toEqual([status, code]);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const empty = await ok(
      as(admin).post(`/api/v1/programs/${program}/cohorts`, {
        name: '空班',
        capacity: 10,
        startDate: '2026-07-15',
        endDate: '2026-07-16',
        venue: '临沂大学',
      }),
    );
    const nobody = await as(admin).post('/api/v1/announcements', {
      title: '空',
      body: '正文',
      audience: { cohortId: empty.id },
    });
    expect([nobody.status, nobody.body.code]).toEqual([409, 'ANNOUNCEMENT_NO_RECIPIENTS']);
    // A program with one of its cohorts: the cohort.
    const matching = await as(admin).post('/api/v1/announcements', {
      title: '错配',
      body: '正文',
      audience: { programId: program, cohortId: cohort },
    });
    expect(matching.status).toBe(201);
  });

  it('takes PDF, Office and image files by content, up to 10 MB, and serves them to readers only', async () => {
    const posted = await ok(
      as(admin).post('/api/v1/announcements', { title: '带附件', body: '见附件', audience: { cohortId: cohort } }),
    );
    const upload = (token: string, content: Buffer, filename: string) =>
      t.http
        .post(`/api/v1/announcements/${posted.id}/attachments`)
        .auth(token, { type: 'bearer' })
        .attach('file', content, { filename, contentType: 'application/octet-stream' });
    const pdf = Buffer.from('%PDF-1.4\n% 报到须知\n');
    const sheet = await xlsx([
      ['姓名', '学校'],
      ['张三', '兰山区通知小学'],
    ]);
    expect((await upload(admin, pdf, '报到须知.pdf')).status).toBe(200);
    const withSheet = await upload(admin, sheet, '名单.xlsx');
    expect(withSheet.status).toBe(200);
    expect(withSheet.body.attachments.map((a: any) => a.contentType)).toEqual([
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    const exe = await upload(admin, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]), '通知.pdf');
    expect([exe.status, exe.body.code]).toEqual([400, 'ATTACHMENT_INVALID']);
    const zip = await upload(admin, Buffer.from('PK\u0003\u0004not an office file'), '通知.docx');
    expect(zip.status).toBe(400);
    const big = await upload(admin, Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]), '大.pdf');
    expect([big.status, big.body.code]).toEqual([413, 'ATTACHMENT_TOO_LARGE']);
    // Not its author: a county (404, cannot see it) and a recipient (403 by role).
    expect((await upload(countyA, pdf, 'x.pdf')).status).toBe(404);
    expect((await upload(trainee.A1.token!, pdf, 'x.pdf')).status).toBe(403);

    const [first] = withSheet.body.attachments;
    const got = await t.http
      .get(`/api/v1/announcements/${posted.id}/attachments/${first.id}`)
      .auth(trainee.B1.token!, { type: 'bearer' })
      .buffer(true)
      .parse(binary);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toContain('application/pdf');
    expect(Buffer.compare(got.body, pdf)).toBe(0);
    expect((await as(trainee.A3.token!).get(`/api/v1/announcements/${posted.id}/attachments/${first.id}`)).status).toBe(
      404,
    );
  });
});

describe('announcements: answers as the OpenAPI document says', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('matches the documented schemas (author and reader views, list, read, upload)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv').default;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addFormats = require('ajv-formats').default;
    t = await startTestApp();
    const admin = await adminToken(t.http);
    const lanshan = await countyIdByCode(t.db, '371302');
    const school = await createSchool(t.http, admin, lanshan, '兰山区契约小学');
    const teacherId = await createTeacher(t.http, admin, school, 19_601);
    const reader = (await account(t.http, admin, { username: makePhone(19_601), role: 'TEACHER', teacherId })).token;

    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const conforms = (path: string, method: string, status: number, body: unknown) => {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      const schema = op.responses[String(status)]?.content?.['application/json']?.schema;
      expect(schema).toBeDefined();
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components')));
      if (!validate(body)) throw new Error(`${method} ${path} ${status}: ${JSON.stringify(validate.errors)}`);
    };

    const posted = await t.http
      .post('/api/v1/announcements')
      .auth(admin, { type: 'bearer' })
      .send({ title: '契约通知', body: '正文', audience: { countyIds: [lanshan] } })
      .expect(201);
    conforms('/api/v1/announcements', 'post', 201, posted.body);
    expect(posted.body.unread.length).toBeGreaterThan(0);
    const id = posted.body.id;
    const upload = await t.http
      .post(`/api/v1/announcements/${id}/attachments`)
      .auth(admin, { type: 'bearer' })
      .attach('file', Buffer.from('%PDF-1.4\n'), '须知.pdf')
      .expect(200);
    conforms('/api/v1/announcements/{id}/attachments', 'post', 200, upload.body);
    for (const token of [admin, reader]) {
      conforms(
        '/api/v1/announcements',
        'get',
        200,
        (await t.http.get('/api/v1/announcements').auth(token, { type: 'bearer' }).expect(200)).body,
      );
      conforms(
        '/api/v1/announcements/{id}',
        'get',
        200,
        (await t.http.get(`/api/v1/announcements/${id}`).auth(token, { type: 'bearer' }).expect(200)).body,
      );
      conforms(
        '/api/v1/announcements/{id}/read',
        'post',
        200,
        (await t.http.post(`/api/v1/announcements/${id}/read`).auth(token, { type: 'bearer' }).expect(200)).body,
      );
    }
    // The timetable is documented as a PDF.
    expect(Object.keys(doc.paths['/api/v1/cohorts/{id}/timetable.pdf'].get.responses['200'].content)).toEqual([
      'application/pdf',
    ]);
  });
});
