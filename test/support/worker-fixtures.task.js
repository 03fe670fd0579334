// The plain-JavaScript twin of worker-fixtures.task.ts: a task as `nest build` leaves it in production,
// which the pool's worker must load without any TypeScript loader.
'use strict';

exports.echo = function echo(args) {
  return { args, ts: typeof require.extensions['.ts'] === 'function', file: __filename };
};
