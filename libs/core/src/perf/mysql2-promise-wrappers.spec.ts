import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { installedVersion } from './installed-version';
import { reusePromiseWrappers, typeormMysql2Path } from './mysql2-promise-wrappers';

type Proto = {
  promise: (this: object, impl?: unknown) => { connection: object; query: (sql: string) => Promise<unknown> };
};

/** A pooled connection as far as the promise wrapper uses it: events, and query with a callback. */
function fakeConnection(answer: string) {
  const conn = new EventEmitter() as EventEmitter & { query: (...a: any[]) => unknown; config: object };
  conn.config = {};
  conn.query = (sql: unknown, values: unknown, cb: (e: null, rows: unknown, fields: unknown[]) => void) => {
    (typeof values === 'function' ? (values as typeof cb) : cb)(null, [{ answer, sql }], []);
    return conn;
  };
  return conn;
}

describe('reusePromiseWrappers (mysql2 as TypeORM loads it)', () => {
  it('patches the mysql2 version it was written for', () => {
    expect(installedVersion('mysql2', typeormMysql2Path())).toBe('3.24.6');
  });

  it('gives a wrapper of the same class over the same connection, with the same answers, once per connection', async () => {
    const mysql2 = createRequire(require.resolve('typeorm'))('mysql2') as { PoolConnection: { prototype: Proto } };
    const proto = mysql2.PoolConnection.prototype;
    const a = fakeConnection('a');
    const b = fakeConnection('b');
    const plain = proto.promise.call(a);
    const plainRows = await plain.query('SELECT 1');

    reusePromiseWrappers();
    reusePromiseWrappers(); // idempotent: must not wrap twice
    const first = proto.promise.call(a);
    expect(first.constructor).toBe(plain.constructor);
    expect(first.connection).toBe(a);
    expect(await first.query('SELECT 1')).toEqual(plainRows);
    expect(proto.promise.call(a)).toBe(first); // reused
    const other = proto.promise.call(b);
    expect(other).not.toBe(first);
    expect(other.connection).toBe(b);
    expect(await other.query('SELECT 1')).toEqual([[{ answer: 'b', sql: 'SELECT 1' }], []]);
    expect(proto.promise.call(a, Promise)).not.toBe(first); // an explicit Promise implementation: a new one, as before
  });
});
