import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col } from '../database/schema';

export class RateCounters1765120000000 implements MigrationInterface {
  name = 'RateCounters1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'rate_counter',
        columns: [
          col.str('bucket', 120, { isPrimary: true }),
          { name: 'windowStart', type: 'bigint' },
          col.int('hits', { default: 0 }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rate_counter');
  }
}
