import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, index } from '../../database/schema';

export class DomainEvents1796610000000 implements MigrationInterface {
  name = 'DomainEvents1796610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'domain_event',
        columns: [
          col.id(),
          col.str('type', 60),
          col.str('entity', 40),
          col.str('entityId', 40),
          col.text('payload'),
          col.int('actorId', { isNullable: true }),
          col.datetime('occurredAt'),
        ],
        indices: [
          index('idx_domain_event_type', ['type', 'occurredAt']),
          index('idx_domain_event_entity', ['entity', 'entityId']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('domain_event');
  }
}
