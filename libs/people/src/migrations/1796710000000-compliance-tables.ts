import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

const isMysql = (q: QueryRunner) => ['mysql', 'mariadb'].includes(q.connection.options.type);

/**
 * The tables the credit-compliance lists read (spec §16), filled from what is there:
 *
 * `teacher_count`: each school's teachers (see TeacherCount).
 *
 * `credit_year`: each teacher's credit hours per calendar year (see CreditYear), filled here
 * from the rows that hold the credits — completed enrolments by their cohort's end date and
 * external credits by their date — so a database that already has credits answers the same
 * after the upgrade. Those tables belong to libs above this one; the statement is written out
 * here (not shared) so this migration stays as it was when it shipped.
 *
 * `credit_cycle`: the same per five-year cycle (see CreditCycle), summed from credit_year with
 * cycles from 2016 (the default CREDIT_CYCLE_START_YEAR; the app realigns it at start if the
 * configured year differs).
 */
export class ComplianceTables1796710000000 implements MigrationInterface {
  name = 'ComplianceTables1796710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'teacher_count',
        columns: [col.int('schoolId', { isPrimary: true }), col.int('countyId'), col.int('teachers', { default: 0 })],
        indices: [index('idx_teacher_count_county', ['countyId', 'schoolId', 'teachers'])],
      }),
    );
    await q.query(
      'INSERT INTO teacher_count (schoolId, countyId, teachers) SELECT t.schoolId, t.countyId, COUNT(*) FROM teacher t GROUP BY t.schoolId, t.countyId',
    );
    await q.createTable(
      new Table({
        name: 'credit_year',
        columns: [
          col.int('teacherId', { isPrimary: true }),
          col.int('year', { isPrimary: true }),
          col.int('countyId'),
          col.int('schoolId'),
          col.decimal('hours', 9, 1),
        ],
        indices: [
          index('idx_credit_year_county', ['year', 'countyId', 'hours']),
          index('idx_credit_year_school', ['year', 'schoolId', 'hours']),
          index('idx_credit_year_met', ['year', 'hours']),
        ],
        foreignKeys: [fk(['teacherId'], 'teacher')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'credit_cycle',
        columns: [
          col.int('teacherId', { isPrimary: true }),
          col.int('cycle', { isPrimary: true }),
          col.int('countyId'),
          col.int('schoolId'),
          col.decimal('hours', 9, 1),
        ],
        indices: [
          index('idx_credit_cycle_county', ['cycle', 'countyId', 'hours']),
          index('idx_credit_cycle_school', ['cycle', 'schoolId', 'hours']),
          index('idx_credit_cycle_met', ['cycle', 'hours']),
        ],
        foreignKeys: [fk(['teacherId'], 'teacher')],
      }),
    );
    const year = (c: string) => (isMysql(q) ? `YEAR(${c})` : `CAST(substr(${c}, 1, 4) AS INTEGER)`);
    await q.query(
      `INSERT INTO credit_year (teacherId, year, countyId, schoolId, hours)
       SELECT t.id, u.year, t.countyId, t.schoolId, ROUND(SUM(u.h), 1)
       FROM (SELECT e.teacherId AS teacherId, ${year('c.endDate')} AS year, COALESCE(e.creditHours, 0) AS h
               FROM enrolment e JOIN cohort c ON c.id = e.cohortId WHERE e.status = 'COMPLETED'
             UNION ALL
             SELECT x.teacherId, ${year('x.creditDate')}, x.hours FROM external_credit x) u
       JOIN teacher t ON t.id = u.teacherId
       GROUP BY t.id, u.year, t.countyId, t.schoolId`,
    );
    // 2016 − 5000: floor division for any year (integers only, both engines).
    const cycle = `-2984 + 5 * ((cy.year + 2984) ${isMysql(q) ? 'DIV' : '/'} 5)`;
    await q.query(
      `INSERT INTO credit_cycle (teacherId, cycle, countyId, schoolId, hours)
       SELECT cy.teacherId, ${cycle}, MAX(cy.countyId), MAX(cy.schoolId), ROUND(SUM(cy.hours), 1)
       FROM credit_year cy GROUP BY cy.teacherId, ${cycle}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('credit_cycle');
    await q.dropTable('credit_year');
    await q.dropTable('teacher_count');
  }
}
