/** GET /api/v1/teachers?countyId=&pageSize=50 over 100,000 teachers vs node:http + the bare driver running the same two statements (page + tally) */
import { encodeCursor, maskIdNumber, maskPhone, TeacherTally } from '@shipei/people';
import { BenchApp, main, RawDb } from './lib';

/*
 * What is measured: a CITY_ADMIN listing the teachers of one county (兰山区, 20,000 of the 100,000
 * teachers), page 1, 50 a page — through the whole app (Fastify, helmet, JWT guard, throttler,
 * validation pipe, access policy, TypeORM, DTO mapping, masking) and through a plain node:http
 * handler that runs the same two statements with the driver and masks the same columns. Before
 * measuring, the setup records the statements one app request runs and fails unless they are the
 * floor's (modulo quoting), so the pair cannot drift apart.
 *
 * Indexes and totals (issue 21 changed both):
 *  - the page: `WHERE countyId = ? ORDER BY t_id LIMIT 51` (t_id: TypeORM's alias of t.id; one row more
 *    than the page says whether there is a next one) walks idx_teacher_county (countyId, id) from the
 *    start of the county's range, already in id order (no sort), and stops after 51 entries; the rows
 *    are then fetched by primary key. EXPLAIN: SQLite `SEARCH t USING INDEX idx_teacher_county
 *    (countyId=?)`; MariaDB `range … key idx_teacher_county`, no filesort.
 *  - the total: the county's row of `teacher_tally`, kept in the transaction of every teacher write,
 *    instead of `COUNT(*) … WHERE countyId = ?` — which was the bottleneck here (it visits every
 *    entry of the county: on MariaDB ~11 ms against ~1.4 ms for the page, on SQLite ~1.5–2 ms
 *    against ~0.5 ms) and grew with the county.
 */

const COUNTIES = 16;
const TEACHERS = 100_000;
const IN_LANSHAN = 20_000;
const SCHOOLS_PER_COUNTY = 10;
const PAGE_SIZE = 50;
const INSERT_CHUNK = 500;

const COLUMNS = [
  'id',
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'phone',
  'schoolId',
  'countyId',
  'stage',
  'subject',
  'title',
  'backboneLevel',
  'teachingStartYear',
  'appraisalsQualified',
  'onProbation',
  'specialPost',
  'qualificationCertNo',
]
  .map((c) => `t.${c} AS t_${c}`)
  .join(', ');

/**
 * The floor's two statements, as the app's TypeORM sends them: on MySQL with a `?` parameter; on
 * SQLite TypeORM writes numeric parameters into the SQL text, so the floor does the same.
 */
function statements(dialect: 'sqlite' | 'mysql', countyId: number) {
  const county = dialect === 'sqlite' ? String(countyId) : '?';
  return {
    page: `SELECT ${COLUMNS} FROM teacher t WHERE t.countyId = ${county} ORDER BY t_id ASC LIMIT ${PAGE_SIZE + 1} OFFSET 0`,
    count: 'SELECT teachers AS n FROM teacher_tally WHERE countyId = ?',
    params: dialect === 'sqlite' ? [] : [countyId],
    countParams: [countyId],
  };
}

