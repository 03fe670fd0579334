import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

export class Enrolment1764374411000 implements MigrationInterface {
  name = 'Enrolment1764374411000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'enrolment',
        columns: [
          col.id(),
          col.int('programId'),
          col.int('teacherId'),
          col.int('countyId'),
          col.str('status', 20),
          col.int('cohortId', { isNullable: true }),
          col.str('reason', 500, { isNullable: true }),
          col.decimal('attendedHours', 7, 2, { isNullable: true }),
          col.decimal('attendanceRate', 5, 4, { isNullable: true }),
          col.decimal('creditHours', 6, 1, { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
          col.datetime('nominatedAt', { isNullable: true }),
          col.datetime('waitlistedAt', { isNullable: true }),
          col.datetime('approvedAt', { isNullable: true }),
          col.datetime('rejectedAt', { isNullable: true }),
          col.datetime('confirmedAt', { isNullable: true }),
          col.datetime('declinedAt', { isNullable: true }),
          col.datetime('withdrawnAt', { isNullable: true }),
          col.datetime('assignedAt', { isNullable: true }),
          col.datetime('completedAt', { isNullable: true }),
        ],
        indices: [
          index('uq_enrolment_program_teacher', ['programId', 'teacherId'], true),
          index('idx_enrolment_program_county_status', ['programId', 'countyId', 'status']),
          index('idx_enrolment_cohort', ['cohortId']),
          index('idx_enrolment_teacher', ['teacherId']),
          index('idx_enrolment_county', ['countyId', 'status']),
        ],
        foreignKeys: [
          fk(['programId'], 'program'),
          fk(['teacherId'], 'teacher'),
          fk(['countyId'], 'organisation'),
          fk(['cohortId'], 'cohort'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('enrolment');
  }
}
