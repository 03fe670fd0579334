/**
 * The printable timetable (课程表) of a cohort (issue 19 point 4): A4 PDF in the embedded CJK font only,
 * the sessions in time order with date and weekday once per day, lecturer, room and hours, paged with
 * the total on the last page; for the owner, the cohort's trainers and its trainees only.
 * Runs on SQLite and MariaDB/MySQL. Read back with poppler (pdftotext, pdffonts, pdfinfo).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { account, binary, createProgram, setQuotas } from './support/enrolment-fixtures';
import { adminToken, countyAdmin, countyIdByCode, createSchool, createTeacher, makePhone } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const cst = (s: string) => new Date(`${s}+08:00`).toISOString();

describe('timetable (课程表) PDF', () => {
  let t: TestApp;
  let admin: string;
  let county: string;
  let trainer: { id: number; token: string };
  let otherTrainer: { id: number; token: string };
  let trainee: string;
  let outsider: string;
  let cohort: number;
  let dir: string;

  const ok = async (res: Promise<any>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.req?.method} ${r.req?.path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const post = (token: string, path: string, body: object) =>
    t.http.post(path).auth(token, { type: 'bearer' }).send(body);
  const pdf = (token: string) =>
    t.http.get(`/api/v1/cohorts/${cohort}/timetable.pdf`).auth(token, { type: 'bearer' }).buffer(true).parse(binary);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timetable-'));
    t = await startTestApp();
    admin = await adminToken(t.http);
    const lanshan = await countyIdByCode(t.db, '371302');
    county = await countyAdmin(t.http, admin, lanshan, 'tt_lanshan');
    const school = await createSchool(t.http, admin, lanshan, '兰山区课表小学');
    trainer = await account(t.http, admin, { username: 'tt_trainer', role: 'TRAINER', displayName: '张红梅' });
    otherTrainer = await account(t.http, admin, { username: 'tt_trainer2', role: 'TRAINER', displayName: '赵刚' });
    const program = await createProgram(
      t.http,
      admin,
      { title: '2026年全市骨干教师暑期培训', certificatePrefix: 'KCB' },
      false,
    );
    await setQuotas(t.http, admin, program, [{ countyId: lanshan, seats: 10 }]);
    await ok(post(admin, `/api/v1/programs/${program}/open`, {}));
    const newCohort = async (name: string, trainerId: number) =>
      (
        await ok(
          post(admin, `/api/v1/programs/${program}/cohorts`, {
            name,
            capacity: 60,
            startDate: '2026-07-13',
            endDate: '2026-08-01',
            venue: '临沂大学西校区',
            trainerIds: [trainerId],
          }),
        )
      ).id as number;
    cohort = await newCohort('一班', trainer.id);
    const other = await newCohort('二班', otherTrainer.id);
    // 40 sessions over 20 days, created out of order: the table sorts them.
    for (let i = 19; i >= 0; i--) {
      const day = new Date(Date.UTC(2026, 6, 13 + i)).toISOString().slice(0, 10);
      await ok(
        post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
          title: i === 0 ? '新课标解读' : `专题${i + 1}（下午）`,
          startsAt: cst(`${day}T14:00:00`),
          endsAt: cst(`${day}T16:30:00`),
          hours: 2.5,
          room: '201',
        }),
      );
      await ok(
        post(admin, `/api/v1/cohorts/${cohort}/sessions`, {
          title: i === 0 ? '开班仪式' : `专题${i + 1}（上午）`,
          startsAt: cst(`${day}T09:00:00`),
          endsAt: cst(`${day}T11:00:00`),
          hours: 2,
          room: '101',
          ...(i === 0 ? { trainerId: trainer.id } : {}),
        }),
      );
    }
    const enrol = async (n: number, cohortId: number) => {
      const teacherId = await createTeacher(t.http, county, school, n);
      const e = await ok(post(county, `/api/v1/programs/${program}/enrolments`, { teacherId }));
      await ok(post(admin, `/api/v1/enrolments/${e.id}/approve`, {}));
      await ok(post(admin, `/api/v1/cohorts/${cohortId}/assignments`, { enrolmentIds: [e.id] }));
      return (await account(t.http, county, { username: makePhone(n), role: 'TEACHER', teacherId })).token;
    };
    trainee = await enrol(19_501, cohort);
    outsider = await enrol(19_502, other);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the sessions in time order on A4 pages in the embedded CJK font, with the total on the last page', async () => {
    const res = await pdf(trainee);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('课程表-一班.pdf'));
    const file = join(dir, 'timetable.pdf');
    writeFileSync(file, res.body);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    expect(info).toMatch(/Pages:\s+2\n/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).not.toMatch(/Helvetica|Times|Courier/);
    // Every font embedded, as a subset (the emb and sub columns).
    const rows = fonts.trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/\+.*\s+yes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);

    const page = (n: number) =>
      execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        '',
      );
    const first = page(1);
    const last = page(2);
    for (const p of [first, last]) {
      expect(p).toContain('2026年全市骨干教师暑期培训');
      expect(p).toContain('课程表');
      expect(p).toContain('班级：一班培训时间：2026年7月13日至2026年8月1日');
    }
    // Day one: the date and weekday once, the morning before the afternoon, the lecturer where set.
    expect(first).toMatch(/7月13日星期一09:00–11:00开班仪式张红梅1012\s*14:00–16:30新课标解读—2012\.5/);
    expect(first).toContain('第1页/共2页');
    expect(last).toContain('第2页/共2页');
    expect(last).toContain('共40次课，90学时');
    expect(first).not.toContain('共40次课');
    // Sorted across the pages: the last day's afternoon is the last row.
    expect(last.indexOf('专题20（上午）')).toBeLessThan(last.indexOf('专题20（下午）'));
    expect(first.indexOf('专题2（上午）')).toBeGreaterThan(first.indexOf('新课标解读'));
  });

  it('is for the owner, the cohort’s trainers and its trainees only', async () => {
    expect((await pdf(admin)).status).toBe(200);
    expect((await pdf(trainer.token)).status).toBe(200);
    expect((await pdf(otherTrainer.token)).status).toBe(404);
    expect((await pdf(outsider)).status).toBe(404);
    // A county sees the city's program but does not run it.
    expect((await pdf(county)).status).toBe(403);
    const missing = await t.http.get('/api/v1/cohorts/999999/timetable.pdf').auth(admin, { type: 'bearer' });
    expect(missing.status).toBe(404);
  });
});
