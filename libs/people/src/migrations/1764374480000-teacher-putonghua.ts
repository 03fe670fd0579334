import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '@shipei/core';

/** 普通话等级 on the teacher, optional (most existing records have none). */
export class TeacherPutonghua1764374480000 implements MigrationInterface {
  name = 'TeacherPutonghua1764374480000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('teacher', new TableColumn(col.str('putonghuaLevel', 10, { isNullable: true })));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('teacher', 'putonghuaLevel');
  }
}
