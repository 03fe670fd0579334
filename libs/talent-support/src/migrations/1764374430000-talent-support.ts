import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

export class TalentSupport1764374430000 implements MigrationInterface {
  name = 'TalentSupport1764374430000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'scheme',
        columns: [
          col.id(),
          col.str('kind', 20),
          col.int('year'),
          col.str('title', 100),
          col.int('places'),
          col.date('termStart'),
          col.date('termEnd'),
          col.int('stipendPerYearFen', { default: 2000000 }),
          col.int('ruleMinYears', { isNullable: true }),
          col.str('ruleMinTitle', 10, { isNullable: true }),
          col.bool('ruleAppraisals', true),
          col.bool('ruleNoProbation', true),
          col.bool('ruleNoSpecialPost', true),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [index('idx_scheme_year_kind', ['year', 'kind'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'scheme_quota',
        columns: [
          col.id(),
          col.int('schemeId'),
          col.int('countyId'),
          col.int('places'),
          col.int('used', { default: 0 }),
        ],
        indices: [
          index('uq_scheme_quota_county', ['schemeId', 'countyId'], true),
          index('idx_scheme_quota_county', ['countyId']),
        ],
        foreignKeys: [fk(['schemeId'], 'scheme'), fk(['countyId'], 'organisation')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'placement',
        columns: [
          col.id(),
          col.int('schemeId'),
          col.int('teacherId'),
          col.int('countyId'),
          col.int('homeSchoolId'),
          col.int('receivingSchoolId'),
          col.str('status', 20),
          col.int('activeKey', { isNullable: true }),
          col.datetime('nominatedAt'),
          col.datetime('decidedAt', { isNullable: true }),
          col.str('rejectionReason', 200, { isNullable: true }),
          col.date('arrivalDate', { isNullable: true }),
          col.date('endDate', { isNullable: true }),
          col.str('assessment', 10, { isNullable: true }),
          col.str('assessmentComment', 500, { isNullable: true }),
          col.str('terminationReason', 200, { isNullable: true }),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('uq_placement_active', ['activeKey'], true),
          index('idx_placement_scheme_county', ['schemeId', 'countyId', 'status']),
          index('idx_placement_county', ['countyId', 'id']),
          index('idx_placement_teacher', ['teacherId']),
          index('idx_placement_home_school', ['homeSchoolId']),
          index('idx_placement_receiving_school', ['receivingSchoolId']),
        ],
        foreignKeys: [
          fk(['schemeId'], 'scheme'),
          fk(['teacherId'], 'teacher'),
          fk(['countyId'], 'organisation'),
          fk(['homeSchoolId'], 'organisation'),
          fk(['receivingSchoolId'], 'organisation'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('placement');
    await q.dropTable('scheme_quota');
    await q.dropTable('scheme');
  }
}
