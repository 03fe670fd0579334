import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { index } from '@shipei/core';

/** Reminders look their key up before writing (who already has `reminder:…:<id>`): an index on the key alone. */
export class Reminders1796625000000 implements MigrationInterface {
  name = 'Reminders1796625000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('notification', new TableIndex(index('idx_notification_key', ['dedupeKey'])));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('notification', 'idx_notification_key');
  }
}
