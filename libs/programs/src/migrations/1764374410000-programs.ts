import { MigrationInterface, QueryRunner, Table, TableCheckOptions } from 'typeorm';
import { col, fk, index } from '@shipei/core';

/**
 * The counters that guard seats, quotas and capacities may never pass their limits, even if
 * a bug skipped a conditional update. SQLite gets the CHECKs in the table (as the entities
 * declare them); TypeORM ignores CHECKs on MySQL/MariaDB, so there they are added by hand.
 */
const CHECKS: Record<string, TableCheckOptions> = {
  program: { name: 'chk_program_approved', expression: '"approvedCount" >= 0 AND "approvedCount" <= "seats"' },
  county_quota: { name: 'chk_quota_nominated', expression: '"nominatedCount" >= 0 AND "nominatedCount" <= "seats"' },
  cohort: { name: 'chk_cohort_assigned', expression: '"assignedCount" >= 0 AND "assignedCount" <= "capacity"' },
};

const isMysql = (q: QueryRunner) => ['mysql', 'mariadb'].includes(q.connection.options.type);
const checksFor = (q: QueryRunner, table: string) => (isMysql(q) ? [] : [CHECKS[table]]);

export class Programs1764374410000 implements MigrationInterface {
  name = 'Programs1764374410000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'program',
        checks: checksFor(q, 'program'),
        columns: [
          col.id(),
          col.str('kind', 20),
          col.int('year'),
          col.str('title', 200),
          col.int('ownerOrganisationId'),
          col.int('ownerCountyId', { isNullable: true }),
          col.int('seats'),
          col.int('approvedCount', { default: 0 }),
          col.decimal('creditHours', 6, 1),
          col.decimal('attendanceThreshold', 5, 4, { default: 0.8 }),
          col.int('lateGraceMinutes', { default: 15 }),
          col.datetime('nominationDeadline', { isNullable: true }),
          col.str('status', 20, { default: "'DRAFT'" }),
          col.bool('requirePovertyVillage', true),
          col.str('minBackboneLevel', 10, { isNullable: true }),
          col.str('stages', 100, { default: "''" }),
          col.str('subjects', 500, { default: "''" }),
          col.str('certificatePrefix', 20),
          col.text('certificateTemplate', { isNullable: true }),
          col.int('certificateSeq', { default: 0 }),
          col.date('startDate', { isNullable: true }),
          col.date('endDate', { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('idx_program_year_kind', ['year', 'kind']),
          index('idx_program_owner_org', ['ownerOrganisationId']),
          index('idx_program_owner_county', ['ownerCountyId', 'status']),
        ],
        foreignKeys: [fk(['ownerOrganisationId'], 'organisation'), fk(['ownerCountyId'], 'organisation')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'county_quota',
        checks: checksFor(q, 'county_quota'),
        columns: [
          col.id(),
          col.int('programId'),
          col.int('countyId'),
          col.int('seats'),
          col.int('nominatedCount', { default: 0 }),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('uq_quota_program_county', ['programId', 'countyId'], true),
          index('idx_quota_county', ['countyId']),
        ],
        foreignKeys: [fk(['programId'], 'program'), fk(['countyId'], 'organisation')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohort',
        checks: checksFor(q, 'cohort'),
        columns: [
          col.id(),
          col.int('programId'),
          col.str('name', 100),
          col.int('capacity'),
          col.int('assignedCount', { default: 0 }),
          col.date('startDate'),
          col.date('endDate'),
          col.str('venue', 200, { default: "''" }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [index('idx_cohort_program', ['programId', 'startDate'])],
        foreignKeys: [fk(['programId'], 'program')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cohort_trainer',
        columns: [col.id(), col.int('cohortId'), col.int('userId'), col.bool('head', false)],
        indices: [
          index('uq_cohort_trainer', ['cohortId', 'userId'], true),
          index('idx_cohort_trainer_user', ['userId']),
        ],
        foreignKeys: [fk(['cohortId'], 'cohort'), fk(['userId'], 'user_account')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'training_session',
        columns: [
          col.id(),
          col.int('cohortId'),
          col.str('title', 200),
          col.datetime('startsAt'),
          col.datetime('endsAt'),
          col.decimal('hours', 5, 2),
          col.int('trainerId', { isNullable: true }),
          col.str('room', 100, { default: "''" }),
          col.datetime('createdAt'),
        ],
        indices: [
          index('idx_session_cohort', ['cohortId', 'startsAt']),
          index('idx_session_trainer', ['trainerId', 'startsAt']),
        ],
        foreignKeys: [fk(['cohortId'], 'cohort'), fk(['trainerId'], 'user_account')],
      }),
    );
    if (isMysql(q)) {
      for (const [table, check] of Object.entries(CHECKS)) {
        await q.query(
          `ALTER TABLE \`${table}\` ADD CONSTRAINT \`${check.name}\` CHECK (${check.expression!.replace(/"/g, '`')})`,
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('training_session');
    await q.dropTable('cohort_trainer');
    await q.dropTable('cohort');
    await q.dropTable('county_quota');
    await q.dropTable('program');
  }
}
