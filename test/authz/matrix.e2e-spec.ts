/**
 * The authorisation matrix: every row of every test/authz/*.routes.ts, called as each of the six
 * actors against one real app; the status must match the row, and a denied call must write
 * nothing. Format: test/authz/README.md. Run alone: `npx jest test/authz`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ACTORS, AuthzContext, Call, Reply, RouteRow } from './authz';
import { buildContext, diffSnapshots, snapshot } from './context';
import { relayed } from '../support/relay';
import { startTestApp, TestApp } from '../support/test-app';

interface RoutesFile {
  name: string;
  routes: RouteRow[];
  setup?: (ctx: AuthzContext) => Promise<void>;
}

// Discovered at load time so each file and row gets its own describe/it.
const files: RoutesFile[] = readdirSync(__dirname)
  .filter((f) => f.endsWith('.routes.ts'))
  .sort()
  .map((f) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, f));
    if (!Array.isArray(mod.routes)) throw new Error(`${f} must export routes: RouteRow[]`);
    return { name: f, routes: mod.routes, setup: mod.setup };
  });

function fill(template: string, vars: Record<string, any>, ctx: AuthzContext): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = key in vars ? vars[key] : ctx.ids[key];
    if (v === undefined || v === null)
      throw new Error(`path placeholder {${key}} has no value (not in setup result nor ctx.ids)`);
    return encodeURIComponent(String(v));
  });
}

async function call(row: RouteRow, c: Call): Promise<Reply> {
  const path = fill(row.path, c.vars, c.ctx);
  let req = c.ctx.http[row.method.toLowerCase() as 'get'](path);
  const token = c.ctx.tokens[c.actor];
  if (token) req = req.auth(token, { type: 'bearer' });
  // Collect every body as bytes (JSON, xlsx, pdf alike); JSON is parsed below.
  req = req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  if (row.upload) {
    const u = await row.upload(c);
    req = req.attach(u.field, u.content, {
      filename: u.filename,
      contentType: u.contentType ?? 'application/octet-stream',
    });
  } else if (row.body !== undefined) {
    req = req.send((typeof row.body === 'function' ? row.body(c) : row.body) as object);
  }
  const res = await req;
  const raw: Buffer = Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0);
  let body: any;
  if (/json/.test(String(res.headers['content-type'])) && raw.length) body = JSON.parse(raw.toString('utf8'));
  return { status: res.status, headers: res.headers as Record<string, string>, body, raw };
}

describe('authorisation matrix', () => {
  let t: TestApp;
  let ctx: AuthzContext;
  let checks = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ctx = await buildContext(t);
  }, 120_000);

  afterAll(async () => {
    const rows = files.reduce((n, f) => n + f.routes.length, 0);
    process.stdout.write(
      `\nauthz matrix (${t?.database.dialect}): ${checks} checks — ${rows} rows × ${ACTORS.length} actors in ${files.length} files\n`,
    );
    await t?.close();
  });

  for (const file of files) {
    describe(`${file.name}`, () => {
      beforeAll(async () => {
        if (file.setup) await file.setup(ctx);
      }, 120_000);

      for (const row of file.routes) {
        const label = row.name ?? `${row.method} ${row.path}`;
        it(`${label}`, async () => {
          const failures: string[] = [];
          for (const actor of ACTORS) {
            const expected = row.expect[actor];
            const vars = row.setup ? await row.setup({ ctx, actor }) : {};
            const c: Call = { ctx, actor, vars };
            const guard = expected >= 400 && !row.writesWhenDenied;
            // The relay hands the events of earlier (allowed) calls on after their commit, marking them
            // handled in domain_event: drained first, so a denied call is compared with a settled database.
            if (guard) await relayed(t.app);
            const before = guard ? await snapshot(ctx) : null;
            const res = await call(row, c);
            checks++;
            if (res.status !== expected) {
              failures.push(
                `${actor}: expected ${expected}, got ${res.status} ${res.body ? JSON.stringify(res.body).slice(0, 300) : ''}`,
              );
              continue;
            }
            if (before) {
              await relayed(t.app);
              const changed = diffSnapshots(before, await snapshot(ctx));
              if (changed.length) failures.push(`${actor}: denied (${res.status}) but wrote to ${changed.join(', ')}`);
            }
            if (row.check && res.status < 300) {
              try {
                await row.check(res, c);
              } catch (e) {
                failures.push(`${actor}: check failed: ${(e as Error).message}`);
              }
            }
          }
          expect(failures).toEqual([]);
        });
      }
    });
  }
});
