import { col, index } from '@shipei/core';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Counters of the numbering series that belong to no program (支教证明: ZJ + scheme year). */
export class CertificateSeries1764374445000 implements MigrationInterface {
  name = 'CertificateSeries1764374445000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'certificate_series',
        columns: [col.id(), col.str('series', 40), col.int('lastSequence', { default: 0 })],
        indices: [index('uq_certificate_series', ['series'], true)],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('certificate_series');
  }
}
