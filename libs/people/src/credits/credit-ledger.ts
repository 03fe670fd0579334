import { dialectOf } from '@shipei/core';
import { EntityManager } from 'typeorm';

/** A change to a teacher's credits in a year: hours to add (negative to take away). */
export interface CreditDelta {
  teacherId: number;
  year: number;
  hours: number;
}

/** Rows per statement (3 parameters each). */
const CHUNK = 500;
const CYCLE_YEARS = 5;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The first year of the five-year cycle holding `year` when cycles start at `cycleStartYear`. */
export function creditCycleOf(year: number, cycleStartYear: number): number {
  return cycleStartYear + CYCLE_YEARS * Math.floor((year - cycleStartYear) / CYCLE_YEARS);
}

/** Sums deltas per (teacher, key), dropping those that cancel out. */
function merge(deltas: CreditDelta[], key: (d: CreditDelta) => number): CreditDelta[] {
  const merged = new Map<string, CreditDelta>();
  for (const d of deltas) {
    const k = key(d);
    const m = merged.get(`${d.teacherId}:${k}`);
    merged.set(`${d.teacherId}:${k}`, { teacherId: d.teacherId, year: k, hours: round1((m?.hours ?? 0) + d.hours) });
  }
  return [...merged.values()].filter((d) => d.hours !== 0);
}

/** Adds per-teacher hours to `table` (credit_year by year, credit_cycle by cycle), the county and school read from the teacher. */
async function upsert(
  em: EntityManager,
  table: 'credit_year' | 'credit_cycle',
  column: 'year' | 'cycle',
  rows: CreditDelta[],
) {
  const onConflict =
    dialectOf(em) === 'mysql'
      ? `ON DUPLICATE KEY UPDATE ${table}.hours = ROUND(${table}.hours + VALUES(hours), 1), ${table}.countyId = VALUES(countyId), ${table}.schoolId = VALUES(schoolId)`
      : `ON CONFLICT (teacherId, ${column}) DO UPDATE SET hours = ROUND(${table}.hours + excluded.hours, 1), countyId = excluded.countyId, schoolId = excluded.schoolId`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const values = part
      .map((_, j) => (j === 0 ? 'SELECT ? AS teacherId, ? AS k, ? AS hours' : 'SELECT ?, ?, ?'))
      .join(' UNION ALL ');
    // WHERE: SQLite needs one before ON CONFLICT to tell it from a join's ON.
    await em.query(
      `INSERT INTO ${table} (teacherId, ${column}, countyId, schoolId, hours) SELECT t.id, d.k, t.countyId, t.schoolId, d.hours FROM (${values}) d JOIN teacher t ON t.id = d.teacherId WHERE d.hours <> 0 ${onConflict}`,
      part.flatMap((d) => [d.teacherId, d.year, d.hours]),
    );
  }
}

/**
 * Adds credit-hour changes to `credit_year` and `credit_cycle`, inside the caller's transaction
 * (the one that changes the credits themselves), so the tables commit or roll back with them.
 * Called by every writer of a credit: completion (libs/attendance), external credits (libs/records).
 *
 * It adds differences rather than recomputing sums: two transactions changing the same teacher's
 * credits at once each add their own difference under the row lock, where recomputing from a
 * snapshot could lose one of them. The county and school are read from the teacher row by the
 * same statement (a locking read on MySQL), so a concurrent move of the teacher is never missed.
 */
export async function addCredits(em: EntityManager, deltas: CreditDelta[], cycleStartYear: number): Promise<void> {
  await upsert(
    em,
    'credit_year',
    'year',
    merge(deltas, (d) => d.year),
  );
  await upsert(
    em,
    'credit_cycle',
    'cycle',
    merge(deltas, (d) => creditCycleOf(d.year, cycleStartYear)),
  );
}

/**
 * After teachers moved to another school (and maybe county): their credit rows follow, in the
 * transaction of the move. Called by libs/people's teacher update and import.
 */
export async function followTeachers(em: EntityManager, teacherIds: number[]): Promise<void> {
  const ids = [...new Set(teacherIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    for (const table of ['credit_year', 'credit_cycle'])
      await em.query(
        `UPDATE ${table} SET countyId = (SELECT t.countyId FROM teacher t WHERE t.id = ${table}.teacherId), schoolId = (SELECT t.schoolId FROM teacher t WHERE t.id = ${table}.teacherId) WHERE teacherId IN (${part.map(() => '?').join(', ')})`,
        part,
      );
  }
}

/**
 * `credit_cycle` from `credit_year` under `cycleStartYear`, for teachers `lo < id <= hi` (all when
 * omitted): the rebuild command, and the realignment when the configured start year changed.
 */
export async function sumCreditCycles(
  em: EntityManager,
  cycleStartYear: number,
  range?: [number, number],
): Promise<void> {
  // Floor division for years before the start too: from a base 5,000 years earlier (integers only).
  const base = Math.trunc(cycleStartYear) - 1000 * CYCLE_YEARS;
  const div = dialectOf(em) === 'mysql' ? 'DIV' : '/';
  const cycle = `${base} + ${CYCLE_YEARS} * ((cy.year - ${base}) ${div} ${CYCLE_YEARS})`;
  const within = range ? 'teacherId > ? AND teacherId <= ?' : '1 = 1';
  await em.query(`DELETE FROM credit_cycle WHERE ${within}`, range ?? []);
  await em.query(
    `INSERT INTO credit_cycle (teacherId, cycle, countyId, schoolId, hours)
     SELECT cy.teacherId, ${cycle}, MAX(cy.countyId), MAX(cy.schoolId), ROUND(SUM(cy.hours), 1)
       FROM credit_year cy WHERE ${range ? 'cy.teacherId > ? AND cy.teacherId <= ?' : '1 = 1'} GROUP BY cy.teacherId, ${cycle}`,
    range ?? [],
  );
}

/**
 * Whether `credit_cycle` was summed under `cycleStartYear` (every row is, or none: one row tells);
 * if not, sums it again. Run when the app starts, so a changed CREDIT_CYCLE_START_YEAR takes effect.
 */
export async function alignCreditCycles(em: EntityManager, cycleStartYear: number): Promise<boolean> {
  const [row] = await em.query('SELECT cycle FROM credit_cycle LIMIT 1');
  if (!row || creditCycleOf(Number(row.cycle), cycleStartYear) === Number(row.cycle)) return false;
  await sumCreditCycles(em, cycleStartYear);
  return true;
}
