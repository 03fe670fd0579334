import { MigrationInterface, QueryRunner, Table, TableCheckOptions } from 'typeorm';
import { col, fk, index } from '@shipei/core';

// Written out here (not imported) so this migration stays as it was when it shipped.
const HOURS_CHECK: TableCheckOptions = { name: 'chk_external_credit_hours', expression: '"hours" > 0' };
const isMysql = (q: QueryRunner) => ['mysql', 'mariadb'].includes(q.connection.options.type);

/**
 * Training records (一人一档): credit hours earned outside the system. "hours > 0" is a CHECK: in the
 * table on SQLite (as the entity declares it); TypeORM ignores CHECKs on MySQL/MariaDB, so there it
 * is added by hand after the table.
 */
export class Records1764374450000 implements MigrationInterface {
  name = 'Records1764374450000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'external_credit',
        checks: isMysql(q) ? [] : [HOURS_CHECK],
        columns: [
          col.id(),
          col.int('teacherId'),
          col.str('programName', 200),
          col.str('organiser', 100),
          col.decimal('hours', 6, 1),
          col.date('creditDate'),
          col.str('certificateNumber', 60, { isNullable: true }),
          col.str('dedupeKey', 64),
          col.int('importedById', { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('uq_external_credit_key', ['teacherId', 'dedupeKey'], true),
          index('idx_external_credit_teacher_date', ['teacherId', 'creditDate']),
          index('idx_external_credit_date', ['creditDate', 'teacherId', 'hours']),
        ],
        foreignKeys: [fk(['teacherId'], 'teacher'), fk(['importedById'], 'user_account')],
      }),
    );
    if (isMysql(q))
      await q.query(`ALTER TABLE \`external_credit\` ADD CONSTRAINT \`${HOURS_CHECK.name}\` CHECK (\`hours\` > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('external_credit');
  }
}
