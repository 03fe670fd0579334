import { Injectable } from '@nestjs/common';
import { dialectOf } from '@shipei/core';
import { EntityManager } from 'typeorm';

/**
 * The per-county teacher tally (`teacher_tally`), kept in the transaction of every write that adds a
 * teacher (create, import) or moves one to another county, so the city's and a county's totals are
 * a read of at most 16 rows instead of a COUNT(*) that grows with the province (issue 21). Teachers
 * are never deleted (the person stays on file), so nothing else changes it.
 *
 * Callers add at the end of their transaction: on MySQL the county's row stays locked until commit,
 * so concurrent writers to one county queue only for the commit, not for the whole import.
 */
@Injectable()
export class TeacherTally {
  /** `delta` more (or fewer) teachers in the county, in the caller's transaction. */
  async add(em: EntityManager, countyId: number, delta: number): Promise<void> {
    if (!delta) return;
    const sql =
      dialectOf(em) === 'mysql'
        ? 'INSERT INTO teacher_tally (countyId, teachers) VALUES (?, ?) ON DUPLICATE KEY UPDATE teachers = teachers + VALUES(teachers)'
        : 'INSERT INTO teacher_tally (countyId, teachers) VALUES (?, ?) ON CONFLICT (countyId) DO UPDATE SET teachers = teachers + excluded.teachers';
    await em.query(sql, [countyId, delta]);
  }

  /** A teacher moved from one county to another (rows taken in id order: no lock cycle between two moves). */
  async moved(em: EntityManager, from: number, to: number): Promise<void> {
    if (from === to) return;
    for (const [county, delta] of from < to
      ? [
          [from, -1],
          [to, 1],
        ]
      : [
          [to, 1],
          [from, -1],
        ])
      await this.add(em, county, delta);
  }

  /** Teachers in one county, or in all of them. */
  async total(em: EntityManager, countyId?: number): Promise<number> {
    const [row] =
      countyId === undefined
        ? await em.query('SELECT SUM(teachers) AS n FROM teacher_tally')
        : await em.query('SELECT teachers AS n FROM teacher_tally WHERE countyId = ?', [countyId]);
    return Number(row?.n ?? 0);
  }

  /**
   * Recounts every county from the teacher rows (after a bulk load outside the app, e.g. the scale
   * benchmark, or to repair): one COUNT per county through idx_teacher_county.
   */
  async rebuild(em: EntityManager): Promise<void> {
    await em.query('DELETE FROM teacher_tally');
    await em.query(
      `INSERT INTO teacher_tally (countyId, teachers) SELECT o.id, (SELECT COUNT(*) FROM teacher t WHERE t.countyId = o.id) FROM organisation o WHERE o.type = 'COUNTY'`,
    );
  }
}
