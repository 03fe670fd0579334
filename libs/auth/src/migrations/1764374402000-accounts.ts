import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

export class Accounts1764374402000 implements MigrationInterface {
  name = 'Accounts1764374402000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'user_account',
        columns: [
          col.id(),
          col.str('username', 50),
          col.str('passwordHash', 200),
          col.str('role', 20),
          col.str('displayName', 50, { default: "''" }),
          col.int('organisationId', { isNullable: true }),
          col.int('teacherId', { isNullable: true }),
          col.bool('mustChangePassword', true),
          col.int('failedLogins', { default: 0 }),
          col.datetime('lockedUntil', { isNullable: true }),
          col.bool('active', true),
          col.datetime('lastLoginAt', { isNullable: true }),
          col.datetime('createdAt'),
        ],
        indices: [
          index('uq_user_username', ['username'], true),
          index('uq_user_teacher', ['teacherId'], true),
          index('idx_user_org', ['organisationId']),
        ],
        foreignKeys: [fk(['organisationId'], 'organisation'), fk(['teacherId'], 'teacher')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('user_account');
  }
}
