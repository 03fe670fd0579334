import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col, index } from '@shipei/core';

/**
 * Province scale (issue 21, spec §16): the teacher list's filters served by indexes, and the
 * per-county teacher tally the list's totals and the staff home page read instead of COUNT(*).
 *
 * Each filter a user has gets an index ending in `id`, so a page is a range walk already in list
 * order that stops after the page (keyset: `… AND id > :after ORDER BY id LIMIT n`), whatever the
 * size of the province: `(countyId, x, id)` for a county (a county admin always has one, the city
 * mostly picks one) and `(x, id)` for the city-wide filter. The name search is ordered by
 * (name, id): `(countyId, name, id)` serves the prefix within a county, `idx_teacher_name` the city.
 * `(countyId, schoolId, id)` walks a county's teachers school by school (exports, compliance).
 */
export const TEACHER_LIST_INDEXES: [string, string[]][] = [
  ['idx_teacher_county_name', ['countyId', 'name', 'id']],
  ['idx_teacher_county_subject', ['countyId', 'subject', 'id']],
  ['idx_teacher_county_school', ['countyId', 'schoolId', 'id']],
  ['idx_teacher_county_stage', ['countyId', 'stage', 'id']],
  ['idx_teacher_county_title', ['countyId', 'title', 'id']],
  ['idx_teacher_county_backbone', ['countyId', 'backboneLevel', 'id']],
  ['idx_teacher_subject', ['subject', 'id']],
  ['idx_teacher_stage', ['stage', 'id']],
  ['idx_teacher_title', ['title', 'id']],
  ['idx_teacher_backbone', ['backboneLevel', 'id']],
];

export class TeacherListIndexes1796720000000 implements MigrationInterface {
  name = 'TeacherListIndexes1796720000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, columns] of TEACHER_LIST_INDEXES)
      await q.createIndex('teacher', new TableIndex(index(name, columns)));
    await q.createTable(
      new Table({
        name: 'teacher_tally',
        columns: [{ ...col.int('countyId'), isPrimary: true }, col.int('teachers', { default: 0 })],
      }),
    );
    // Every county gets its row (0 when it has no teacher yet), so writes only ever update it.
    await q.query(
      `INSERT INTO teacher_tally (countyId, teachers) SELECT o.id, (SELECT COUNT(*) FROM teacher t WHERE t.countyId = o.id) FROM organisation o WHERE o.type = 'COUNTY'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('teacher_tally');
    for (const [name] of [...TEACHER_LIST_INDEXES].reverse()) await q.dropIndex('teacher', name);
  }
}
