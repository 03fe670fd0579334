/**
 * Certificates (issue 6, spec §6): issuing for completed enrolments, gapless numbers, PDFs read back
 * with poppler (pdftotext, pdffonts, pdftoppm) and the QR decoded with jsQR, public verification,
 * revocation, registers. Runs on SQLite and (TEST_DATABASE_URL=mysql://…) MariaDB/MySQL.
 *
 * Programs, cohorts and COMPLETED enrolments are inserted directly (`seed*` below): completion is the
 * attendance module's job, and this suite is about what happens after it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  login,
  makeIdNumber,
  makePhone,
} from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { CRASH_TASK } from './support/worker-fixtures.task';
import { Certificate, CertificatePrinter, CertificateRenderer, toCertificateView } from '@shipei/certificates';
import { WorkerPool } from '@shipei/core';

type Req = request.Test;
const bearer = (token: string) => (r: Req) => r.auth(token, { type: 'bearer' });
/** Collects any body as bytes (PDF, xlsx). */
const binary = (r: Req) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

interface ProgramSeed {
  ownerOrganisationId: number;
  ownerCountyId?: number | null;
  kind?: string;
  title?: string;
  prefix?: string;
  year?: number;
  creditHours?: number;
  template?: string | null;
}

async function seedProgram(db: DataSource, p: ProgramSeed): Promise<number> {
  const now = new Date();
  const res = await db
    .createQueryBuilder()
    .insert()
    .into('program')
    .values({
      kind: p.kind ?? 'BACKBONE_SUMMER',
      year: p.year ?? 2019,
      title: p.title ?? '2019年临沂市贫困村学校骨干教师暑期培训',
      ownerOrganisationId: p.ownerOrganisationId,
      ownerCountyId: p.ownerCountyId ?? null,
      seats: 400,
      approvedCount: 0,
      creditHours: p.creditHours ?? 48,
      attendanceThreshold: 0.8,
      lateGraceMinutes: 15,
      status: 'RUNNING',
      requirePovertyVillage: true,
      stages: '',
      subjects: '',
      certificatePrefix: p.prefix ?? 'LYGG',
      certificateTemplate: p.template ?? null,
      certificateSeq: 0,
      startDate: '2019-07-01',
      endDate: '2019-08-15',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return Number(res.identifiers[0].id);
}

async function seedCohort(
  db: DataSource,
  programId: number,
  name: string,
  trainerUserIds: number[] = [],
): Promise<number> {
  const now = new Date();
  const res = await db
    .createQueryBuilder()
    .insert()
    .into('cohort')
    .values({
      programId,
      name,
      capacity: 50,
      assignedCount: 0,
      startDate: '2019-07-08',
      endDate: '2019-07-17',
      venue: '临沂大学',
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  const cohortId = Number(res.identifiers[0].id);
  for (const userId of trainerUserIds)
    await db.createQueryBuilder().insert().into('cohort_trainer').values({ cohortId, userId, head: false }).execute();
  return cohortId;
}

async function seedEnrolment(
  db: DataSource,
  programId: number,
  cohortId: number | null,
  teacherId: number,
  status = 'COMPLETED',
): Promise<number> {
  const [teacher] = await db.query(`SELECT countyId FROM teacher WHERE id = ?`, [teacherId]);
  const [program] = await db.query(`SELECT creditHours FROM program WHERE id = ?`, [programId]);
  const now = new Date();
  const res = await db
    .createQueryBuilder()
    .insert()
    .into('enrolment')
    .values({
      programId,
      teacherId,
      countyId: Number(teacher.countyId),
      status,
      cohortId,
      attendedHours: status === 'COMPLETED' ? 46 : null,
      attendanceRate: status === 'COMPLETED' ? 0.9583 : null,
      creditHours: status === 'COMPLETED' ? Number(program.creditHours) : null,
      createdAt: now,
      updatedAt: now,
      completedAt: status === 'COMPLETED' ? now : null,
    })
    .execute();
  return Number(res.identifiers[0].id);
}

/** A TRAINER account with its one-time password already changed; returns [userId, token]. */
async function trainer(t: TestApp, admin: string, username: string): Promise<[number, string]> {
  const created = await bearer(admin)(t.http.post('/api/v1/users'))
    .send({ username, password: 'Once12345', role: 'TRAINER' })
    .expect(201);
  const first = await login(t.http, username, 'Once12345');
  const changed = await bearer(first)(t.http.post('/api/v1/auth/password'))
    .send({ currentPassword: 'Once12345', newPassword: 'Trainer1234' })
    .expect(200);
  return [created.body.id, changed.body.accessToken];
}

/** A TEACHER account for a teacher (created by its county), password changed; returns the token. */
async function teacherAccount(t: TestApp, county: string, teacherId: number, n: number): Promise<string> {
  await bearer(county)(t.http.post('/api/v1/users'))
    .send({ username: makePhone(n), password: 'Once12345', role: 'TEACHER', teacherId })
    .expect(201);
  const first = await login(t.http, makePhone(n), 'Once12345');
  const changed = await bearer(first)(t.http.post('/api/v1/auth/password'))
    .send({ currentPassword: 'Once12345', newPassword: 'Teacher1234' })
    .expect(200);
  return changed.body.accessToken;
}

// Also when run together with unit specs (jest's per-project testTimeout then does not apply), and on a busy machine.
jest.setTimeout(120_000);

describe('certificates', () => {
  let t: TestApp;
  let dir: string;
  let admin: string;
  let lanshan: number;
  let luozhuang: number;
  let countyA: string;
  let countyB: string;
  let schoolA: number;
  let schoolB: number;
  let cityOrg: number;
  let trainerId: number;
  let trainerToken: string;
  let otherTrainerToken: string;

  // City program, cohort 1 (the trainer's) with 5 completed + 1 confirmed teachers.
  let programId: number;
  let cohortId: number;
  const teacherIds: number[] = [];
  const enrolmentIds: number[] = [];
  let confirmedEnrolment: number;
  let selfToken: string; // the teacher of teacherIds[0]
  let strangerToken: string; // a teacher of the same county without a certificate

  let serial = 61_000;

  const save = (pdf: Buffer, name: string) => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    return file;
  };
  const textOf = (file: string) =>
    execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  const pagesOf = (file: string) =>
    (execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).match(/\f/g) ?? []).length;

  beforeAll(async () => {
    for (const tool of ['pdftotext', 'pdffonts', 'pdftoppm']) execFileSync(tool, ['-v'], { stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'certificates-e2e-'));
    t = await startTestApp({ TRUSTED_PROXIES: 'loopback' });
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    [{ id: cityOrg }] = await t.db.query(`SELECT id FROM organisation WHERE type = 'CITY'`);
    cityOrg = Number(cityOrg);
    countyA = await countyAdmin(t.http, admin, lanshan, 'cert_lanshan');
    countyB = await countyAdmin(t.http, admin, luozhuang, 'cert_luozhuang');
    schoolA = await createSchool(t.http, countyA, lanshan, '兰山区李官镇中心小学');
    schoolB = await createSchool(t.http, countyB, luozhuang, '罗庄区册山街道中学');
    [trainerId, trainerToken] = await trainer(t, admin, 'cert_trainer');
    [, otherTrainerToken] = await trainer(t, admin, 'cert_trainer2');

    programId = await seedProgram(t.db, { ownerOrganisationId: cityOrg });
    cohortId = await seedCohort(t.db, programId, '第一期', [trainerId]);
    const names = ['欧阳明远', '王秀英', '李建国', '张海燕', '刘子涵'];
    for (let i = 0; i < names.length; i++) {
      const id = await createTeacher(t.http, admin, i % 2 ? schoolB : schoolA, ++serial, { name: names[i] });
      teacherIds.push(id);
      enrolmentIds.push(await seedEnrolment(t.db, programId, cohortId, id));
    }
    const unfinished = await createTeacher(t.http, admin, schoolA, ++serial, { name: '赵未结' });
    confirmedEnrolment = await seedEnrolment(t.db, programId, cohortId, unfinished, 'CONFIRMED');
    selfToken = await teacherAccount(t, countyA, teacherIds[0], serial - 5);
    strangerToken = await teacherAccount(t, countyA, unfinished, serial);
  });

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('issuing', () => {
    it('refuses an enrolment that is not completed (409 NOT_COMPLETED) and writes nothing', async () => {
      const res = await bearer(admin)(t.http.post(`/api/v1/enrolments/${confirmedEnrolment}/certificate`)).expect(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'NOT_COMPLETED', message: expect.stringMatching(/尚未结业/) });
      const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM certificate`);
      expect(Number(n)).toBe(0);
      const [{ seq }] = await t.db.query(`SELECT certificateSeq AS seq FROM program WHERE id = ?`, [programId]);
      expect(Number(seq)).toBe(0);
    });

    it('issues one certificate with the program number and an unguessable code; issuing again returns it', async () => {
      const first = await bearer(admin)(t.http.post(`/api/v1/enrolments/${enrolmentIds[0]}/certificate`)).expect(201);
      expect(first.body).toEqual({
        id: expect.any(Number),
        number: 'LYGG2019-0001',
        verificationCode: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        status: 'VALID',
      });
      const again = await bearer(admin)(t.http.post(`/api/v1/enrolments/${enrolmentIds[0]}/certificate`)).expect(200);
      expect(again.body).toEqual(first.body);
    });

    it('issues the rest of the cohort in one call, numbered without gaps, skipping the unfinished', async () => {
      const res = await bearer(trainerToken)(t.http.post(`/api/v1/cohorts/${cohortId}/certificates`)).expect(201);
      expect(res.body).toHaveLength(5);
      expect(res.body.map((c: { number: string }) => c.number)).toEqual([
        'LYGG2019-0001',
        'LYGG2019-0002',
        'LYGG2019-0003',
        'LYGG2019-0004',
        'LYGG2019-0005',
      ]);
      for (const c of res.body) expect(Object.keys(c).sort()).toEqual(['id', 'number', 'status', 'verificationCode']);
      expect(new Set(res.body.map((c: { verificationCode: string }) => c.verificationCode)).size).toBe(5);
      const again = await bearer(admin)(t.http.post(`/api/v1/cohorts/${cohortId}/certificates`)).expect(200);
      expect(again.body).toEqual(res.body);
      const [{ seq }] = await t.db.query(`SELECT certificateSeq AS seq FROM program WHERE id = ?`, [programId]);
      expect(Number(seq)).toBe(5);
      const audit = await t.db.query(
        `SELECT COUNT(*) AS n FROM audit_entry WHERE entity = 'certificate' AND action = 'issue'`,
      );
      expect(Number(audit[0].n)).toBe(5);
    });

    it('lets only the owner and the cohort trainers issue', async () => {
      const post = (token: string) => bearer(token)(t.http.post(`/api/v1/enrolments/${enrolmentIds[1]}/certificate`));
      expect((await post(selfToken)).status).toBe(403); // teachers: role
      expect((await post(otherTrainerToken)).status).toBe(404); // not its cohort
      expect((await post(countyA)).status).toBe(404); // a county B teacher's enrolment
      expect((await post(countyB)).status).toBe(403); // reads its teacher's enrolment, does not own the program
      await bearer(countyA)(t.http.post(`/api/v1/cohorts/${cohortId}/certificates`)).expect(403);
      await bearer(otherTrainerToken)(t.http.post(`/api/v1/cohorts/${cohortId}/certificates`)).expect(404);
      await t.http.post(`/api/v1/cohorts/${cohortId}/certificates`).expect(401);
    });

    it('answers 409 for a cohort without completed trainees and 404 for unknown ids', async () => {
      const empty = await seedCohort(t.db, programId, '第二期');
      const res = await bearer(admin)(t.http.post(`/api/v1/cohorts/${empty}/certificates`)).expect(409);
      expect(res.body.code).toBe('NOT_COMPLETED');
      await bearer(admin)(t.http.post('/api/v1/cohorts/999999/certificates')).expect(404);
      await bearer(admin)(t.http.post('/api/v1/enrolments/999999/certificate')).expect(404);
      await bearer(admin)(t.http.post('/api/v1/enrolments/abc/certificate')).expect(400);
    });
  });

  describe('PDF', () => {
    let certId: number;
    let code: string;

    beforeAll(async () => {
      const [row] = await t.db.query(`SELECT id, verificationCode FROM certificate WHERE number = 'LYGG2019-0001'`);
      certId = Number(row.id);
      code = row.verificationCode;
    });

    it("lists the holder's own certificate only, with its verification address and no ID number", async () => {
      const list = await bearer(selfToken)(t.http.get('/api/v1/certificates')).expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({
        id: certId,
        holderName: '欧阳明远',
        number: 'LYGG2019-0001',
        verifyUrl: `http://shipei.test/verify/${code}`,
      });
      expect(JSON.stringify(list.body)).not.toContain(makeIdNumber(serial - 5));
      expect(JSON.stringify(list.body)).not.toContain(makePhone(serial - 5));
    });

    it('gives the holder their certificate: Chinese text, the CJK font as a subset, a QR code to the verification page', async () => {
      const res = await binary(bearer(selfToken)(t.http.get(`/api/v1/certificates/${certId}/pdf`))).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(
        `inline; filename="____-LYGG2019-0001.pdf"; filename*=UTF-8''${encodeURIComponent('结业证书-LYGG2019-0001.pdf')}`,
      );
      const file = save(res.body, 'own');
      const text = textOf(file);
      expect(text).toContain('欧阳明远');
      expect(text).toContain('2019年临沂市贫困村学校骨干教师暑期培训');
      expect(text).toContain('LYGG2019-0001');
      expect(text).toContain('48学时');
      expect(text).toContain('兰山区李官镇中心小学');
      expect(text).toContain('临沂市教育局');
      expect(text).not.toMatch(/\d{17}[\dX]/);
      expect(pagesOf(file)).toBe(1);

      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const row of fonts) {
        const [name, , , , emb, sub] = row.trim().split(/\s+/);
        expect(name).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)$/);
        expect([emb, sub]).toEqual(['yes', 'yes']);
      }

      // The bottom-right quarter of the page at 150 dpi holds the whole code.
      const prefix = join(dir, 'qr');
      execFileSync('pdftoppm', [
        '-r',
        '150',
        '-png',
        '-gray',
        '-x',
        '877',
        '-y',
        '620',
        '-W',
        '877',
        '-H',
        '621',
        '-singlefile',
        file,
        prefix,
      ]);
      const png = PNG.sync.read(readFileSync(`${prefix}.png`));
      const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' });
      expect(qr?.data).toBe(`${t.config.publicBaseUrl}/verify/${code}`);
    });

    it('re-prints the same certificate byte for byte, even after the records change', async () => {
      const before = (await binary(bearer(admin)(t.http.get(`/api/v1/certificates/${certId}/pdf`))).expect(200))
        .body as Buffer;
      await bearer(admin)(t.http.patch(`/api/v1/teachers/${teacherIds[0]}`))
        .send({ name: '欧阳改名' })
        .expect(200);
      await t.db.query(`UPDATE organisation SET name = '改名后的学校' WHERE id = ?`, [schoolA]);
      await t.db.query(`UPDATE program SET title = '改名后的项目', creditHours = 12 WHERE id = ?`, [programId]);
      try {
        const after = (await binary(bearer(selfToken)(t.http.get(`/api/v1/certificates/${certId}/pdf`))).expect(200))
          .body as Buffer;
        expect(after.equals(before)).toBe(true);
        const text = textOf(save(after, 'reprint'));
        expect(text).toContain('欧阳明远');
        expect(text).toContain('兰山区李官镇中心小学');
        expect(text).not.toContain('改名');
      } finally {
        await bearer(admin)(t.http.patch(`/api/v1/teachers/${teacherIds[0]}`))
          .send({ name: '欧阳明远' })
          .expect(200);
        await t.db.query(`UPDATE organisation SET name = '兰山区李官镇中心小学' WHERE id = ?`, [schoolA]);
        await t.db.query(
          `UPDATE program SET title = '2019年临沂市贫困村学校骨干教师暑期培训', creditHours = 48 WHERE id = ?`,
          [programId],
        );
      }
    });

    it('prints the whole cohort as one PDF in number order, for the owner and the cohort trainer only', async () => {
      const res = await binary(bearer(trainerToken)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`))).expect(
        200,
      );
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('2019年临沂市贫困村学校骨干教师暑期培训-第一期-结业证书.pdf')}`,
      );
      const file = save(res.body, 'cohort');
      expect(pagesOf(file)).toBe(5);
      const text = textOf(file);
      const at = ['欧阳明远', '王秀英', '李建国', '张海燕', '刘子涵'].map((n) => text.indexOf(n));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      expect(res.body.length / 5).toBeLessThan(40 * 1024);

      await bearer(admin)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`)).expect(200);
      await bearer(otherTrainerToken)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`)).expect(404);
      await bearer(countyA)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`)).expect(403);
      await bearer(selfToken)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`)).expect(403);
    });

    it('draws the cohort PDF in a worker thread byte for byte as the renderer draws it on the event loop', async () => {
      const served = (
        await binary(bearer(admin)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`))).expect(200)
      ).body as Buffer;
      const certificates = await t.app.get(CertificatePrinter).cohortCertificates(cohortId);
      expect(certificates.map((c: Certificate) => c.template)).toEqual(certificates.map(() => 'default'));
      const inline = await new CertificateRenderer().renderToBuffer(
        certificates.map((c: Certificate) => toCertificateView(c, t.config.publicBaseUrl)),
      );
      expect(served.length).toBe(inline.length);
      expect(served.equals(inline)).toBe(true);
    });

    it('answers a worker thread that dies before the first page with 503 WORKER_FAILED in Chinese; the next print works', async () => {
      const pool = t.app.get(WorkerPool);
      const stream = pool.stream.bind(pool);
      const spy = jest
        .spyOn(pool, 'stream')
        .mockImplementationOnce((_task, args, opts) => stream(CRASH_TASK, args, opts));
      try {
        const res = await bearer(admin)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`)).expect(503);
        expect(res.body).toMatchObject({ statusCode: 503, code: 'WORKER_FAILED' });
        expect(res.body.message).toMatch(/工作线程意外中止/);
      } finally {
        spy.mockRestore();
      }
      const again = await binary(bearer(admin)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`))).expect(200);
      expect(pagesOf(save(again.body, 'after-crash'))).toBe(5);
    });

    it('keeps other people out of a certificate PDF', async () => {
      await bearer(strangerToken)(t.http.get(`/api/v1/certificates/${certId}/pdf`)).expect(404);
      await bearer(otherTrainerToken)(t.http.get(`/api/v1/certificates/${certId}/pdf`)).expect(404);
      await bearer(countyB)(t.http.get(`/api/v1/certificates/${certId}/pdf`)).expect(404);
      const county = await bearer(countyA)(t.http.get(`/api/v1/certificates/${certId}/pdf`)).expect(403);
      expect(county.body.code).toBe('NOT_CERTIFICATE_PRINTER');
      await bearer(trainerToken)(t.http.get(`/api/v1/certificates/${certId}/pdf`)).expect(200);
      await t.http.get(`/api/v1/certificates/${certId}/pdf`).expect(401);
    });
  });

  describe('verification and revocation', () => {
    let cert: { id: number; number: string; verificationCode: string };
    const fromIp = (ip: string) => (r: Req) => r.set('X-Forwarded-For', ip);

    beforeAll(async () => {
      const res = await bearer(admin)(t.http.get(`/api/v1/certificates?teacherId=${teacherIds[1]}`)).expect(200);
      cert = res.body.items[0];
    });

    it('answers the public with name, program, hours, dates, issuer, number and status only', async () => {
      const res = await fromIp('10.0.0.1')(t.http.get(`/api/v1/certificates/verify/${cert.verificationCode}`)).expect(
        200,
      );
      expect(res.body).toEqual({
        number: cert.number,
        status: 'VALID',
        statusLabel: '有效',
        kindLabel: '培训结业证书',
        holderName: '王秀英',
        programTitle: '2019年临沂市贫困村学校骨干教师暑期培训',
        creditHours: 48,
        startDate: '2019-07-08',
        endDate: '2019-07-17',
        issuer: '临沂市教育局',
        issueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(res.headers['cache-control']).toBe('no-store');
      const body = JSON.stringify(res.body);
      expect(body).not.toContain(makeIdNumber(serial - 4));
      expect(body).not.toContain(makePhone(serial - 4));
      expect(body).not.toMatch(/\d{17}[\dX]|1\d{10}/);
    });

    it('shows the Chinese verification page', async () => {
      const res = await fromIp('10.0.0.1')(t.http.get(`/verify/${cert.verificationCode}`)).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(res.text).toContain('<html lang="zh-CN">');
      expect(res.text).toContain('王秀英');
      expect(res.text).toContain('data-status="VALID">有效<');
      expect(res.text).toContain('2019年7月8日至2019年7月17日');
      expect(res.text).not.toContain(makeIdNumber(serial - 4));
      expect(res.text).not.toContain(makePhone(serial - 4));
      expect(res.text).not.toContain('罗庄区册山街道中学'); // the school is not shown
    });

    it('answers 404 for unknown and malformed codes, as JSON and as a page', async () => {
      const json = await fromIp('10.0.0.2')(t.http.get('/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAA')).expect(
        404,
      );
      expect(json.body.code).toBe('NOT_FOUND');
      await fromIp('10.0.0.2')(t.http.get('/api/v1/certificates/verify/%27%20OR%201%3D1')).expect(404);
      const page = await fromIp('10.0.0.2')(t.http.get('/verify/AAAAAAAAAAAAAAAAAAAAAA')).expect(404);
      expect(page.text).toContain('未找到该证书');
    });

    it('throttles verification per client address against enumeration', async () => {
      // The limit counts in fixed one-minute windows (on the epoch minute): a burst that straddles a
      // window's end would start afresh in the next one, so each burst starts early in a window.
      const freshWindow = async () => {
        const left = 60_000 - (Date.now() % 60_000);
        if (left < 25_000) await new Promise((r) => setTimeout(r, left + 200));
      };
      await freshWindow();
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++)
        statuses.push(
          (await fromIp('10.9.9.9')(t.http.get(`/api/v1/certificates/verify/${cert.verificationCode}`))).status,
        );
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(30)).toEqual([429, 429]);
      await fromIp('10.9.9.10')(t.http.get(`/api/v1/certificates/verify/${cert.verificationCode}`)).expect(200);
      await freshWindow();
      const pages: number[] = [];
      for (let i = 0; i < 31; i++)
        pages.push((await fromIp('10.9.9.11')(t.http.get(`/verify/${cert.verificationCode}`))).status);
      expect(pages.filter((s) => s === 200)).toHaveLength(30);
      expect(pages[30]).toBe(429);
    });

    it('lets the city revoke with a reason: kept as REVOKED, audited, shown as 已撤销, no longer printable', async () => {
      const revoke = (token: string, body: object = { reason: '考勤记录有误，经核查未达到结业要求' }) =>
        bearer(token)(t.http.post(`/api/v1/certificates/${cert.id}/revoke`)).send(body);
      expect((await revoke(trainerToken)).status).toBe(403);
      expect((await revoke(selfToken)).status).toBe(403);
      expect((await revoke(countyB)).status).toBe(403); // its teacher's certificate of a city program
      expect((await revoke(countyA)).status).toBe(404);
      const noReason = await revoke(admin, {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors[0].field).toBe('reason');

      const res = await revoke(admin).expect(200);
      expect(res.body).toMatchObject({
        id: cert.id,
        number: cert.number,
        status: 'REVOKED',
        statusLabel: '已撤销',
        revokeReason: '考勤记录有误，经核查未达到结业要求',
      });
      expect(res.body.revokedAt).toBeTruthy();
      expect((await revoke(admin)).body.code).toBe('ALREADY_REVOKED');

      const json = await fromIp('10.0.0.3')(t.http.get(`/api/v1/certificates/verify/${cert.verificationCode}`)).expect(
        200,
      );
      expect(json.body).toMatchObject({ status: 'REVOKED', statusLabel: '已撤销' });
      expect(JSON.stringify(json.body)).not.toContain('考勤记录有误');
      const page = await fromIp('10.0.0.3')(t.http.get(`/verify/${cert.verificationCode}`)).expect(200);
      expect(page.text).toContain('data-status="REVOKED">已撤销<');
      expect(page.text).toContain('该证书已被撤销');

      await bearer(admin)(t.http.get(`/api/v1/certificates/${cert.id}/pdf`)).expect(409);
      const [row] = await t.db.query(`SELECT status, activeKey FROM certificate WHERE id = ?`, [cert.id]);
      expect(row).toEqual({ status: 'REVOKED', activeKey: null });
      const audit = await t.db.query(
        `SELECT actorRole, fields, note FROM audit_entry WHERE entity = 'certificate' AND action = 'revoke' AND entityId = ?`,
        [String(cert.id)],
      );
      expect(audit).toEqual([{ actorRole: 'CITY_ADMIN', fields: 'status,revokeReason', note: null }]);
    });

    it('re-issues after revocation with a new number and code; the old code still says REVOKED', async () => {
      const res = await bearer(admin)(t.http.post(`/api/v1/enrolments/${enrolmentIds[1]}/certificate`)).expect(201);
      expect(res.body.number).toBe('LYGG2019-0006');
      expect(res.body.verificationCode).not.toBe(cert.verificationCode);
      const old = await fromIp('10.0.0.4')(t.http.get(`/api/v1/certificates/verify/${cert.verificationCode}`)).expect(
        200,
      );
      expect(old.body.status).toBe('REVOKED');
      const fresh = await fromIp('10.0.0.4')(
        t.http.get(`/api/v1/certificates/verify/${res.body.verificationCode}`),
      ).expect(200);
      expect(fresh.body).toMatchObject({ status: 'VALID', holderName: '王秀英', number: 'LYGG2019-0006' });
      // The cohort print now holds the 5 valid certificates, the revoked one replaced.
      const pdf = await binary(bearer(admin)(t.http.get(`/api/v1/cohorts/${cohortId}/certificates/pdf`))).expect(200);
      const text = textOf(save(pdf.body, 'cohort-after-revoke'));
      expect(text).toContain('LYGG2019-0006');
      expect(text).not.toContain('LYGG2019-0002');
    });
  });

  describe('county programs', () => {
    let countyProgram: number;
    let countyCohort: number;
    let enrolment: number;

    beforeAll(async () => {
      countyProgram = await seedProgram(t.db, {
        ownerOrganisationId: lanshan,
        ownerCountyId: lanshan,
        kind: 'COUNTY_THEMATIC',
        title: '兰山区乡村教师信息素养专题培训',
        prefix: 'LSXX',
        creditHours: 24,
      });
      countyCohort = await seedCohort(t.db, countyProgram, '兰山一期');
      enrolment = await seedEnrolment(
        t.db,
        countyProgram,
        countyCohort,
        await createTeacher(t.http, countyA, schoolA, ++serial, { name: '孙县培' }),
      );
    });

    it('lets the owning county issue, print and revoke; other counties see nothing', async () => {
      await bearer(countyB)(t.http.post(`/api/v1/cohorts/${countyCohort}/certificates`)).expect(404);
      const [issued] = (await bearer(countyA)(t.http.post(`/api/v1/cohorts/${countyCohort}/certificates`)).expect(201))
        .body;
      expect(issued.number).toBe('LSXX2019-0001');
      const pdf = await binary(bearer(countyA)(t.http.get(`/api/v1/certificates/${issued.id}/pdf`))).expect(200);
      const text = textOf(save(pdf.body, 'county'));
      expect(text).toContain('兰山区教育和体育局');
      expect(text).toContain('24学时');
      await bearer(countyB)(t.http.get(`/api/v1/certificates/${issued.id}`)).expect(404);
      await bearer(countyB)(t.http.post(`/api/v1/certificates/${issued.id}/revoke`))
        .send({ reason: '错误' })
        .expect(404);
      await bearer(countyA)(t.http.post(`/api/v1/certificates/${issued.id}/revoke`))
        .send({ reason: '重复颁发' })
        .expect(200);
      const again = await bearer(countyA)(t.http.post(`/api/v1/enrolments/${enrolment}/certificate`)).expect(201);
      expect(again.body.number).toBe('LSXX2019-0002');
    });
  });

  describe('program templates', () => {
    it('prints with the template the certificate was issued with, even after the program template changes', async () => {
      const template =
        'title|荣誉证书\nlead|{{holderName}} 老师：\nbody|完成“{{programTitle}}”，计 {{hours creditHours}} 学时。\nmeta|编号：{{number}}\nsign|{{issuer}}';
      const p = await seedProgram(t.db, {
        ownerOrganisationId: cityOrg,
        title: '济南—临沂教师发展合作项目',
        prefix: 'JNLY',
        template,
      });
      const c = await seedCohort(t.db, p, '合作一期');
      await seedEnrolment(t.db, p, c, await createTeacher(t.http, admin, schoolB, ++serial, { name: '钱合作' }));
      const [issued] = (await bearer(admin)(t.http.post(`/api/v1/cohorts/${c}/certificates`)).expect(201)).body;
      const first = (await binary(bearer(admin)(t.http.get(`/api/v1/certificates/${issued.id}/pdf`))).expect(200))
        .body as Buffer;
      const text = textOf(save(first, 'custom'));
      expect(text).toContain('荣誉证书');
      expect(text).toContain('钱合作老师：');

      await t.db.query(`UPDATE program SET certificateTemplate = ? WHERE id = ?`, [
        'title|新模板\nbody|{{holderName}}',
        p,
      ]);
      const second = (await binary(bearer(admin)(t.http.get(`/api/v1/certificates/${issued.id}/pdf`))).expect(200))
        .body as Buffer;
      expect(second.equals(first)).toBe(true);

      await t.db.query(`UPDATE program SET certificateTemplate = ? WHERE id = ?`, ['title|{{#each}}', p]);
      await seedEnrolment(t.db, p, c, await createTeacher(t.http, admin, schoolB, ++serial, { name: '孙模板' }));
      const broken = await bearer(admin)(t.http.post(`/api/v1/cohorts/${c}/certificates`)).expect(409);
      expect(broken.body.code).toBe('CERTIFICATE_TEMPLATE_INVALID');
      const [{ seq }] = await t.db.query(`SELECT certificateSeq AS seq FROM program WHERE id = ?`, [p]);
      expect(Number(seq)).toBe(1);
    });

    it('refuses a number another program already uses (same prefix and year) without consuming it', async () => {
      const p = await seedProgram(t.db, { ownerOrganisationId: cityOrg, title: '另一个 LYGG 项目', prefix: 'LYGG' });
      const c = await seedCohort(t.db, p, '重号一期');
      await seedEnrolment(t.db, p, c, await createTeacher(t.http, admin, schoolA, ++serial, { name: '周重号' }));
      const res = await bearer(admin)(t.http.post(`/api/v1/cohorts/${c}/certificates`)).expect(409);
      expect(res.body).toMatchObject({ code: 'CERTIFICATE_NUMBER_TAKEN', number: 'LYGG2019-0001' });
      const [{ seq }] = await t.db.query(`SELECT certificateSeq AS seq FROM program WHERE id = ?`, [p]);
      expect(Number(seq)).toBe(0);
    });
  });

  describe('registers', () => {
    async function sheet(token: string, path: string): Promise<ExcelJS.Worksheet> {
      const res = await binary(bearer(token)(t.http.get(path))).expect(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".*\.xlsx"; filename\*=UTF-8''/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      return wb.worksheets[0];
    }
    const rowsOf = (ws: ExcelJS.Worksheet) => {
      const out: unknown[][] = [];
      ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };

    it('exports the certificate register with masked IDs as text and the revoked one marked', async () => {
      await t.db.query(`UPDATE certificate SET schoolName = ? WHERE number = 'LYGG2019-0003'`, [
        '=HYPERLINK("http://evil")',
      ]);
      const ws = await sheet(admin, `/api/v1/programs/${programId}/certificates.xlsx`);
      const rows = rowsOf(ws);
      expect(rows[0]).toEqual([
        '序号',
        '证书编号',
        '姓名',
        '身份证号',
        '所在县区',
        '工作单位',
        '班级',
        '培训开始日期',
        '培训结束日期',
        '学时',
        '发证单位',
        '发证日期',
        '状态',
        '撤销日期',
        '撤销原因',
      ]);
      expect(rows).toHaveLength(1 + 6);
      const first = rows[1];
      expect(first.slice(0, 5)).toEqual([
        1,
        'LYGG2019-0001',
        '欧阳明远',
        expect.stringMatching(/^371302\*{8}\d{3}[\dX]$/),
        '兰山区',
      ]);
      const revoked = rows.find((r) => r[1] === 'LYGG2019-0002')!;
      expect(revoked[12]).toBe('已撤销');
      expect(revoked[14]).toBe('考勤记录有误，经核查未达到结业要求');
      const evil = rows.find((r) => r[1] === 'LYGG2019-0003')!;
      expect(evil[5]).toBe('\'=HYPERLINK("http://evil")');
      expect(ws.getCell('D2').numFmt).toBe('@');
      expect(typeof ws.getCell('D2').value).toBe('string');
      const all = JSON.stringify(rows);
      for (const id of teacherIds) {
        const [row] = await t.db.query(`SELECT idNumber FROM teacher WHERE id = ?`, [id]);
        expect(all).not.toContain(row.idNumber);
      }
    });

    it('exports the credit-hour registration list (valid certificates only); a county gets its own teachers', async () => {
      const ws = await sheet(admin, `/api/v1/programs/${programId}/credit-hours.xlsx`);
      const rows = rowsOf(ws);
      expect(rows[0]).toEqual([
        '序号',
        '姓名',
        '身份证号',
        '所在县区',
        '工作单位',
        '培训项目',
        '培训开始日期',
        '培训结束日期',
        '学时',
        '证书编号',
      ]);
      expect(rows.slice(1).map((r) => r[9])).toEqual([
        'LYGG2019-0001',
        'LYGG2019-0003',
        'LYGG2019-0004',
        'LYGG2019-0005',
        'LYGG2019-0006',
      ]);
      expect(rows[1]).toEqual([
        1,
        '欧阳明远',
        expect.stringMatching(/^371302\*{8}\d{3}[\dX]$/),
        '兰山区',
        '兰山区李官镇中心小学',
        '2019年临沂市贫困村学校骨干教师暑期培训',
        '2019-07-08',
        '2019-07-17',
        48,
        'LYGG2019-0001',
      ]);

      const county = rowsOf(await sheet(countyB, `/api/v1/programs/${programId}/credit-hours.xlsx`));
      expect(county.slice(1).map((r) => r[3])).toEqual(['罗庄区', '罗庄区']);
      await bearer(trainerToken)(t.http.get(`/api/v1/programs/${programId}/credit-hours.xlsx`)).expect(403);
      await bearer(selfToken)(t.http.get(`/api/v1/programs/${programId}/certificates.xlsx`)).expect(403);
    });
  });
});
