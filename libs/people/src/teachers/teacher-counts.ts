import { dialectOf } from '@shipei/core';
import { EntityManager } from 'typeorm';

/** Teachers added to (or, negative, taken from) a school. */
export interface TeacherCountChange {
  schoolId: number;
  countyId: number;
  teachers: number;
}

/**
 * Adds to the schools' teacher counts (see TeacherCount) in the caller's transaction. Increments
 * under the row lock, so concurrent writers in one school each add their own.
 */
export async function countTeachers(em: EntityManager, changes: TeacherCountChange[]): Promise<void> {
  const merged = new Map<number, TeacherCountChange>();
  for (const c of changes) {
    const m = merged.get(c.schoolId);
    merged.set(c.schoolId, { ...c, teachers: (m?.teachers ?? 0) + c.teachers });
  }
  const rows = [...merged.values()].filter((c) => c.teachers !== 0);
  if (!rows.length) return;
  const onConflict =
    dialectOf(em) === 'mysql'
      ? 'ON DUPLICATE KEY UPDATE teachers = teachers + VALUES(teachers), countyId = VALUES(countyId)'
      : 'ON CONFLICT (schoolId) DO UPDATE SET teachers = teachers + excluded.teachers, countyId = excluded.countyId';
  await em.query(
    `INSERT INTO teacher_count (schoolId, countyId, teachers) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')} ${onConflict}`,
    rows.flatMap((c) => [c.schoolId, c.countyId, c.teachers]),
  );
}

/** Recounts every school's teachers from the teacher table (the rebuild command). */
export async function recountTeachers(em: EntityManager): Promise<void> {
  await em.query('DELETE FROM teacher_count');
  await em.query(
    'INSERT INTO teacher_count (schoolId, countyId, teachers) SELECT t.schoolId, t.countyId, COUNT(*) FROM teacher t GROUP BY t.schoolId, t.countyId',
  );
}
