import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

/** Codes of the self-service password reset by SMS (spec §13). */
export class PasswordReset1796626000000 implements MigrationInterface {
  name = 'PasswordReset1796626000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'password_reset_code',
        columns: [
          col.id(),
          col.int('userId'),
          col.str('codeHash', 64),
          col.int('attempts', { default: 0 }),
          col.datetime('expiresAt'),
          col.datetime('usedAt', { isNullable: true }),
          col.datetime('createdAt'),
        ],
        foreignKeys: [fk(['userId'], 'user_account', 'CASCADE')],
        indices: [index('idx_password_reset_user', ['userId', 'id'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('password_reset_code');
  }
}
