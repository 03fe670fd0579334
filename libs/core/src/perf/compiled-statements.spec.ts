import { DataSource, EntitySchema, ObjectLiteral } from 'typeorm';
import { AccessPolicy, accessKind } from '../access/access-policy';
import { Actor } from '../access/actor';
import { installedVersion } from './installed-version';
import { CompiledStatements, enableCompiledStatements, hydrate, runStatement, whereShape } from './compiled-statements';

const ITEM = accessKind('item');

interface Row {
  id: number;
  name: string;
  countyId: number | null;
  active: boolean;
  startsAt: Date;
  day: string | null;
  score: string;
}
const Item = new EntitySchema<Row>({
  name: 'item',
  columns: {
    id: { type: Number, primary: true, generated: true },
    name: { type: String },
    countyId: { type: Number, nullable: true },
    active: { type: Boolean },
    startsAt: { type: 'datetime' },
    day: { type: 'date', nullable: true },
    score: { type: 'decimal', precision: 6, scale: 2 },
  },
});
const actor = (countyId?: number): Actor =>
  ({ userId: 1, role: countyId ? 'COUNTY_ADMIN' : 'CITY_ADMIN', countyId }) as Actor;

describe('CompiledStatements (TypeORM query builder text, kept per shape)', () => {
  let ds: DataSource;
  const policy = new AccessPolicy();
  beforeAll(async () => {
    ds = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Item],
      synchronize: true,
    }).initialize();
    await ds.getRepository(Item).insert([
      {
        name: '甲',
        countyId: 2,
        active: true,
        startsAt: new Date('2019-07-15T01:00:00Z'),
        day: '2019-07-15',
        score: '1.50',
      },
      { name: '乙', countyId: 3, active: false, startsAt: new Date('2019-07-16T02:30:00Z'), day: null, score: '10.00' },
      {
        name: '丙',
        countyId: null,
        active: true,
        startsAt: new Date('2020-01-01T00:00:00Z'),
        day: '2020-01-01',
        score: '0.25',
      },
    ]);
    policy.register<Row>(ITEM, {
      entity: Item,
      label: '条目',
      scope: (a, alias) => (a.countyId ? { where: `${alias}.countyId = :cid`, params: { cid: a.countyId } } : null),
    });
  });
  afterAll(() => ds.destroy());
  afterEach(() => enableCompiledStatements(false));

  it('is written for the installed TypeORM', () => {
    expect(installedVersion('typeorm')).toBe('1.1.1');
  });

  it('loads the same entities through the kept text as the query builder does, for every scope and id', async () => {
    const plain = async (a: Actor, id: number) =>
      policy.query<Row>(ds.manager, a, ITEM, 'x').andWhere('x.id = :id', { id }).getOne();
    const load = (a: Actor, id: number) => policy.load<Row>(ds.manager, a, ITEM, id).catch(() => null);
    const cases: [Actor, number][] = [];
    for (const a of [actor(), actor(2), actor(3)]) for (const id of [1, 2, 3, 4]) cases.push([a, id]);

    const expected = await Promise.all(cases.map(([a, id]) => plain(a, id)));
    const unpatched = await Promise.all(cases.map(([a, id]) => load(a, id)));
    enableCompiledStatements();
    const patched = [];
    for (const [a, id] of cases) patched.push(await load(a, id)); // in order: the first of a shape builds, the rest reuse
    expect(unpatched).toEqual(expected.map((e) => e ?? null));
    expect(patched).toEqual(expected.map((e) => e ?? null));
    expect(patched[0]).toBeInstanceOf(Object);
    expect(patched.filter(Boolean)).toHaveLength(5); // city: 3, county 2: 1, county 3: 1
  });

  it('binds each call’s values into a text built once per WHERE shape', async () => {
    enableCompiledStatements();
    const statements = new CompiledStatements();
    let builds = 0;
    const page = async (active: boolean) => {
      const qb = ds.manager.createQueryBuilder(Item, 't').where('t.active = :active', { active });
      const sql = statements.text(whereShape(qb), () => (builds++, qb.clone().orderBy('t.id').getQuery()));
      const rows = await runStatement(ds.manager, sql, qb.getParameters());
      return rows.map((r) => hydrate<ObjectLiteral>(ds.manager, Item, r, 't'));
    };
    for (const active of [true, false, true]) {
      const expected = await ds.manager
        .createQueryBuilder(Item, 't')
        .where('t.active = :active', { active })
        .orderBy('t.id')
        .getMany();
      expect(await page(active)).toEqual(expected);
    }
    expect(builds).toBe(1);
  });
});
