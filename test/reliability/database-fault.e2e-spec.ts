/**
 * Database faults (issue 9 §3): the app runs on a private MariaDB started for this suite only
 * (test/support/private-mariadb.ts; the shared server on 3306 is never touched), with reads and
 * writes flowing from several clients. MariaDB is stopped while they flow, then started again:
 *   - /api/health says 503 while the database is away, 200 again once it is back;
 *   - requests fail cleanly with 503 DATABASE_UNAVAILABLE and a Chinese message, none takes > 6 s;
 *   - no other error status (no 500) at any time;
 *   - the app recovers by itself (no restart) and every write it acknowledged (201) is in the database.
 * A frozen server (SIGSTOP: connections stay open, nothing answers) is also tried: health must say 503
 * within its 2 s ping timeout, and the app must recover when the server thaws. Requests already waiting
 * on a pooled connection wait for the thaw (no statement timeout is set); the time is reported.
 * MySQL-only by nature; it starts its own server, so it runs in the SQLite run of the suite too.
 */
import { createConnection } from 'mysql2/promise';
import { adminToken, countyIdByCode } from '../support/fixtures';
import { startPrivateMariaDb, PrivateMariaDb } from '../support/private-mariadb';
import { startTestApp, TestApp } from '../support/test-app';
import { report } from './support/report';

const CJK = /[\u4e00-\u9fff]/;
const HANG_MS = 6_000;
const OUTAGE_MS = 8_000;

jest.setTimeout(300_000);

interface Outcome {
  kind: 'read' | 'write' | 'health';
  at: number;
  ms: number;
  status: number;
  code?: string;
  message?: string;
  name?: string;
}

