import { createRequire } from 'node:module';

const MEMOISED = Symbol('shipei.memoisedPromiseWrapper');

/** The mysql2 TypeORM loads (resolved from typeorm, so the patched class is the one in use). */
export function typeormMysql2Path(): string {
  return createRequire(require.resolve('typeorm')).resolve('mysql2');
}

/**
 * TypeORM runs every MySQL statement as `connection.promise().query(…)`, and mysql2's
 * `PoolConnection.promise()` does a `require()` and builds a new EventEmitter wrapper on each call:
 * ~10 µs a statement (CPU profile of bench/checkin.bench.ts). The wrapper only holds the
 * connection, so one per pooled connection is kept and reused. Idempotent.
 */
export function reusePromiseWrappers(): void {
  const mysql2 = createRequire(require.resolve('typeorm'))('mysql2') as {
    PoolConnection: { prototype: Record<string | symbol, unknown> };
  };
  const proto = mysql2.PoolConnection.prototype as { promise: (impl?: unknown) => unknown; [MEMOISED]?: true };
  if (proto[MEMOISED]) return;
  const create = proto.promise;
  const wrappers = new WeakMap<object, unknown>();
  proto.promise = function (this: object, impl?: unknown) {
    if (impl) return create.call(this, impl);
    let wrapper = wrappers.get(this);
    if (!wrapper) wrappers.set(this, (wrapper = create.call(this)));
    return wrapper;
  };
  proto[MEMOISED] = true;
}
