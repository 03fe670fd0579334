import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

/**
 * 训后评价 (spec §15): a cohort's questions, anonymous responses and their answers, and the
 * "has answered" rows that stop a second answer. The three anonymous tables have no increasing id
 * and no time of day (WITHOUT ROWID on SQLite, so not even SQLite's hidden rowid keeps the order).
 */
export class Surveys1796750000000 implements MigrationInterface {
  name = 'Surveys1796750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'survey_question',
        columns: [
          col.id(),
          col.int('cohortId'),
          col.int('position'),
          col.str('kind', 10),
          col.str('text', 300),
          col.int('sessionId', { isNullable: true }),
        ],
        foreignKeys: [fk(['cohortId'], 'cohort'), fk(['sessionId'], 'training_session')],
        indices: [
          index('idx_survey_question_cohort', ['cohortId', 'position']),
          index('idx_survey_question_session', ['sessionId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'survey_response',
        withoutRowid: true,
        columns: [{ ...col.str('id', 32), isPrimary: true }, col.int('cohortId'), col.date('answeredOn')],
        foreignKeys: [fk(['cohortId'], 'cohort')],
        indices: [index('idx_survey_response_cohort', ['cohortId'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'survey_answer',
        withoutRowid: true,
        columns: [
          { ...col.str('responseId', 32), isPrimary: true },
          { ...col.int('questionId'), isPrimary: true },
          col.int('rating', { isNullable: true }),
          col.text('text', { isNullable: true }),
        ],
        foreignKeys: [fk(['responseId'], 'survey_response', 'CASCADE'), fk(['questionId'], 'survey_question')],
        indices: [index('idx_survey_answer_question', ['questionId', 'rating'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'survey_respondent',
        withoutRowid: true,
        columns: [
          { ...col.int('cohortId'), isPrimary: true },
          { ...col.int('enrolmentId'), isPrimary: true },
        ],
        foreignKeys: [fk(['cohortId'], 'cohort'), fk(['enrolmentId'], 'enrolment')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['survey_respondent', 'survey_answer', 'survey_response', 'survey_question']) await q.dropTable(t);
  }
}