describe('MariaDB stopped and started under load', () => {
  let maria: PrivateMariaDb;
  let t: TestApp;
  let admin: string;
  let countyId: number;

  beforeAll(async () => {
    maria = await startPrivateMariaDb();
    const url = await maria.createDatabase('shipei_fault');
    t = await startTestApp({}, { url, dialect: 'mysql', drop: async () => undefined });
    admin = await adminToken(t.http);
    countyId = await countyIdByCode(t.db, '371302');
  }, 180_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await maria?.destroy();
  });

  it('answers 503 quickly while the database is away, recovers by itself, and loses no acknowledged write', async () => {
    const outcomes: Outcome[] = [];
    const t0 = Date.now();
    let stop = false;
    let serial = 0;

    const timed = async (kind: Outcome['kind'], send: () => Promise<{ status: number; body: any }>, name?: string) => {
      const at = Date.now() - t0;
      const res = await send();
      outcomes.push({
        kind,
        at,
        ms: Date.now() - t0 - at,
        status: res.status,
        code: res.body?.code,
        message: res.body?.message,
        name,
      });
      return res;
    };
    const writer = async () => {
      while (!stop) {
        const name = `故障测试学校${++serial}`;
        await timed(
          'write',
          () =>
            t.http
              .post('/api/v1/organisations')
              .auth(admin, { type: 'bearer' })
              .timeout(30_000)
              .send({ type: 'SCHOOL', name, parentId: countyId, povertyVillage: true, receivingSchool: false }),
          name,
        );
      }
    };
    const reader = async () => {
      while (!stop)
        await timed('read', () =>
          t.http
            .get(`/api/v1/organisations?parentId=${countyId}&pageSize=5`)
            .auth(admin, { type: 'bearer' })
            .timeout(30_000),
        );
    };
    const health = async () => {
      while (!stop) {
        await timed('health', () => t.http.get('/api/health').timeout(30_000));
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const load = Promise.all([writer(), writer(), reader(), reader(), health()]);

    await new Promise((r) => setTimeout(r, 3_000));
    const down = Date.now() - t0;
    await maria.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const upStart = Date.now() - t0;
    await maria.start();
    const up = Date.now() - t0;
    // The app must come back by itself: wait (bounded) for a healthy answer, then keep the load on a little.
    let recovered = -1;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      if ((await t.http.get('/api/health')).status === 200) {
        recovered = Date.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    stop = true;
    await load;

    const during = outcomes.filter((o) => o.at >= down + 500 && o.at + o.ms <= upStart);
    const summary = (list: Outcome[]) =>
      Object.entries(
        list.reduce<Record<string, number>>(
          (acc, o) => ((acc[`${o.kind} ${o.status}`] = (acc[`${o.kind} ${o.status}`] ?? 0) + 1), acc),
          {},
        ),
      )
        .map(([k, n]) => `${k}×${n}`)
        .join(', ');
    report(
      `database fault: ${outcomes.length} requests; stopped at ${down} ms, started at ${upStart}–${up} ms, healthy again at ${recovered} ms; ` +
        `slowest ${Math.max(...outcomes.map((o) => o.ms))} ms; during the outage: ${summary(during)}; overall: ${summary(outcomes)}`,
    );

    // Never anything but success or a clean 503, and never a hang.
    expect(
      outcomes.filter((o) => !(o.status < 300 || o.status === 503)).map((o) => `${o.kind} ${o.status} ${o.code}`),
    ).toEqual([]);
    expect(outcomes.filter((o) => o.ms > HANG_MS).map((o) => `${o.kind} took ${o.ms} ms`)).toEqual([]);
    // While the database is away: health says so, requests fail with the Chinese 503.
    expect(during.filter((o) => o.kind === 'health').length).toBeGreaterThan(3);
    expect(during.filter((o) => o.kind === 'health' && o.status !== 503)).toEqual([]);
    const failed = during.filter((o) => o.kind !== 'health');
    expect(failed.length).toBeGreaterThan(10);
    expect(
      failed.filter((o) => o.status !== 503 || o.code !== 'DATABASE_UNAVAILABLE' || !CJK.test(o.message ?? '')),
    ).toEqual([]);
    // Back by itself, serving reads and writes again.
    expect(recovered).toBeGreaterThan(0);
    const after = outcomes.filter((o) => o.at > recovered);
    expect(after.filter((o) => o.kind === 'write' && o.status === 201).length).toBeGreaterThan(0);
    expect(after.filter((o) => o.status !== 200 && o.status !== 201)).toEqual([]);

    // Every acknowledged write is in the database (read with a connection of our own).
    const acknowledged = outcomes.filter((o) => o.kind === 'write' && o.status === 201).map((o) => o.name!);
    const conn = await createConnection({
      host: '127.0.0.1',
      port: maria.port,
      user: 'root',
      database: 'shipei_fault',
    });
    const [rows] = await conn.query(`SELECT name FROM organisation WHERE name LIKE '故障测试学校%'`);
    await conn.end();
    const stored = new Set((rows as { name: string }[]).map((r) => r.name));
    expect(acknowledged.length).toBeGreaterThan(20);
    expect(acknowledged.filter((n) => !stored.has(n))).toEqual([]);
  });

  it('reports a frozen server within the health ping timeout and recovers when it thaws, losing no acknowledged write', async () => {
    const outcomes: Outcome[] = [];
    const t0 = Date.now();
    let stop = false;
    let serial = 0;
    const writer = async () => {
      while (!stop) {
        const name = `冻结测试学校${++serial}`;
        const at = Date.now() - t0;
        const res = await t.http
          .post('/api/v1/organisations')
          .auth(admin, { type: 'bearer' })
          .timeout(60_000)
          .send({ type: 'SCHOOL', name, parentId: countyId, povertyVillage: true, receivingSchool: false });
        outcomes.push({ kind: 'write', at, ms: Date.now() - t0 - at, status: res.status, code: res.body?.code, name });
      }
    };
    const health: Outcome[] = [];
    const load = Promise.all([writer(), writer()]);
    await new Promise((r) => setTimeout(r, 2_000));
    maria.pause();
    await new Promise((r) => setTimeout(r, 300)); // SIGSTOP is delivered asynchronously
    const frozenAt = Date.now();
    while (Date.now() - frozenAt < 8_000) {
      const at = Date.now() - t0;
      const res = await t.http.get('/api/health').timeout(30_000);
      health.push({
        kind: 'health',
        at,
        ms: Date.now() - t0 - at,
        status: res.status,
        code: res.body?.code,
        message: res.body?.message,
      });
      await new Promise((r) => setTimeout(r, 300));
    }
    maria.resume();
    let recovered = false;
    for (const deadline = Date.now() + 30_000; !recovered && Date.now() < deadline;) {
      recovered = (await t.http.get('/api/health')).status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 2_000));
    stop = true;
    await load;

    report(
      `frozen database: health answered ${health.map((h) => `${h.status} in ${h.ms} ms`).join(', ')}; writes: ${outcomes.length}, slowest ${Math.max(...outcomes.map((o) => o.ms))} ms (waiting for the thaw), statuses ${[...new Set(outcomes.map((o) => o.status))].join('/')}`,
    );
    expect(health.length).toBeGreaterThan(2);
    expect(health.filter((h) => h.status !== 503 || h.ms > 3_000)).toEqual([]);
    expect(health.every((h) => CJK.test(h.message ?? ''))).toBe(true);
    expect(recovered).toBe(true);
    expect(outcomes.filter((o) => !(o.status === 201 || o.status === 503))).toEqual([]);
    const conn = await createConnection({
      host: '127.0.0.1',
      port: maria.port,
      user: 'root',
      database: 'shipei_fault',
    });
    const [rows] = await conn.query(`SELECT name FROM organisation WHERE name LIKE '冻结测试学校%'`);
    await conn.end();
    const stored = new Set((rows as { name: string }[]).map((r) => r.name));
    expect(outcomes.filter((o) => o.status === 201 && !stored.has(o.name!))).toEqual([]);
  });
});
