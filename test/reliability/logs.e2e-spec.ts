/**
 * No personal data in logs (spec §9, issue 9 §4): the app runs as its own process at LOG_LEVEL=info
 * with everything it writes captured, while teachers are created (also with bad and duplicate 身份证号),
 * searched by phone, shown in full, updated, imported from Excel (with a bad row), exported in full,
 * nominated, given an account that logs in with its phone number (also with a wrong password). Then
 * the captured output is scanned for 18-character ID numbers and 11-digit mobile numbers: none.
 */
import { makeIdNumber, makePhone } from '../support/fixtures';
import { ADMIN_PASSWORD, TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { AppProcess, startAppProcess } from './support/app-process';
import { call, countyAdminAt, loginAt, ok, upload } from './support/http';
import { teacherSheet } from './support/sheets';
import { report } from './support/report';

const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;
const SERIAL = 970_000;

jest.setTimeout(300_000);

describe('no personal data in the logs', () => {
  let database: TestDatabase;
  let app: AppProcess;
  const used: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppProcess({
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_PASSWORD,
      PUBLIC_BASE_URL: 'http://shipei.test',
      LOG_LEVEL: 'info',
    });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('never writes a 身份证号 or a mobile number, while every teacher route is used', async () => {
    const base = app.url;
    const admin = await loginAt(base, 'admin', ADMIN_PASSWORD);
    const counties = await ok(base, 'GET', '/api/v1/organisations?type=COUNTY&pageSize=50', { token: admin });
    const countyId = counties.items.find((c: { code: string }) => c.code === '371302').id as number;
    const county = await countyAdminAt(base, admin, countyId, 'log_county');
    const school = await ok(base, 'POST', '/api/v1/organisations', {
      token: county,
      status: 201,
      body: { type: 'SCHOOL', name: '日志测试小学', parentId: countyId, povertyVillage: true, receivingSchool: false },
    });

    const teachers: { id: number; idNumber: string; phone: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const idNumber = makeIdNumber(SERIAL + i);
      const phone = makePhone(SERIAL + i);
      used.push(idNumber, phone);
      const t = await ok(base, 'POST', '/api/v1/teachers', {
        token: county,
        status: 201,
        body: { name: `日志教师${'甲乙丙'[i]}`, idNumber, phone, schoolId: school.id },
      });
      teachers.push({ id: t.id, idNumber, phone });
    }
    // Refusals that carry the personal data in the request: a bad check digit, a duplicate, a bad phone.
    const badId = `${makeIdNumber(SERIAL + 10).slice(0, 17)}${makeIdNumber(SERIAL + 10).endsWith('0') ? '1' : '0'}`;
    used.push(badId);
    expect(
      (
        await call(base, 'POST', '/api/v1/teachers', {
          token: county,
          body: { name: '错号', idNumber: badId, phone: makePhone(SERIAL + 10), schoolId: school.id },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(base, 'POST', '/api/v1/teachers', {
          token: county,
          body: { name: '重号', idNumber: teachers[0].idNumber, phone: makePhone(SERIAL + 11), schoolId: school.id },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call(base, 'POST', '/api/v1/teachers', {
          token: county,
          body: { name: '错手机', idNumber: makeIdNumber(SERIAL + 12), phone: '1290000000', schoolId: school.id },
        })
      ).status,
    ).toBe(400);

    // Reads: search by the full phone, full view (audited), update of the phone.
    await ok(base, 'GET', `/api/v1/teachers?q=${teachers[1].phone}`, { token: county });
    await ok(base, 'GET', `/api/v1/teachers?q=${teachers[1].idNumber}`, { token: admin }).catch(() => undefined);
    // A search by name: the path is logged, the free text is not.
    await ok(base, 'GET', `/api/v1/teachers?q=${encodeURIComponent('日志教师乙')}&page=1`, { token: county });
    used.push('日志教师乙', encodeURIComponent('日志教师乙'));
    await ok(base, 'GET', `/api/v1/teachers/${teachers[0].id}?full=true`, { token: admin });
    const newPhone = makePhone(SERIAL + 20);
    used.push(newPhone);
    await ok(base, 'PATCH', `/api/v1/teachers/${teachers[2].id}`, { token: county, body: { phone: newPhone } });

    // Import: a sheet with a bad row (refused, errors listed), then a good one; then the full export.
    const rows = Array.from({ length: 5 }, (_, i) => ({
      name: `导入教师${'一二三四五'[i]}`,
      idNumber: makeIdNumber(SERIAL + 30 + i),
      phone: makePhone(SERIAL + 30 + i),
      school: '日志测试小学',
    }));
    used.push(...rows.flatMap((r) => [r.idNumber, r.phone]));
    const broken = await upload(
      base,
      '/api/v1/teachers/import',
      county,
      await teacherSheet([...rows, { ...rows[0], phone: makePhone(SERIAL + 40) }]),
      'teachers.xlsx',
    );
    expect(broken.status).toBe(400);
    expect(
      (await upload(base, '/api/v1/teachers/import', county, await teacherSheet(rows), 'teachers.xlsx')).status,
    ).toBe(200);
    expect(
      (await call(base, 'GET', `/api/v1/teachers/export?countyId=${countyId}&full=true`, { token: admin })).status,
    ).toBe(200);

    // A nomination, and the teacher's own account: login by phone (also a wrong password), first change.
    const program = await ok(base, 'POST', '/api/v1/programs', {
      token: admin,
      status: 201,
      body: {
        kind: 'BACKBONE_SUMMER',
        year: 2019,
        title: '日志测试培训',
        seats: 10,
        creditHours: 48,
        attendanceThreshold: 0.8,
        nominationDeadline: new Date(Date.now() + 86_400_000 * 10).toISOString(),
        certificatePrefix: 'LOG',
      },
    });
    await ok(base, 'POST', `/api/v1/programs/${program.id}/open`, { token: admin });
    await ok(base, 'PUT', `/api/v1/programs/${program.id}/quotas`, { token: admin, body: [{ countyId, seats: 5 }] });
    await ok(base, 'POST', `/api/v1/programs/${program.id}/enrolments`, {
      token: county,
      status: 201,
      body: { teacherId: teachers[0].id },
    });
    await ok(base, 'POST', '/api/v1/users', {
      token: county,
      status: 201,
      body: { username: teachers[0].phone, password: 'Once12345', role: 'TEACHER', teacherId: teachers[0].id },
    });
    expect(
      (
        await call(base, 'POST', '/api/v1/auth/login', {
          body: { username: teachers[0].phone, password: 'Wrong12345' },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call(base, 'POST', '/api/v1/auth/login', {
          body: { username: teachers[1].idNumber, password: 'Wrong12345' },
        })
      ).status,
    ).toBe(401);
    const first = await loginAt(base, teachers[0].phone, 'Once12345');
    await ok(base, 'POST', '/api/v1/auth/password', {
      token: first,
      body: { currentPassword: 'Once12345', newPassword: 'Teacher1234' },
    });
    await call(base, 'GET', `/app/teachers/${teachers[0].id}`, { headers: { cookie: `shipei_token=${admin}` } });

    await new Promise((r) => setTimeout(r, 500)); // let the last log lines flush
    const output = app.output();
    const lines = output.split('\n').filter((l) => l.trim());
    expect(lines.filter((l) => l.includes('"url":"/api/v1/teachers')).length).toBeGreaterThan(5); // the requests were logged
    const leaks = [
      ...(output.match(ID_NUMBER) ?? []),
      ...(output.match(MOBILE) ?? []),
      ...used.filter((v) => output.includes(v)),
    ];
    report(
      `logs (${database.dialect}): ${lines.length} lines, ${output.length} bytes scanned; 身份证号/phone found: ${leaks.length}`,
    );
    expect(leaks).toEqual([]);
  });
});
