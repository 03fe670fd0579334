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

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Adds credit-hour changes to `credit_year`, inside the caller's transaction (the one that changes
 * the credits themselves), so the table commits or rolls back with them. Called by every writer of
 * a credit: completion (libs/attendance), external credits (libs/records).
 *
 * It adds differences rather than recomputing sums: two transactions changing the same teacher's
 * credits at once each add their own difference under the row lock, where recomputing from a
 * snapshot could lose one of them. The county and school are read from the teacher row by the
 * same statement (a locking read on MySQL), so a concurrent move of the teacher is never missed.
 */
export async function addCredits(em: EntityManager, deltas: CreditDelta[]): Promise<void> {
  const merged = new Map<string, CreditDelta>();
  for (const d of deltas) {
    const key = `${d.teacherId}:${d.year}`;
    const m = merged.get(key);
    merged.set(key, { ...d, hours: round1((m?.hours ?? 0) + d.hours) });
  }
  const rows = [...merged.values()].filter((d) => d.hours !== 0);
  const mysql = dialectOf(em) === 'mysql';
  const onConflict = mysql
    ? 'ON DUPLICATE KEY UPDATE credit_year.hours = ROUND(credit_year.hours + VALUES(hours), 1), credit_year.countyId = VALUES(countyId), credit_year.schoolId = VALUES(schoolId)'
    : 'ON CONFLICT (teacherId, year) DO UPDATE SET hours = ROUND(credit_year.hours + excluded.hours, 1), countyId = excluded.countyId, schoolId = excluded.schoolId';
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const values = part
      .map((_, j) => (j === 0 ? 'SELECT ? AS teacherId, ? AS year, ? AS hours' : 'SELECT ?, ?, ?'))
      .join(' UNION ALL ');
    // WHERE: SQLite needs one before ON CONFLICT to tell it from a join's ON.
    await em.query(
      `INSERT INTO credit_year (teacherId, year, countyId, schoolId, hours) SELECT t.id, d.year, t.countyId, t.schoolId, d.hours FROM (${values}) d JOIN teacher t ON t.id = d.teacherId WHERE d.hours <> 0 ${onConflict}`,
      part.flatMap((d) => [d.teacherId, d.year, d.hours]),
    );
  }
}

/**
 * After teachers moved to another school (and maybe county): their credit rows follow, in the
 * transaction of the move. Called by libs/people's teacher update and import.
 */
export async function followTeachers(em: EntityManager, teacherIds: number[]): Promise<void> {
  const ids = [...new Set(teacherIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await em.query(
      `UPDATE credit_year SET countyId = (SELECT t.countyId FROM teacher t WHERE t.id = credit_year.teacherId), schoolId = (SELECT t.schoolId FROM teacher t WHERE t.id = credit_year.teacherId) WHERE teacherId IN (${part.map(() => '?').join(', ')})`,
      part,
    );
  }
}
