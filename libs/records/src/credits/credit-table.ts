import { dialectOf, TransactionRunner } from '@shipei/core';
import { creditCycleOf, recountTeachers, sumCreditCycles } from '@shipei/people';
import { EntityManager } from 'typeorm';

/** Teachers (by id range) per rebuild or check transaction. */
export const REBUILD_BATCH = 20_000;

/** The calendar year of a DATE column, per engine. */
function yearOf(em: EntityManager, column: string): string {
  return dialectOf(em) === 'mysql' ? `YEAR(${column})` : `CAST(substr(${column}, 1, 4) AS INTEGER)`;
}

/**
 * Each teacher's credit hours per calendar year from the rows that hold them, for teachers with
 * `lo < id <= hi`: the same rules as the compliance lists always had — completed enrolments by
 * their cohort's end date, external credits by their date.
 */
export function sourceCreditsSql(em: EntityManager): string {
  return `SELECT t.id AS teacherId, u.year AS year, t.countyId AS countyId, t.schoolId AS schoolId, ROUND(SUM(u.h), 1) AS hours
    FROM (SELECT e.teacherId AS teacherId, ${yearOf(em, 'c.endDate')} AS year, COALESCE(e.creditHours, 0) AS h
            FROM enrolment e JOIN cohort c ON c.id = e.cohortId
           WHERE e.status = 'COMPLETED' AND e.teacherId > ? AND e.teacherId <= ?
          UNION ALL
          SELECT x.teacherId, ${yearOf(em, 'x.creditDate')}, x.hours FROM external_credit x
           WHERE x.teacherId > ? AND x.teacherId <= ?) u
    JOIN teacher t ON t.id = u.teacherId
    GROUP BY t.id, u.year, t.countyId, t.schoolId`;
}

async function teacherIdRanges(tx: TransactionRunner, batch: number): Promise<[number, number][]> {
  const [row] = await tx.read((em) => em.query('SELECT MAX(id) AS max FROM teacher'));
  const max = Number(row?.max ?? 0);
  const ranges: [number, number][] = [];
  for (let lo = 0; lo < max; lo += batch) ranges.push([lo, Math.min(lo + batch, max)]);
  return ranges;
}

/**
 * `npm run credits:rebuild`: recounts the schools' teachers (`teacher_count`, one statement), then
 * recomputes `credit_year` from the source rows and `credit_cycle` from it (cycles from
 * `cycleStartYear`), one transaction per range of teacher ids (a province is never locked at
 * once), and returns the credit_year rows written.
 * Idempotent: each range is deleted and written again. Changes made meanwhile are kept — a range's
 * INSERT … SELECT reads the committed rows (a locking read on MySQL), and changes after it add
 * their differences to what it wrote.
 */
export async function rebuildCreditTable(
  tx: TransactionRunner,
  cycleStartYear: number,
  opts: { batch?: number; progress?: (done: number, of: number) => void } = {},
): Promise<number> {
  await tx.run((em) => recountTeachers(em));
  const ranges = await teacherIdRanges(tx, opts.batch ?? REBUILD_BATCH);
  let rows = 0;
  for (const [i, [lo, hi]] of ranges.entries()) {
    rows += await tx.run(async (em) => {
      await em.query('DELETE FROM credit_year WHERE teacherId > ? AND teacherId <= ?', [lo, hi]);
      await em.query(`INSERT INTO credit_year (teacherId, year, countyId, schoolId, hours) ${sourceCreditsSql(em)}`, [
        lo,
        hi,
        lo,
        hi,
      ]);
      await sumCreditCycles(em, cycleStartYear, [lo, hi]);
      const [n] = await em.query('SELECT COUNT(*) AS n FROM credit_year WHERE teacherId > ? AND teacherId <= ?', [
        lo,
        hi,
      ]);
      return Number(n.n);
    });
    opts.progress?.(i + 1, ranges.length);
  }
  return rows;
}

/** A (teacher, year) of `credit_year` or (teacher, cycle) of `credit_cycle` where the table and the source rows disagree. */
export interface CreditMismatch {
  teacherId: number;
  /** The year, or for credit_cycle the cycle's first year. */
  year: number;
  table: 'credit_year' | 'credit_cycle';
  /** What the table holds ('countyId/schoolId hours'), or null for no row (or 0 hours). */
  held: string | null;
  /** What the source rows say, likewise. */
  source: string | null;
}

