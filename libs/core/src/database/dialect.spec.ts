import { DataSource, EntitySchema } from 'typeorm';
import { dialectOf, hasRowLocks, insertId, isDuplicateKey, lockForShare, lockForUpdate } from './dialect';

const Thing = new EntitySchema<{ id: number; name: string }>({
  name: 'thing',
  columns: { id: { type: Number, primary: true, generated: true }, name: { type: String, unique: true } },
});

describe('dialect helpers', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Thing],
      synchronize: true,
    }).initialize();
  });
  afterAll(() => ds.destroy());

  it('name the engine of a URL, a data source and an entity manager', () => {
    expect(dialectOf('sqlite:data/x.sqlite')).toBe('sqlite');
    expect(dialectOf('mysql://root@127.0.0.1:3306/x')).toBe('mysql');
    expect(dialectOf(ds)).toBe('sqlite');
    expect(dialectOf(ds.manager)).toBe('sqlite');
    expect(hasRowLocks(ds.manager)).toBe(false);
  });

  it('lock only where the engine has row locks (MySQL)', () => {
    const sqlite = ds.createQueryBuilder().select('t.id').from('thing', 't');
    expect(lockForUpdate(sqlite).getSql()).not.toMatch(/FOR UPDATE|LOCK IN/);
    const mysql = new DataSource({ type: 'mysql', entities: [Thing] });
    Object.assign(mysql, { isInitialized: true });
    expect(lockForUpdate(mysql.createQueryBuilder().select('t.id').from('thing', 't')).getSql()).toMatch(/FOR UPDATE$/);
    expect(lockForShare(mysql.createQueryBuilder().select('t.id').from('thing', 't')).getSql()).toMatch(
      /LOCK IN SHARE MODE$|FOR SHARE$/,
    );
  });

  it('read the id of a raw insert and recognise a duplicate key', async () => {
    const qr = ds.createQueryRunner();
    const res = await qr.query('INSERT INTO thing (name) VALUES (?)', ['a'], true);
    expect(insertId(ds.manager, res.raw)).toBe(1);
    const dup = await qr.query('INSERT INTO thing (name) VALUES (?)', ['a'], true).catch((e: unknown) => e);
    await qr.release();
    expect(isDuplicateKey(dup)).toBe(true);
    expect(isDuplicateKey({ driverError: { code: 'ER_DUP_ENTRY' } })).toBe(true);
    expect(isDuplicateKey({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).toBe(false);
    expect(isDuplicateKey(new Error('boom'))).toBe(false);
  });
});
