import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col } from '@shipei/core';

/** The key pair that signs personal check-in passes, when none is configured (spec §14). */
export class CheckinPasses1764374461000 implements MigrationInterface {
  name = 'CheckinPasses1764374461000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'checkin_pass_key',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          col.text('privateKey'),
          col.text('publicKey'),
          col.datetime('createdAt'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('checkin_pass_key');
  }
}
