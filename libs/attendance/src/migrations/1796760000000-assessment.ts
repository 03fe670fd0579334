import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, dialectOf, fk, index } from '@shipei/core';

/**
 * 考核 (spec §15): a program's scored items, a trainee's score per item, and a trainee's submission
 * per item. Read and written by SQL only (no entities), like leave_attachment.
 *
 * A submission may be 20 MB, beyond MySQL's MEDIUMBLOB (16 MB) and the default max_allowed_packet
 * (16 MB on MariaDB 10.6+): its content is kept in 1 MB chunks, one row each, so no statement ever
 * carries more than a chunk, on any server setting.
 */
export class Assessment1796760000000 implements MigrationInterface {
  name = 'Assessment1796760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'assessment_item',
        columns: [
          col.id(),
          col.int('programId'),
          col.int('position'),
          col.str('name', 50),
          col.decimal('maxScore', 6, 2),
          col.decimal('passMark', 6, 2),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        foreignKeys: [fk(['programId'], 'program', 'CASCADE')],
        indices: [index('uq_assessment_item_name', ['programId', 'name'], true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessment_score',
        columns: [
          col.id(),
          col.int('enrolmentId'),
          col.int('itemId'),
          col.int('cohortId'),
          col.decimal('score', 6, 2),
          col.int('updatedById', { isNullable: true }),
          col.datetime('updatedAt'),
        ],
        foreignKeys: [
          fk(['enrolmentId'], 'enrolment', 'CASCADE'),
          fk(['itemId'], 'assessment_item', 'RESTRICT'),
          fk(['cohortId'], 'cohort', 'RESTRICT'),
        ],
        indices: [
          index('uq_assessment_score', ['enrolmentId', 'itemId'], true),
          index('idx_assessment_score_cohort', ['cohortId']),
          index('idx_assessment_score_item', ['itemId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessment_submission',
        columns: [
          col.id(),
          col.int('enrolmentId'),
          col.int('itemId'),
          col.str('filename', 200),
          col.str('contentType', 100),
          col.int('size'),
          col.int('chunks'),
          col.datetime('createdAt'),
        ],
        foreignKeys: [fk(['enrolmentId'], 'enrolment', 'CASCADE'), fk(['itemId'], 'assessment_item', 'CASCADE')],
        indices: [
          index('uq_assessment_submission', ['enrolmentId', 'itemId'], true),
          index('idx_assessment_submission_item', ['itemId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessment_submission_chunk',
        columns: [
          { name: 'submissionId', type: 'integer', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'content', type: dialectOf(q.connection) === 'mysql' ? 'mediumblob' : 'blob' },
        ],
        foreignKeys: [fk(['submissionId'], 'assessment_submission', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('assessment_submission_chunk');
    await q.dropTable('assessment_submission');
    await q.dropTable('assessment_score');
    await q.dropTable('assessment_item');
  }
}
