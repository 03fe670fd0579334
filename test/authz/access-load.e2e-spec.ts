/**
 * AccessPolicy.load runs a statement compiled once per (kind, mode, scope) and turns its row into
 * the entity itself. This checks it against TypeORM's own query builder (`getOne` of the same
 * scoped query) for every registered kind, every actor of the matrix, both modes, and every id the
 * matrix's fixtures create: the same rows visible, the same entities, field for field.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AccessPolicy, Actor, NotFoundError } from '@shipei/core';
import { startTestApp, TestApp } from '../support/test-app';
import { AuthzContext } from './authz';
import { buildContext } from './context';

jest.setTimeout(300_000);

function actorOf(token: string): Actor {
  const p = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  return {
    userId: p.sub,
    role: p.role,
    organisationId: p.org ?? null,
    countyId: p.county ?? null,
    teacherId: p.tch ?? null,
    ip: '127.0.0.1',
    requestId: 'access-load-test',
  };
}

describe('AccessPolicy.load equals the query builder it replaces', () => {
  let t: TestApp;
  let ctx: AuthzContext;

  beforeAll(async () => {
    t = await startTestApp();
    ctx = await buildContext(t);
    for (const f of readdirSync(__dirname)
      .filter((n) => n.endsWith('.routes.ts'))
      .sort()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(__dirname, f));
      if (mod.setup) await mod.setup(ctx);
    }
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('for every kind, actor, mode and fixture id', async () => {
    const policy = t.app.get(AccessPolicy);
    const em = t.db.manager;
    const ids = [...new Set(Object.values(ctx.ids).filter((v): v is number => Number.isSafeInteger(v)))].sort(
      (a, b) => a - b,
    );
    const actors = (['city', 'countyA', 'countyB', 'trainer', 'teacher'] as const).map(
      (a) => [a, actorOf(ctx.tokens[a]!)] as const,
    );
    let found = 0;
    let compared = 0;
    for (const kind of policy.kinds) {
      for (const [name, actor] of actors) {
        for (const mode of ['read', 'write'] as const) {
          for (const id of ids) {
            const expected = await policy.query(em, actor, kind, 'x', mode).andWhere('x.id = :id', { id }).getOne();
            const got = await policy
              .load(em, actor, kind, id, mode)
              .catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e)));
            compared++;
            if (expected) found++;
            expect([kind, name, mode, id, got === null ? null : got.constructor.name]).toEqual([
              kind,
              name,
              mode,
              id,
              expected ? expected.constructor.name : null,
            ]);
            if (expected) expect(got).toEqual(expected);
          }
        }
      }
    }
    expect(found).toBeGreaterThan(100); // the comparison saw real rows, not only 404s
    expect(compared).toBe(policy.kinds.length * actors.length * 2 * ids.length);
  });
});
