import { EntityManager } from 'typeorm';
import { Recipient } from './message';

/** The teacher, by SMS on their phone, and in the inbox and by e-mail when they have an account. */
export async function teacherRecipient(em: EntityManager, teacherId: number): Promise<Recipient | null> {
  const [row] = await em.query(
    'SELECT t.id AS teacherId, t.phone AS phone, u.id AS userId, u.email AS email FROM teacher t LEFT JOIN user_account u ON u.teacherId = t.id AND u.active = ? WHERE t.id = ?',
    [1, teacherId],
  );
  if (!row) return null;
  return {
    teacherId: Number(row.teacherId),
    userId: row.userId == null ? null : Number(row.userId),
    phone: row.phone || null,
    email: row.email || null,
  };
}

/** Active accounts by id (staff: inbox and e-mail; they carry no phone). */
export async function userRecipients(em: EntityManager, userIds: number[]): Promise<Recipient[]> {
  if (!userIds.length) return [];
  const rows = await em.query(
    `SELECT id, email FROM user_account WHERE active = ? AND id IN (${userIds.map(() => '?').join(',')}) ORDER BY id`,
    [1, ...userIds],
  );
  return rows.map((r: { id: number; email: string | null }) => ({
    userId: Number(r.id),
    teacherId: null,
    phone: null,
    email: r.email || null,
  }));
}

/** The county's administrators. */
export async function countyRecipients(em: EntityManager, countyId: number): Promise<Recipient[]> {
  const rows = await em.query('SELECT id FROM user_account WHERE role = ? AND organisationId = ? AND active = ?', [
    'COUNTY_ADMIN',
    countyId,
    1,
  ]);
  return userRecipients(
    em,
    rows.map((r: { id: number }) => Number(r.id)),
  );
}

/** The cohort's trainers. */
export async function trainerRecipients(em: EntityManager, cohortId: number): Promise<Recipient[]> {
  const rows = await em.query('SELECT userId FROM cohort_trainer WHERE cohortId = ?', [cohortId]);
  return userRecipients(
    em,
    rows.map((r: { userId: number }) => Number(r.userId)),
  );
}
