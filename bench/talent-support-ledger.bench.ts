/** GET /api/v1/schemes/:id/ledger (200 placements served, prorated month by month) vs the bare driver selecting the same rows */
import { BenchApp, main } from './lib';

const PLACEMENTS = 200;

function idNumber(serial: number): string {
  const body = `37130219800101${String(serial).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

async function ok<T = any>(app: BenchApp, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const r = await app.request<T>(method, path, { token, body });
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A 2019 scheme whose placements all arrived (some mid-month), most completed, some returned early. */
async function seed(app: BenchApp): Promise<{ token: string; schemeId: number }> {
  const admin = await app.login('admin', app.adminPassword);
  const [county] = await app.dataSource.query(`SELECT id FROM organisation WHERE code = '371302'`);
  const [yinan] = await app.dataSource.query(`SELECT id FROM organisation WHERE code = '371321'`);
  await ok(app, 'POST', '/api/v1/users', admin, {
    username: 'bench_county',
    password: 'Init1234x',
    role: 'COUNTY_ADMIN',
    organisationId: county.id,
  });
  const first = await app.login('bench_county', 'Init1234x');
  const changed = await ok(app, 'POST', '/api/v1/auth/password', first, {
    currentPassword: 'Init1234x',
    newPassword: 'County1234',
  });
  const countyToken = changed.accessToken as string;
  const home = await ok(app, 'POST', '/api/v1/organisations', countyToken, {
    type: 'SCHOOL',
    name: '压测派出学校',
    parentId: county.id,
  });
  const receiving = await ok(app, 'POST', '/api/v1/organisations', admin, {
    type: 'SCHOOL',
    name: '压测受援学校',
    parentId: yinan.id,
    receivingSchool: true,
  });
  const scheme = await ok(app, 'POST', '/api/v1/schemes', admin, {
    kind: 'THREE_DISTRICTS',
    year: 2019,
    places: PLACEMENTS,
    termStart: '2019-09-01',
    termEnd: '2020-07-15',
  });
  await ok(app, 'PUT', `/api/v1/schemes/${scheme.id}/quotas`, admin, [{ countyId: county.id, places: PLACEMENTS }]);
  for (let i = 0; i < PLACEMENTS; i++) {
    const t = await ok(app, 'POST', '/api/v1/teachers', countyToken, {
      name: `压测教师${i}`,
      idNumber: idNumber(i),
      phone: `138${String(i).padStart(8, '0')}`,
      schoolId: home.id,
      title: '一级教师',
      teachingStartYear: 2010,
      appraisalsQualified: true,
    });
    const p = await ok(app, 'POST', `/api/v1/schemes/${scheme.id}/placements`, countyToken, {
      teacherId: t.id,
      receivingSchoolId: receiving.id,
    });
    await ok(app, 'POST', `/api/v1/placements/${p.id}/approve`, admin);
    await ok(app, 'POST', `/api/v1/placements/${p.id}/arrive`, countyToken, {
      arrivalDate: i % 3 ? '2019-09-01' : '2019-09-16',
    });
    if (i % 10 === 0)
      await ok(app, 'POST', `/api/v1/placements/${p.id}/terminate`, countyToken, {
        date: '2020-01-10',
        reason: '提前返回',
      });
    else
      await ok(app, 'POST', `/api/v1/placements/${p.id}/complete`, countyToken, {
        assessment: '合格',
        comment: '完成任务',
      });
  }
  return { token: admin, schemeId: scheme.id };
}

main({
  title: `GET /api/v1/schemes/:id/ledger (${PLACEMENTS} placements, prorated per month, totals per county) vs SELECT of the same placements with their teachers`,
  setup: seed,
  app: (s) => ({
    path: `/api/v1/schemes/${s.schemeId}/ledger`,
    headers: { authorization: `Bearer ${s.token}` },
    expectStatus: 200,
  }),
  raw: (s) => ({
    sql: `SELECT p.id, p.countyId, p.status, p.arrivalDate, p.endDate, t.name, t.idNumber FROM placement p JOIN teacher t ON t.id = p.teacherId WHERE p.schemeId = ? AND p.status IN ('IN_SERVICE', 'COMPLETED', 'TERMINATED') ORDER BY p.countyId, p.id`,
    params: [s.schemeId],
  }),
  defaults: { duration: 5, rounds: 2 },
});
