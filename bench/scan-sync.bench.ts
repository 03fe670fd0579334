/** POST /api/v1/sessions/:id/scans: one trainer's phone syncing 400 offline pass scans in one request (time; target ≤ 1 s) */
import { PassesService } from '@shipei/attendance';
import { Clock } from '@shipei/core';
import { BenchApp, freshDatabase, parseBenchArgs, startApp } from './lib';

const TRAINEES = 400;
const NOW = new Date('2019-07-15T12:00:00+08:00');

async function ok<T = any>(app: BenchApp, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const r = await app.request<T>(method, path, { token, body });
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

function idNumber(serial: number): string {
  const body = `37130219850101${String(serial).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** A cohort of 400 confirmed trainees: teachers and nominations through the API, approval and assignment in SQL (seeding only). */
async function seed(
  app: BenchApp,
): Promise<{ admin: string; sessionId: number; scans: { token: string; scannedAt: string }[] }> {
  app.nest.get(Clock).now = () => new Date(NOW);
  const admin = await app.login('admin', app.adminPassword);
  const [county] = await app.dataSource.query(`SELECT id FROM organisation WHERE code = '371302'`);
  await ok(app, 'POST', '/api/v1/users', admin, {
    username: 'bench_county',
    password: 'Init1234x',
    role: 'COUNTY_ADMIN',
    organisationId: county.id,
  });
  const first = await app.login('bench_county', 'Init1234x');
  const countyToken = (
    await ok(app, 'POST', '/api/v1/auth/password', first, { currentPassword: 'Init1234x', newPassword: 'Bench12345' })
  ).accessToken;
  const school = await ok(app, 'POST', '/api/v1/organisations', countyToken, {
    type: 'SCHOOL',
    name: '压测小学',
    parentId: county.id,
    povertyVillage: true,
  });
  const program = await ok(app, 'POST', '/api/v1/programs', admin, {
    kind: 'BACKBONE_SUMMER',
    year: 2019,
    title: '离线签到压测',
    seats: TRAINEES,
    creditHours: 48,
    certificatePrefix: 'SCAN',
  });
  await ok(app, 'PUT', `/api/v1/programs/${program.id}/quotas`, admin, [{ countyId: county.id, seats: TRAINEES }]);
  await ok(app, 'POST', `/api/v1/programs/${program.id}/open`, admin);
  const cohort = await ok(app, 'POST', `/api/v1/programs/${program.id}/cohorts`, admin, {
    name: '压测班',
    capacity: TRAINEES,
    startDate: '2019-07-15',
    endDate: '2019-07-15',
    venue: '压测教室',
  });
  const session = await ok(app, 'POST', `/api/v1/cohorts/${cohort.id}/sessions`, admin, {
    title: '压测课次',
    startsAt: '2019-07-15T01:00:00.000Z',
    endsAt: '2019-07-15T03:00:00.000Z',
    hours: 2,
  });
  for (let i = 0; i < TRAINEES; i += 10)
    await Promise.all(
      Array.from({ length: 10 }, async (_, j) => {
        const teacher = await ok(app, 'POST', '/api/v1/teachers', countyToken, {
          name: `压测教师${i + j}`,
          idNumber: idNumber(i + j),
          phone: `137${String(i + j).padStart(8, '0')}`,
          schoolId: school.id,
        });
        await ok(app, 'POST', `/api/v1/programs/${program.id}/enrolments`, countyToken, { teacherId: teacher.id });
      }),
    );
  await app.dataSource.query(`UPDATE enrolment SET status = 'CONFIRMED', cohortId = ? WHERE programId = ?`, [
    cohort.id,
    program.id,
  ]);
  const rows = await app.dataSource.query(`SELECT id, cohortId, status FROM enrolment WHERE programId = ?`, [
    program.id,
  ]);
  const passes = await app.nest.get(PassesService).passes(app.dataSource.manager, rows);
  // Scanned between 08:40 and 09:46 (some late), synced at noon.
  const scans = passes.map((p, i) => ({
    token: p.token,
    scannedAt: new Date(Date.parse('2019-07-15T08:40:00+08:00') + i * 10_000).toISOString(),
  }));
  return { admin, sessionId: session.id, scans };
}

async function run(): Promise<void> {
  const { db = 'sqlite' } = parseBenchArgs(process.argv.slice(2));
  const database = await freshDatabase(db);
  const app = await startApp(database.url);
  try {
    const s = await seed(app);
    const sync = async () => {
      const t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      const r = await app.request('POST', `/api/v1/sessions/${s.sessionId}/scans`, {
        token: s.admin,
        body: { scans: s.scans },
      });
      const cpu = process.cpuUsage(cpu0);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 200) throw new Error(`scans → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      const counts: Record<string, number> = {};
      for (const x of r.body.results) counts[x.status] = (counts[x.status] ?? 0) + 1;
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000, counts };
    };
    const firstSync = await sync();
    const repeat = await sync();
    if ((firstSync.counts.PRESENT ?? 0) + (firstSync.counts.LATE ?? 0) !== TRAINEES)
      throw new Error(`first sync did not count every scan: ${JSON.stringify(firstSync.counts)}`);
    // A re-sent scan is answered as the first time (the phone may have lost that answer); nothing new is recorded.
    const records = await app.dataSource.query(`SELECT COUNT(*) AS n FROM attendance_record WHERE sessionId = ?`, [
      s.sessionId,
    ]);
    if (JSON.stringify(repeat.counts) !== JSON.stringify(firstSync.counts) || Number(records[0].n) !== TRAINEES)
      throw new Error(`repeat was not idempotent: ${JSON.stringify(repeat.counts)}, ${records[0].n} records`);
    const line = (label: string, r: typeof firstSync) =>
      `${label.padEnd(22)} ${r.ms.toFixed(0).padStart(6)} ms  (CPU ${r.cpuMs.toFixed(0)} ms in-process)  ${JSON.stringify(r.counts)}`;
    console.log(`scan sync, ${TRAINEES} scans in one request, ${db}:`);
    console.log(line('first sync (inserts)', firstSync));
    console.log(line('same batch again', repeat));
    console.log(JSON.stringify({ bench: 'scan-sync', db, first: firstSync, repeat }));
    if (firstSync.ms > 1000 || repeat.ms > 1000) console.log('over the 1 s target');
  } finally {
    await app.close();
    await database.drop();
  }
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
