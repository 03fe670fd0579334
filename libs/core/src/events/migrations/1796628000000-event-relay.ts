import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { col } from '../../database/schema';

/**
 * The domain_event table becomes the outbox: `relayPending` marks the events that consumers after the
 * commit (the notifications) have still to see. Events stored before were already handled inside their
 * transactions, so they start at 0.
 */
export class EventRelay1796628000000 implements MigrationInterface {
  name = 'EventRelay1796628000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('domain_event', new TableColumn(col.bool('relayPending', false)));
    await q.createIndex(
      'domain_event',
      new TableIndex({ name: 'idx_domain_event_relay', columnNames: ['relayPending', 'id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('domain_event', 'idx_domain_event_relay');
    await q.dropColumn('domain_event', 'relayPending');
  }
}
