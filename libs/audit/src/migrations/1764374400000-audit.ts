import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, index } from '@shipei/core';

export class Audit1764374400000 implements MigrationInterface {
  name = 'Audit1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_entry',
        columns: [
          col.id(),
          col.datetime('at'),
          col.int('actorId', { isNullable: true }),
          col.str('actorRole', 20, { isNullable: true }),
          col.str('action', 40),
          col.str('entity', 40),
          col.str('entityId', 40, { isNullable: true }),
          col.str('fields', 500, { isNullable: true }),
          col.str('note', 500, { isNullable: true }),
          col.str('ip', 64, { isNullable: true }),
          col.str('requestId', 64, { isNullable: true }),
        ],
        indices: [
          index('idx_audit_at', ['at']),
          index('idx_audit_entity', ['entity', 'entityId']),
          index('idx_audit_actor', ['actorId', 'at']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_entry');
  }
}
