import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from '@shipei/core';

/** The early end of a session's check-in window (spec §14). */
export class CheckinClosure1764374460000 implements MigrationInterface {
  name = 'CheckinClosure1764374460000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'checkin_closure',
        columns: [
          { name: 'sessionId', type: 'integer', isPrimary: true },
          col.datetime('closedAt'),
          col.int('closedById', { isNullable: true }),
        ],
        foreignKeys: [fk(['sessionId'], 'training_session'), fk(['closedById'], 'user_account')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('checkin_closure');
  }
}