function idNumber(serial: number): string {
  const day = new Date(Date.UTC(1960, 0, 1) + Math.floor(serial / 1000) * 86_400_000);
  const body = `371300${day.toISOString().slice(0, 10).replace(/-/g, '')}${String(serial % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** Schools through the API; 100,000 teachers by multi-row INSERTs (seeding is not what is measured). */
async function seed(app: BenchApp): Promise<{ token: string; countyId: number }> {
  const token = await app.login('admin', app.adminPassword);
  const counties: { id: number; code: string }[] = await app.dataSource.query(
    `SELECT id, code FROM organisation WHERE type = 'COUNTY' ORDER BY id`,
  );
  if (counties.length !== COUNTIES) throw new Error(`expected ${COUNTIES} counties, found ${counties.length}`);
  const lanshan = counties.find((c) => c.code === '371302')!;
  const schools = new Map<number, number[]>();
  for (const c of counties) {
    const ids: number[] = [];
    for (let s = 0; s < SCHOOLS_PER_COUNTY; s++) {
      const r = await app.request('POST', '/api/v1/organisations', {
        token,
        body: { type: 'SCHOOL', name: `压测学校${c.id}-${s}`, parentId: c.id },
      });
      if (r.status !== 201) throw new Error(`school → ${r.status} ${JSON.stringify(r.body)}`);
      ids.push(r.body.id);
    }
    schools.set(c.id, ids);
  }
  const others = counties.filter((c) => c.id !== lanshan.id);
  const now = app.dataSource.driver.preparePersistentValue(
    new Date(),
    app.dataSource.getMetadata('teacher').findColumnWithPropertyName('createdAt')!,
  );
  const stages = ['小学', '初中', '高中'];
  for (let start = 0; start < TEACHERS; start += INSERT_CHUNK) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let i = start; i < Math.min(TEACHERS, start + INSERT_CHUNK); i++) {
      // Interleaved, as real registrations arrive: every fifth teacher is in 兰山区.
      const county = i % 5 === 0 ? lanshan : others[i % others.length];
      const school = schools.get(county.id)![i % SCHOOLS_PER_COUNTY];
      const id = idNumber(i);
      params.push(
        `教师${i}`,
        id,
        Number(id[16]) % 2 ? 'M' : 'F',
        `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
        `13${String(i).padStart(9, '0')}`,
        school,
        county.id,
        stages[i % 3],
        '语文',
        '一级教师',
        'NONE',
        2000 + (i % 20),
        1,
        0,
        0,
        now,
        now,
      );
      tuples.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    }
    await app.dataSource.query(
      `INSERT INTO teacher (name, idNumber, gender, birthDate, phone, schoolId, countyId, stage, subject, title, backboneLevel, teachingStartYear, appraisalsQualified, onProbation, specialPost, createdAt, updatedAt) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
  const [{ n }] = await app.dataSource.query('SELECT COUNT(*) AS n FROM teacher WHERE countyId = ?', [lanshan.id]);
  if (Number(n) !== IN_LANSHAN) throw new Error(`expected ${IN_LANSHAN} teachers in 兰山区, found ${n}`);
  // The rows went in by bulk SQL, around the app's writes: recount the per-county tally the total reads.
  await app.nest.get(TeacherTally).rebuild(app.dataSource.manager);
  if (app.dataSource.options.type !== 'better-sqlite3') await app.dataSource.query('ANALYZE TABLE teacher');
  else await app.dataSource.query('ANALYZE');
  await assertSameStatements(app, token, lanshan.id);
  return { token, countyId: lanshan.id };
}

/** Records the statements one app request runs and checks they are the floor's (modulo quoting and aliases). */
async function assertSameStatements(app: BenchApp, token: string, countyId: number): Promise<void> {
  const logger = app.dataSource.logger as any;
  const original = logger.logQuery;
  const seen: string[] = [];
  logger.logQuery = (q: string) => seen.push(q);
  try {
    const r = await app.request('GET', `/api/v1/teachers?countyId=${countyId}&page=1&pageSize=${PAGE_SIZE}`, { token });
    if (r.status !== 200 || r.body.total !== IN_LANSHAN || r.body.items.length !== PAGE_SIZE)
      throw new Error(`list → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  } finally {
    logger.logQuery = original;
  }
  const norm = (q: string) => q.replace(/[`"]/g, '').replace(/\s+/g, ' ').trim();
  const shape = (q: string) => norm(q).replace(/SELECT .*? FROM/, 'SELECT … FROM');
  const selects = seen.map(norm).filter((q) => q.startsWith('SELECT') && q.includes('FROM teacher'));
  console.log('app statements:\n  ' + selects.join('\n  '));
  const floorSql = statements(app.dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql', countyId);
  const expected = [shape(floorSql.page), shape(floorSql.count)].sort();
  const actual = selects.map(shape).sort();
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `the app runs other statements than the floor:\n  app:   ${actual.join('\n         ')}\n  floor: ${expected.join('\n         ')}`,
    );
  }
}

/** The floor: the same two statements, concurrently as the service runs them, and the same masking. */
async function floor(db: RawDb, countyId: number) {
  const sql = statements(db.dialect, countyId);
  const [found, [{ n }]] = await Promise.all([db.query(sql.page, sql.params), db.query(sql.count, sql.countParams)]);
  const rows = found.slice(0, PAGE_SIZE);
  for (const r of rows) {
    r.t_idNumber = maskIdNumber(r.t_idNumber);
    r.t_phone = maskPhone(r.t_phone);
  }
  const next =
    found.length > PAGE_SIZE ? encodeCursor({ byName: false, id: Number(rows[rows.length - 1].t_id) }) : null;
  return {
    status: 200,
    body: { items: rows, total: Number(n), totalExact: true, page: 1, pageSize: PAGE_SIZE, next, prev: null },
  };
}

main({
  title: `GET /api/v1/teachers?countyId=…&page=1&pageSize=${PAGE_SIZE} (${IN_LANSHAN.toLocaleString('en-US')} of ${TEACHERS.toLocaleString('en-US')} teachers in the county) vs the same page + tally read through the bare driver`,
  setup: seed,
  app: (s) => ({
    path: `/api/v1/teachers?countyId=${s.countyId}&page=1&pageSize=${PAGE_SIZE}`,
    headers: { authorization: `Bearer ${s.token}` },
    expectStatus: 200,
  }),
  raw: (s) => ({ path: `/teachers?countyId=${s.countyId}`, handle: (db) => floor(db, s.countyId) }),
});
