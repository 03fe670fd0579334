import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '@shipei/core';

/** Users carry an optional e-mail address, where staff get their messages (spec §13). */
export class UserEmail1796615000000 implements MigrationInterface {
  name = 'UserEmail1796615000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('user_account', new TableColumn(col.str('email', 200, { isNullable: true })));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('user_account', 'email');
  }
}
