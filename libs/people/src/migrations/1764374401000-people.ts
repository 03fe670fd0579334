import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';
import { LINYI_COUNTIES, LINYI_CITY } from '../organisations/linyi-seed';

export class People1764374401000 implements MigrationInterface {
  name = 'People1764374401000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'organisation',
        columns: [
          col.id(),
          col.str('type', 20),
          col.str('code', 20, { isNullable: true }),
          col.str('name', 100),
          col.int('parentId', { isNullable: true }),
          col.int('countyId', { isNullable: true }),
          col.str('stages', 100, { default: "''" }),
          col.bool('povertyVillage', false),
          col.bool('receivingSchool', false),
          col.datetime('createdAt'),
        ],
        indices: [
          index('uq_org_code', ['code'], true),
          index('idx_org_parent', ['parentId']),
          index('idx_org_county_type', ['countyId', 'type']),
        ],
        foreignKeys: [fk(['parentId'], 'organisation'), fk(['countyId'], 'organisation')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'teacher',
        columns: [
          col.id(),
          col.str('name', 50),
          col.str('idNumber', 18),
          col.str('gender', 1),
          col.date('birthDate'),
          col.str('phone', 11),
          col.int('schoolId'),
          col.int('countyId'),
          col.str('stage', 10, { isNullable: true }),
          col.str('subject', 30, { isNullable: true }),
          col.str('title', 10, { isNullable: true }),
          col.str('backboneLevel', 10, { default: "'NONE'" }),
          col.int('teachingStartYear', { isNullable: true }),
          col.bool('appraisalsQualified', false),
          col.bool('onProbation', false),
          col.bool('specialPost', false),
          col.str('qualificationCertNo', 30, { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('uq_teacher_id_number', ['idNumber'], true),
          index('uq_teacher_phone', ['phone'], true),
          index('idx_teacher_county', ['countyId', 'id']),
          index('idx_teacher_school', ['schoolId', 'id']),
          index('idx_teacher_name', ['name']),
        ],
        foreignKeys: [fk(['schoolId'], 'organisation'), fk(['countyId'], 'organisation')],
      }),
    );

    // The Linyi seed (spec §2): the city bureau and its 16 county-level units.
    // A migration runs before any module exists, so there is no Clock: the seed rows' creation time.
    // eslint-disable-next-line no-restricted-syntax
    const now = new Date();
    await q.manager.insert('organisation', {
      type: 'CITY',
      code: LINYI_CITY.code,
      name: LINYI_CITY.name,
      parentId: null,
      countyId: null,
      stages: '',
      povertyVillage: false,
      receivingSchool: false,
      createdAt: now,
    });
    const [city] = await q.manager.query(`SELECT id FROM organisation WHERE code = ?`, [LINYI_CITY.code]);
    for (const c of LINYI_COUNTIES) {
      await q.manager.insert('organisation', {
        type: 'COUNTY',
        code: c.code,
        name: c.name,
        parentId: city.id,
        countyId: null,
        stages: '',
        povertyVillage: false,
        receivingSchool: false,
        createdAt: now,
      });
    }
    await q.manager.query(`UPDATE organisation SET countyId = id WHERE type = 'COUNTY'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('teacher');
    await q.query(`UPDATE organisation SET parentId = NULL, countyId = NULL`);
    await q.dropTable('organisation');
  }
}
