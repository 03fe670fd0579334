/**
 * 训后评价 (issue 19 §1, spec §15) over HTTP on the real database: the owner's form (own questions or
 * the default template), each trainee's one anonymous answer, results from 5 responses with the open
 * answers for the owner only, the trainers' view, other counties and teachers kept out, per-lecturer
 * results and the xlsx export.
 */
import * as ExcelJS from 'exceljs';
import { account } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { insertCohort, insertEnrolment, insertProgram, insertSession } from './support/survey-fixtures';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(180_000);

describe('evaluation (训后评价)', () => {
  let t: TestApp;
  let city: string;
  let countyA: string;
  let countyB: string;
  let trainer: { id: number; token: string };
  let otherTrainer: { id: number; token: string };
  let lecturer: { id: number; token: string };
  let programId: number;
  let cohortId: number;
  let sessionId: number;
  const trainees: { teacherId: number; enrolmentId: number; token: string }[] = [];
  let outsider: string;

  const api = (token: string | null, method: 'get' | 'put' | 'post', path: string, body?: object) => {
    let req = t.http[method](path);
    if (token) req = req.auth(token, { type: 'bearer' });
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    t = await startTestApp();
    city = await adminToken(t.http);
    const a = await countyIdByCode(t.db, '371302');
    const b = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, city, a, 'sv_county_a');
    countyB = await countyAdmin(t.http, city, b, 'sv_county_b');
    trainer = await account(t.http, city, { username: 'sv_trainer', role: 'TRAINER', displayName: '班主任甲' });
    otherTrainer = await account(t.http, city, { username: 'sv_trainer2', role: 'TRAINER', displayName: '乙' });
    lecturer = await account(t.http, city, { username: 'sv_lecturer', role: 'TRAINER', displayName: '王专家' });
    const school = await createSchool(t.http, countyA, a, '评价兰山小学');
    // A county A thematic program: county A owns it, county B does not.
    programId = await insertProgram(t.db, { org: a, county: a }, '兰山区2019年班主任专题培训');
    cohortId = await insertCohort(t.db, programId, '一班', { trainerUserId: trainer.id });
    sessionId = await insertSession(t.db, cohortId, '班级管理的艺术', lecturer.id);
    for (let n = 1; n <= 7; n++) {
      const teacherId = await createTeacher(t.http, countyA, school, 190_000 + n);
      const enrolmentId = await insertEnrolment(t.db, programId, cohortId, teacherId);
      const acc = await account(t.http, countyA, { username: makePhone(190_000 + n), role: 'TEACHER', teacherId });
      trainees.push({ teacherId, enrolmentId, token: acc.token });
    }
    const otherId = await createTeacher(t.http, countyA, school, 190_100);
    outsider = (await account(t.http, countyA, { username: makePhone(190_100), role: 'TEACHER', teacherId: otherId }))
      .token;
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  let questions: { id: number; kind: string; sessionId: number | null }[];

  it('gives the default template with the usual 国培 items', async () => {
    const res = await api(countyA, 'get', '/api/v1/survey-templates/default').expect(200);
    const texts = res.body.questions.map((q: { text: string }) => q.text);
    expect(texts).toContain('对本次培训的总体满意度');
    expect(res.body.questions.some((q: { kind: string }) => q.kind === 'TEXT')).toBe(true);
  });

  it('lets only the owner set the form; the default template adds one rating per session', async () => {
    await api(countyB, 'put', `/api/v1/cohorts/${cohortId}/survey`, { template: 'DEFAULT' }).expect(404);
    await api(trainer.token, 'put', `/api/v1/cohorts/${cohortId}/survey`, { template: 'DEFAULT' }).expect(403);
    const bad = await api(countyA, 'put', `/api/v1/cohorts/${cohortId}/survey`, {
      questions: [{ kind: 'RATING', text: '别班课次', sessionId: 999_999 }],
    }).expect(400);
    expect(bad.body.code).toBe('SURVEY_SESSION_INVALID');
    await api(countyA, 'put', `/api/v1/cohorts/${cohortId}/survey`, {
      questions: [{ kind: 'STARS', text: 'x' }],
    }).expect(400);
    const byTemplate = await api(countyA, 'put', `/api/v1/cohorts/${cohortId}/survey`, { template: 'DEFAULT' }).expect(
      200,
    );
    const perSession = byTemplate.body.questions.filter((q: { sessionId: number | null }) => q.sessionId === sessionId);
    expect(perSession).toEqual([
      expect.objectContaining({ kind: 'RATING', sessionTitle: '班级管理的艺术', lecturerName: '王专家' }),
    ]);
    // The owner's own short form replaces it.
    const own = await api(countyA, 'put', `/api/v1/cohorts/${cohortId}/survey`, {
      questions: [
        { kind: 'RATING', text: '总体满意度' },
        { kind: 'RATING', text: '《班级管理的艺术》授课效果', sessionId },
        { kind: 'TEXT', text: '意见和建议' },
      ],
    }).expect(200);
    questions = own.body.questions;
    expect(questions.map((q) => q.kind)).toEqual(['RATING', 'RATING', 'TEXT']);
    const seen = await api(trainees[0].token, 'get', `/api/v1/cohorts/${cohortId}/survey`).expect(200);
    expect(seen.body).toMatchObject({ cohortId, answered: false, responses: 0, opensOn: '2019-07-12' });
    await api(outsider, 'get', `/api/v1/cohorts/${cohortId}/survey`).expect(404);
  });

  const answersOf = (i: number) => ({
    answers: [
      { questionId: questions[0].id, rating: 5 - (i % 2) },
      { questionId: questions[1].id, rating: i < 2 ? 3 : 5 },
      ...(i < 3 ? [{ questionId: questions[2].id, text: `建议${i}：多安排观摩课` }] : []),
    ],
  });

  it("takes each trainee's answer once (409 after), checks the answers, and keeps others out", async () => {
    const missing = await api(trainees[0].token, 'post', `/api/v1/cohorts/${cohortId}/survey/responses`, {
      answers: [{ questionId: questions[0].id, rating: 5 }],
    }).expect(400);
    expect(missing.body.code).toBe('SURVEY_ANSWER_INVALID');
    await api(trainees[0].token, 'post', `/api/v1/cohorts/${cohortId}/survey/responses`, {
      answers: [{ questionId: questions[0].id, rating: 6 }],
    }).expect(400);
    await api(outsider, 'post', `/api/v1/cohorts/${cohortId}/survey/responses`, answersOf(0)).expect(404);
    await api(countyA, 'post', `/api/v1/cohorts/${cohortId}/survey/responses`, answersOf(0)).expect(403);

    for (let i = 0; i < 4; i++)
      await api(trainees[i].token, 'post', `/api/v1/cohorts/${cohortId}/survey/responses`, answersOf(i)).expect(201);
    const again = await api(
      trainees[0].token,
      'post',
      `/api/v1/cohorts/${cohortId}/survey/responses`,
      answersOf(0),
    ).expect(409);
    expect(again.body).toMatchObject({ code: 'SURVEY_ANSWERED' });
    expect(again.body.message).toMatch(/只能提交一次/);
    const seen = await api(trainees[0].token, 'get', `/api/v1/cohorts/${cohortId}/survey`).expect(200);
    expect(seen.body.answered).toBe(true);
    // The form is fixed once answered.
    const locked = await api(countyA, 'put', `/api/v1/cohorts/${cohortId}/survey`, { template: 'DEFAULT' }).expect(409);
    expect(locked.body.code).toBe('SURVEY_HAS_RESPONSES');
  });

  it('shows nothing below 5 responses, and says so', async () => {
    const res = await api(countyA, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(200);
    expect(res.body).toMatchObject({ responses: 4, trainees: 7, shown: false, minResponses: 5 });
    expect(res.body.note).toMatch(/不足 5 份/);
    for (const q of res.body.questions) {
      expect(q.mean).toBeNull();
      expect(q.counts).toBeNull();
      expect(q.texts).toBeUndefined();
    }
  });

  it('keeps no link from a response to its trainee: only a "has answered" row', async () => {
    await api(trainees[4].token, 'post', `/api/v1/cohorts/${cohortId}/survey/responses`, answersOf(4)).expect(201);
    const columns = async (table: string) => Object.keys((await t.db.query(`SELECT * FROM ${table}`))[0] ?? {}).sort();
    expect(await columns('survey_response')).toEqual(['answeredOn', 'cohortId', 'id']);
    expect(await columns('survey_answer')).toEqual(['questionId', 'rating', 'responseId', 'text']);
    expect(await columns('survey_respondent')).toEqual(['cohortId', 'enrolmentId']);
    const responses: { id: string; answeredOn: string | Date }[] = await t.db.query(`SELECT * FROM survey_response`);
    expect(responses).toHaveLength(5);
    // A random id (no order of arrival) and a date column (no time of day to line up with who was seen answering when).
    for (const r of responses) expect(r.id).toMatch(/^[0-9a-f]{32}$/);
    expect(t.db.getMetadata('survey_response').findColumnWithPropertyName('answeredOn')!.type).toBe('date');
    const respondents: { enrolmentId: number }[] = await t.db.query(`SELECT * FROM survey_respondent`);
    expect(respondents.map((r) => Number(r.enrolmentId)).sort()).toEqual(
      trainees
        .slice(0, 5)
        .map((x) => x.enrolmentId)
        .sort(),
    );
    // No audit line and no event names the answer: either would say who answered when.
    const audited = await t.db.query(
      `SELECT COUNT(*) AS n FROM audit_entry WHERE entity LIKE 'survey%' AND action <> 'update'`,
    );
    expect(Number(audited[0].n)).toBe(0);
    const events = await t.db.query(`SELECT COUNT(*) AS n FROM domain_event WHERE entity LIKE 'survey%'`);
    expect(Number(events[0].n)).toBe(0);
  });

  it('gives the owner mean, distribution, count, rate and the open answers from 5 responses', async () => {
    const res = await api(countyA, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(200);
    expect(res.body).toMatchObject({ responses: 5, trainees: 7, responseRate: 0.71, shown: true, note: null });
    const [overall, session, open] = res.body.questions;
    expect(overall).toMatchObject({ count: 5, counts: [0, 0, 0, 2, 3], mean: 4.6 });
    expect(session).toMatchObject({ count: 5, counts: [0, 0, 2, 0, 3], mean: 4.2, lecturerName: '王专家' });
    expect(open.texts).toEqual(['建议0：多安排观摩课', '建议1：多安排观摩课', '建议2：多安排观摩课']);
    expect(open).toMatchObject({ count: 3, mean: null, counts: null });
  });

  it("gives the cohort's trainers the figures without the open answers; keeps the others out", async () => {
    const res = await api(trainer.token, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(200);
    expect(res.body.questions[0].mean).toBe(4.6);
    expect(res.body.questions[2].texts).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('观摩课');
    await api(otherTrainer.token, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(404);
    await api(countyB, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(404);
    await api(trainees[0].token, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(403);
    await api(null, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(401);
    await api(city, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(200);
  });

  it('sums each lecturer across cohorts for the office, scoped to its programs', async () => {
    const res = await api(city, 'get', '/api/v1/survey/lecturers?year=2019').expect(200);
    expect(res.body.items).toEqual([
      { trainerId: lecturer.id, name: '王专家', cohorts: 1, count: 5, mean: 4.2, counts: [0, 0, 2, 0, 3] },
    ]);
    expect((await api(countyA, 'get', '/api/v1/survey/lecturers?year=2019').expect(200)).body.items).toHaveLength(1);
    expect((await api(countyB, 'get', '/api/v1/survey/lecturers?year=2019').expect(200)).body.items).toEqual([]);
    expect((await api(city, 'get', '/api/v1/survey/lecturers?year=2020').expect(200)).body.items).toEqual([]);
    await api(city, 'get', '/api/v1/survey/lecturers?year=abc').expect(400);
    await api(trainer.token, 'get', '/api/v1/survey/lecturers?year=2019').expect(403);
  });

  async function workbook(token: string): Promise<ExcelJS.Workbook> {
    const res = await api(token, 'get', `/api/v1/cohorts/${cohortId}/survey/results.xlsx`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    return wb;
  }

  it("exports the results as xlsx: the open answers only in the owner's file", async () => {
    const owner = await workbook(countyA);
    const sheet = owner.getWorksheet('评价结果')!;
    expect(sheet.getRow(4).values).toEqual([undefined, 1, '总体满意度', '评分', undefined, 5, 4.6, 0, 0, 0, 2, 3]);
    expect(String(sheet.getCell(2, 1).value)).toContain('评价 5 份，本班学员 7 人');
    expect(owner.getWorksheet('开放题回答')!.rowCount).toBe(4);
    const theirs = await workbook(trainer.token);
    expect(theirs.getWorksheet('开放题回答')).toBeUndefined();
    await api(countyB, 'get', `/api/v1/cohorts/${cohortId}/survey/results.xlsx`).expect(404);
  });

  it('refuses an answer before the cohort has ended', async () => {
    const [{ ownerCountyId }] = await t.db.query(`SELECT ownerCountyId FROM program WHERE id = ?`, [programId]);
    const next = await insertProgram(t.db, { org: Number(ownerCountyId), county: Number(ownerCountyId) }, '兰山区二期');
    const later = await insertCohort(t.db, next, '二期一班', { endDate: '2099-07-12' });
    const enrolmentId = await insertEnrolment(t.db, next, later, trainees[6].teacherId);
    expect(enrolmentId).toBeGreaterThan(0);
    await api(countyA, 'put', `/api/v1/cohorts/${later}/survey`, { template: 'DEFAULT' }).expect(200);
    const res = await api(trainees[6].token, 'post', `/api/v1/cohorts/${later}/survey/responses`, {
      answers: [],
    }).expect(409);
    expect(res.body.code).toBe('SURVEY_NOT_OPEN');
  });

  describe('OpenAPI contract', () => {
    type Schema = {
      $ref?: string;
      type?: string;
      items?: Schema;
      properties?: Record<string, Schema>;
      required?: string[];
      nullable?: boolean;
      enum?: unknown[];
    };
    let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
    const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);

    /** The body has exactly the documented properties (required ones present, none undocumented), recursively. */
    function conforms(value: unknown, schema: Schema, at: string): void {
      const s = resolve(schema);
      if (value === null) return expect({ at, nullable: !!s.nullable || !s.type }).toEqual({ at, nullable: true });
      if (s.enum) expect(s.enum).toContain(value);
      if (s.type === 'array' || Array.isArray(value)) {
        expect({ at, isArray: Array.isArray(value) }).toEqual({ at, isArray: true });
        (value as unknown[]).forEach((v, i) => conforms(v, s.items ?? {}, `${at}[${i}]`));
        return;
      }
      if (s.properties) {
        const keys = Object.keys(value as object);
        expect({ at, undocumented: keys.filter((k) => !(k in s.properties!)) }).toEqual({ at, undocumented: [] });
        expect({ at, missing: (s.required ?? []).filter((k) => !keys.includes(k)) }).toEqual({ at, missing: [] });
        for (const k of keys) conforms((value as Record<string, unknown>)[k], s.properties[k], `${at}.${k}`);
        return;
      }
      if (s.type === 'number' || s.type === 'integer') expect(typeof value).toBe('number');
      if (s.type === 'string') expect(typeof value).toBe('string');
      if (s.type === 'boolean') expect(typeof value).toBe('boolean');
    }
    const schemaOf = (path: string, method: string, status: number): Schema =>
      doc.paths[path][method].responses[String(status)].content['application/json'].schema;

    beforeAll(async () => {
      doc = (await t.http.get('/api/docs-json').expect(200)).body;
    });

    it('documents the spec §15 routes, and every answer matches its documented schema', async () => {
      for (const [path, method] of [
        ['/api/v1/cohorts/{id}/survey', 'put'],
        ['/api/v1/cohorts/{id}/survey', 'get'],
        ['/api/v1/cohorts/{id}/survey/responses', 'post'],
        ['/api/v1/cohorts/{id}/survey/results', 'get'],
        ['/api/v1/cohorts/{id}/survey/results.xlsx', 'get'],
        ['/api/v1/survey/lecturers', 'get'],
        ['/api/v1/survey-templates/default', 'get'],
      ])
        expect(doc.paths[path]?.[method]).toBeDefined();
      const p = '/api/v1/cohorts/{id}/survey';
      conforms(
        (await api(countyA, 'get', `/api/v1/cohorts/${cohortId}/survey`).expect(200)).body,
        schemaOf(p, 'get', 200),
        'survey',
      );
      conforms(
        (await api(trainees[0].token, 'get', `/api/v1/cohorts/${cohortId}/survey`).expect(200)).body,
        schemaOf(p, 'get', 200),
        'survey(teacher)',
      );
      const results = schemaOf(`${p}/results`, 'get', 200);
      conforms(
        (await api(countyA, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(200)).body,
        results,
        'results(owner)',
      );
      conforms(
        (await api(trainer.token, 'get', `/api/v1/cohorts/${cohortId}/survey/results`).expect(200)).body,
        results,
        'results(trainer)',
      );
      conforms(
        (await api(city, 'get', '/api/v1/survey/lecturers?year=2019').expect(200)).body,
        schemaOf('/api/v1/survey/lecturers', 'get', 200),
        'lecturers',
      );
      conforms(
        (await api(city, 'get', '/api/v1/survey-templates/default').expect(200)).body,
        schemaOf('/api/v1/survey-templates/default', 'get', 200),
        'template',
      );
    });
  });
});
