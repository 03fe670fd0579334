import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, dialectOf, fk } from '@shipei/core';

/**
 * The doctor's note of a leave request (spec §14): one file per request, kept in the database so
 * every process of the app serves it. MySQL's BLOB stops at 64 KB: MEDIUMBLOB holds the 5 MB allowed.
 * Read and written by SQL only (no entity), so its column type may differ between the engines.
 */
export class LeaveAttachments1796627000000 implements MigrationInterface {
  name = 'LeaveAttachments1796627000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'leave_attachment',
        columns: [
          { name: 'leaveRequestId', type: 'integer', isPrimary: true },
          col.str('filename', 200),
          col.str('contentType', 60),
          col.int('size'),
          { name: 'content', type: dialectOf(q.connection) === 'mysql' ? 'mediumblob' : 'blob' },
          col.datetime('createdAt'),
        ],
        foreignKeys: [fk(['leaveRequestId'], 'leave_request', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('leave_attachment');
  }
}
