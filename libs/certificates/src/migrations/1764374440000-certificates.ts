import { col, fk, index } from '@shipei/core';
import { MigrationInterface, QueryRunner, Table, TableCheckOptions } from 'typeorm';

/**
 * "VALID ⇔ activeKey set": SQLite gets the CHECK in the table (as the entity declares it); TypeORM
 * ignores CHECKs on MySQL/MariaDB, so there it is added by hand after the table.
 */
// Written out here (not imported) so this migration stays as it was when it shipped.
const CERTIFICATE_ACTIVE_CHECK = `("status" = 'VALID' AND "activeKey" IS NOT NULL) OR ("status" = 'REVOKED' AND "activeKey" IS NULL)`;
const ACTIVE_CHECK: TableCheckOptions = { name: 'chk_certificate_active', expression: CERTIFICATE_ACTIVE_CHECK };

const isMysql = (q: QueryRunner) => ['mysql', 'mariadb'].includes(q.connection.options.type);

export class Certificates1764374440000 implements MigrationInterface {
  name = 'Certificates1764374440000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'certificate_template',
        columns: [col.id(), col.str('hash', 64), col.text('source'), col.datetime('createdAt')],
        indices: [index('uq_certificate_template_hash', ['hash'], true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'certificate',
        checks: isMysql(q) ? [] : [ACTIVE_CHECK],
        columns: [
          col.id(),
          col.str('number', 40),
          col.int('sequence'),
          col.str('verificationCode', 32),
          col.str('kind', 20),
          col.str('status', 20, { default: "'VALID'" }),
          col.str('sourceType', 20),
          col.int('sourceId'),
          col.str('activeKey', 40, { isNullable: true }),
          col.int('enrolmentId', { isNullable: true }),
          col.int('programId', { isNullable: true }),
          col.int('cohortId', { isNullable: true }),
          col.int('teacherId'),
          col.int('countyId'),
          col.str('template', 80),
          col.str('holderName', 50),
          col.str('schoolName', 100),
          col.str('programTitle', 200),
          col.date('startDate'),
          col.date('endDate'),
          col.decimal('creditHours', 6, 1),
          col.str('issuer', 100),
          col.date('issueDate'),
          col.text('extra', { isNullable: true }),
          col.datetime('issuedAt'),
          col.int('issuedBy', { isNullable: true }),
          col.datetime('revokedAt', { isNullable: true }),
          col.int('revokedBy', { isNullable: true }),
          col.str('revokeReason', 500, { isNullable: true }),
        ],
        indices: [
          index('uq_certificate_number', ['number'], true),
          index('uq_certificate_code', ['verificationCode'], true),
          index('uq_certificate_active', ['activeKey'], true),
          index('idx_certificate_program', ['programId', 'sequence']),
          index('idx_certificate_cohort', ['cohortId', 'status']),
          index('idx_certificate_enrolment', ['enrolmentId']),
          index('idx_certificate_teacher', ['teacherId']),
          index('idx_certificate_county', ['countyId', 'programId']),
          index('idx_certificate_source', ['sourceType', 'sourceId']),
        ],
        foreignKeys: [
          fk(['enrolmentId'], 'enrolment'),
          fk(['programId'], 'program'),
          fk(['cohortId'], 'cohort'),
          fk(['teacherId'], 'teacher'),
          fk(['countyId'], 'organisation'),
          fk(['issuedBy'], 'user_account'),
          fk(['revokedBy'], 'user_account'),
        ],
      }),
    );
    if (isMysql(q)) {
      await q.query(
        `ALTER TABLE \`certificate\` ADD CONSTRAINT \`${ACTIVE_CHECK.name}\` CHECK (${CERTIFICATE_ACTIVE_CHECK.replace(/"/g, '`')})`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('certificate');
    await q.dropTable('certificate_template');
  }
}
