import * as ExcelJS from 'exceljs';
import {
  adminToken,
  countyAdmin,
  countyIdByCode,
  createSchool,
  createTeacher,
  makeIdNumber,
  makePhone,
} from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 21, point 2: the teacher list pages by keyset cursor (after= / before=) in a stable order with
 * no teacher twice or missing while teachers are added; its totals are the per-county tally (kept by
 * create, import and moves), a count up to 10,000, and an estimate (约) past it — in the API and on
 * the list page.
 */
describe('teacher list: keyset paging and totals', () => {
  let t: TestApp;
  let admin: string;
  let countyA: string;
  let lanshan: number;
  let luozhuang: number;
  let schoolA: number;
  let schoolA2: number;
  let schoolB: number;
  let serial = 20_000;

  const list = async (token: string, query: string) => {
    const res = await t.http.get(`/api/v1/teachers?${query}`).auth(token, { type: 'bearer' });
    if (res.status !== 200) throw new Error(`${query} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as {
      items: { id: number; name: string }[];
      total: number;
      totalExact: boolean;
      page: number;
      next: string | null;
      prev: string | null;
    };
  };
  const add = (token: string, school: number, name?: string) =>
    createTeacher(t.http, token, school, ++serial, name ? { name } : {});
  const countIn = async (countyId: number) =>
    Number((await t.db.query('SELECT COUNT(*) AS n FROM teacher WHERE countyId = ?', [countyId]))[0].n);
  /** The tally equals the teacher rows, county by county. */
  const expectTallyTrue = async () => {
    const tally = await t.db.query('SELECT countyId, teachers FROM teacher_tally ORDER BY countyId');
    const counts = await t.db.query(
      "SELECT o.id AS countyId, COUNT(t.id) AS n FROM organisation o LEFT JOIN teacher t ON t.countyId = o.id WHERE o.type = 'COUNTY' GROUP BY o.id ORDER BY o.id",
    );
    expect(tally.map((r: any) => [Number(r.countyId), Number(r.teachers)])).toEqual(
      counts.map((r: any) => [Number(r.countyId), Number(r.n)]),
    );
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminToken(t.http);
    lanshan = await countyIdByCode(t.db, '371302');
    luozhuang = await countyIdByCode(t.db, '371311');
    countyA = await countyAdmin(t.http, admin, lanshan, 'kp_lanshan');
    const countyB = await countyAdmin(t.http, admin, luozhuang, 'kp_luozhuang');
    schoolA = await createSchool(t.http, countyA, lanshan, '兰山区游标小学');
    schoolA2 = await createSchool(t.http, countyA, lanshan, '兰山区游标中学');
    schoolB = await createSchool(t.http, countyB, luozhuang, '罗庄区游标小学');
    for (let i = 0; i < 30; i++)
      await add(countyA, i % 2 ? schoolA : schoolA2, `${i % 3 ? '王' : '李'}${'甲乙丙丁戊己庚辛'[i % 8]}${i}`);
    for (let i = 0; i < 3; i++) await add(countyB, schoolB);
  });
  afterAll(async () => t?.close());

  it('walks a county by after= cursors: ascending ids, each teacher once, the ones added meanwhile at the end', async () => {
    const before = new Set(
      (await t.db.query('SELECT id FROM teacher WHERE countyId = ?', [lanshan])).map((r: any) => Number(r.id)),
    );
    const seen: number[] = [];
    const added: number[] = [];
    let page = await list(countyA, 'pageSize=7');
    expect(page.prev).toBeNull();
    for (let n = 1; ; n++) {
      seen.push(...page.items.map((i) => i.id));
      if (!page.next) break;
      added.push(await add(countyA, schoolA)); // lands after every cursor: ids only grow
      page = await list(countyA, `pageSize=7&after=${page.next}&page=${n + 1}`);
      expect(page.page).toBe(n + 1);
      expect(page.prev).not.toBeNull();
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    for (const id of [...before, ...added]) expect(seen).toContain(id);
    expect(page.total).toBe(await countIn(lanshan));
    expect(page.totalExact).toBe(true);
  });

  it('goes back by before= cursors to exactly the pages it came from', async () => {
    const forward: number[][] = [];
    let page = await list(countyA, 'pageSize=6');
    forward.push(page.items.map((i) => i.id));
    while (page.next) {
      page = await list(countyA, `pageSize=6&after=${page.next}`);
      forward.push(page.items.map((i) => i.id));
    }
    const back: number[][] = [forward[forward.length - 1]];
    while (page.prev) {
      page = await list(countyA, `pageSize=6&before=${page.prev}`);
      back.unshift(page.items.map((i) => i.id));
    }
    expect(back).toEqual(forward);
    // The same pages as page= offsets give.
    const third = await list(countyA, 'pageSize=6&page=3');
    expect(third.items.map((i) => i.id)).toEqual(forward[2]);
    expect(third.prev).not.toBeNull();
    expect(third.next).not.toBeNull();
  });

  it('orders a name search by name and walks it by cursor, teachers added on both sides of the cursor', async () => {
    const existing = (await list(countyA, `q=${encodeURIComponent('王')}&pageSize=200`)).items.map((i) => i.id);
    expect(existing.length).toBeGreaterThan(10);
    const walked: number[] = [];
    let page = await list(countyA, `q=${encodeURIComponent('王')}&pageSize=4`);
    let k = 0;
    for (;;) {
      walked.push(...page.items.map((i) => i.id));
      if (!page.next) break;
      // One sorting before everything seen, one after: the walk never repeats nor skips a teacher.
      await add(countyA, schoolA, `王一${k}`);
      await add(countyA, schoolA, `王龘${k++}`);
      page = await list(countyA, `q=${encodeURIComponent('王')}&pageSize=4&after=${page.next}`);
    }
    const final = (await list(countyA, `q=${encodeURIComponent('王')}&pageSize=200`)).items.map((i) => i.id);
    expect(new Set(walked).size).toBe(walked.length);
    for (const id of existing) expect(walked).toContain(id);
    // In the server's order (its collation): the walk is a subsequence of the final list.
    const positions = walked.map((id) => final.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('refuses a cursor that is not one, both directions at once, and an id cursor for a name search', async () => {
    const bad = await t.http.get('/api/v1/teachers?after=!!').auth(countyA, { type: 'bearer' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const junk = await t.http.get('/api/v1/teachers?after=bm9wZQ').auth(countyA, { type: 'bearer' }).expect(400);
    expect(junk.body.code).toBe('INVALID_CURSOR');
    const first = await list(countyA, 'pageSize=2');
    const both = await t.http
      .get(`/api/v1/teachers?after=${first.next}&before=${first.next}`)
      .auth(countyA, { type: 'bearer' })
      .expect(400);
    expect(both.body.code).toBe('CURSOR_AMBIGUOUS');
    const mixed = await t.http
      .get(`/api/v1/teachers?q=${encodeURIComponent('王')}&after=${first.next}`)
      .auth(countyA, { type: 'bearer' })
      .expect(400);
    expect(mixed.body.code).toBe('INVALID_CURSOR');
  });

  it('keeps the tally equal to the teachers through create, import and moves between counties', async () => {
    await expectTallyTrue();
    const id = await add(countyA, schoolA);
    await expectTallyTrue();
    await t.http
      .patch(`/api/v1/teachers/${id}`)
      .auth(admin, { type: 'bearer' })
      .send({ schoolId: schoolB })
      .expect(200);
    await expectTallyTrue();
    expect((await list(admin, `countyId=${luozhuang}&pageSize=1`)).total).toBe(await countIn(luozhuang));
    expect((await list(admin, 'pageSize=1')).total).toBe(
      Number((await t.db.query('SELECT COUNT(*) AS n FROM teacher'))[0].n),
    );
  });

  describe('past 10,000 matches', () => {
    const PHYSICS = 10_050;

    beforeAll(async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('教师信息');
      ws.addRow(['姓名', '身份证号', '手机号', '学校', '学科']);
      for (let i = 0; i < PHYSICS; i++) {
        const n = 100_000 + i;
        ws.addRow([`物理教师${i}`, makeIdNumber(n), makePhone(n), '兰山区游标中学', '物理']);
      }
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await t.http.post('/api/v1/teachers/import').auth(countyA, { type: 'bearer' }).attach('file', file, {
        filename: 'teachers.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      });
      if (res.status !== 200 || res.body.created !== PHYSICS)
        throw new Error(`import → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }, 120_000);

    it('keeps the tally through the import and answers the county and city totals exactly from it', async () => {
      await expectTallyTrue();
      const county = await list(countyA, 'pageSize=1');
      expect(county).toMatchObject({ total: await countIn(lanshan), totalExact: true });
      const city = await list(admin, 'pageSize=1');
      expect(city.totalExact).toBe(true);
      expect(city.total).toBe(Number((await t.db.query('SELECT COUNT(*) AS n FROM teacher'))[0].n));
    });

    it('estimates a filtered total past 10,000 (约), counts it exactly below', async () => {
      const physics = await list(countyA, `subject=${encodeURIComponent('物理')}&pageSize=20`);
      expect(physics.totalExact).toBe(false);
      expect(physics.total).toBeGreaterThanOrEqual(10_000);
      expect(physics.total).toBeLessThanOrEqual(13_000);
      expect(physics.items).toHaveLength(20);
      const city = await list(admin, `subject=${encodeURIComponent('物理')}&pageSize=20`);
      expect(city.totalExact).toBe(false);
      // One school's few: exact.
      const small = await list(countyA, `schoolId=${schoolA}&pageSize=20`);
      expect(small.totalExact).toBe(true);
      expect(small.total).toBe(
        Number((await t.db.query('SELECT COUNT(*) AS n FROM teacher WHERE schoolId = ?', [schoolA]))[0].n),
      );
      const names = await list(countyA, `q=${encodeURIComponent('王')}&pageSize=20`);
      expect(names.totalExact).toBe(true);
    });

    it('shows 约 N on the list page and pages past the numbered pages by cursor links', async () => {
      const get = (path: string) => t.http.get(path).set('cookie', `shipei_token=${countyA}`).expect(200);
      const physics = (await get(`/app/teachers?subject=${encodeURIComponent('物理')}`)).text;
      expect(physics).toMatch(/约 1\d{4} 条，每页 20 条/);
      const exact = (await get(`/app/teachers?schoolId=${schoolA}`)).text;
      expect(exact).toMatch(/共 \d+ 条，每页 20 条/);

      const href = (html: string, rel: string) => {
        const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
        return m ? m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
      };
      const page5 = (await get('/app/teachers?page=5')).text;
      const to6 = href(page5, 'next')!;
      expect(to6).toMatch(/after=[\w-]+/);
      expect(to6).toContain('page=6');
      const page6 = (await get(to6)).text;
      expect(page6).toContain('<span class="pager-current" aria-current="page">6</span>');
      const page7 = (await get(href(page6, 'next')!)).text;
      const back6 = href(page7, 'prev')!;
      expect(back6).toMatch(/before=[\w-]+/);
      const again6 = (await get(back6)).text;
      const ids = (html: string) => [...html.matchAll(/name="teacherIds" value="(\d+)"/g)].map((m) => m[1]);
      expect(ids(again6)).toEqual(ids(page6));
      expect(ids(page6)).toHaveLength(20);
    });
  });
});