/**
 * Compares `credit_year` and `credit_cycle` (cycles from `cycleStartYear`) with the sums from the
 * source rows (`npm run credits:rebuild -- --check` and the tests): hours, county and school of
 * every (teacher, year) and (teacher, cycle). A row of 0 hours equals no row.
 */
export async function checkCreditTable(
  tx: TransactionRunner,
  cycleStartYear: number,
  batch = REBUILD_BATCH,
): Promise<CreditMismatch[]> {
  const out: CreditMismatch[] = [];
  type Row = { teacherId: unknown; countyId: unknown; schoolId: unknown; hours: unknown };
  const text = (r: Row) => `${Number(r.countyId)}/${Number(r.schoolId)} ${Number(r.hours)}`;
  const compare = (table: CreditMismatch['table'], have: Map<string, string>, want: Map<string, string>) => {
    for (const k of new Set([...have.keys(), ...want.keys()])) {
      if (have.get(k) === want.get(k)) continue;
      const [teacherId, year] = k.split(':').map(Number);
      out.push({ teacherId, year, table, held: have.get(k) ?? null, source: want.get(k) ?? null });
    }
  };
  for (const [lo, hi] of await teacherIdRanges(tx, batch)) {
    const [years, cycles, source] = await tx.read((em) =>
      Promise.all([
        em.query<(Row & { year: unknown })[]>(
          'SELECT teacherId, year, countyId, schoolId, hours FROM credit_year WHERE teacherId > ? AND teacherId <= ? AND hours <> 0',
          [lo, hi],
        ),
        em.query<(Row & { cycle: unknown })[]>(
          'SELECT teacherId, cycle, countyId, schoolId, hours FROM credit_cycle WHERE teacherId > ? AND teacherId <= ? AND hours <> 0',
          [lo, hi],
        ),
        em.query<(Row & { year: unknown })[]>(sourceCreditsSql(em), [lo, hi, lo, hi]),
      ]),
    );
    const key = (teacherId: unknown, k: unknown) => `${Number(teacherId)}:${Number(k)}`;
    compare(
      'credit_year',
      new Map(years.map((r) => [key(r.teacherId, r.year), text(r)])),
      new Map(source.filter((r) => Number(r.hours) !== 0).map((r) => [key(r.teacherId, r.year), text(r)])),
    );
    const perCycle = new Map<string, Row>();
    for (const r of source) {
      const k = key(r.teacherId, creditCycleOf(Number(r.year), cycleStartYear));
      const sum = perCycle.get(k);
      perCycle.set(k, { ...r, hours: Math.round((Number(sum?.hours ?? 0) + Number(r.hours)) * 10) / 10 });
    }
    compare(
      'credit_cycle',
      new Map(cycles.map((r) => [key(r.teacherId, r.cycle), text(r)])),
      new Map([...perCycle].filter(([, r]) => Number(r.hours) !== 0).map(([k, r]) => [k, text(r)])),
    );
  }
  return out.sort((a, b) => a.teacherId - b.teacherId || a.table.localeCompare(b.table) || a.year - b.year);
}

/** Schools whose maintained teacher count differs from their teachers: `schoolId: counted ≠ actual`. */
export async function checkTeacherCounts(tx: TransactionRunner): Promise<string[]> {
  const [counted, actual] = await tx.read((em) =>
    Promise.all([
      em.query('SELECT schoolId, countyId, teachers AS n FROM teacher_count WHERE teachers <> 0'),
      em.query('SELECT schoolId, countyId, COUNT(*) AS n FROM teacher GROUP BY schoolId, countyId'),
    ]),
  );
  const text = (rows: Record<string, unknown>[]) =>
    new Map(rows.map((r) => [Number(r.schoolId), `${Number(r.countyId)}/${Number(r.n)}`]));
  const [have, want] = [text(counted), text(actual)];
  return [...new Set([...have.keys(), ...want.keys()])]
    .filter((k) => have.get(k) !== want.get(k))
    .sort((a, b) => a - b)
    .map((k) => `${k}: ${have.get(k) ?? '—'} ≠ ${want.get(k) ?? '—'}`);
}
