import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col } from '@shipei/core';

/** Revocable sessions (user_account.tokenVersion) and failed-login counters shared by every process. */
export class Sessions1765120001000 implements MigrationInterface {
  name = 'Sessions1765120001000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table on SQLite, and dropping the old
    // user_account would trip the foreign keys that certificates, attendance and cohorts hold on it.
    await q.query('ALTER TABLE user_account ADD COLUMN tokenVersion integer NOT NULL DEFAULT 0');
    await q.createTable(
      new Table({
        name: 'login_guard',
        columns: [
          col.str('bucket', 120, { isPrimary: true }),
          col.int('failures', { default: 0 }),
          col.int('locks', { default: 0 }),
          { name: 'lockedUntil', type: 'bigint', isNullable: true },
          col.int('rev', { default: 0 }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('login_guard');
    await q.query('ALTER TABLE user_account DROP COLUMN tokenVersion');
  }
}
