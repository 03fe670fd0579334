import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { col, fk, index } from '@shipei/core';

/**
 * Issue 23: the remaining selection rules on the scheme, the split of the funding standard into
 * stipend items, the bureau's own default rules (西部隆起带), team placements (组团式), trips whose
 * travel is due and the payments actually made (实发).
 */
export class TalentSupportPlans1764374481000 implements MigrationInterface {
  name = 'TalentSupportPlans1764374481000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('scheme', [
      new TableColumn(col.bool('ruleHomeNotReceiving', true)),
      new TableColumn(col.str('ruleKindergartenMinTitle', 10, { isNullable: true })),
      new TableColumn(col.str('ruleMinBackbone', 10, { isNullable: true })),
      new TableColumn(col.int('ruleMaxAgeMale', { isNullable: true })),
      new TableColumn(col.int('ruleMaxAgeFemale', { isNullable: true })),
      new TableColumn(col.str('ruleMinPutonghua', 10, { isNullable: true })),
      new TableColumn(col.str('travelMode', 10, { default: "'LUMP_SUM'" })),
      new TableColumn(col.int('travelFen', { default: 0 })),
      new TableColumn(col.int('travelTrips', { default: 0 })),
      new TableColumn(col.int('insuranceFen', { default: 0 })),
    ]);
    await q.createTable(
      new Table({
        name: 'scheme_rule_defaults',
        columns: [
          { name: 'kind', type: 'varchar', length: '20', isPrimary: true },
          col.text('rules'),
          col.datetime('updatedAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'placement_team',
        columns: [
          col.id(),
          col.int('schemeId'),
          col.int('countyId'),
          col.int('receivingSchoolId'),
          col.str('name', 50),
          col.int('leaderPlacementId'),
          col.datetime('createdAt'),
        ],
        indices: [index('idx_placement_team_scheme', ['schemeId', 'countyId'])],
        foreignKeys: [
          fk(['schemeId'], 'scheme'),
          fk(['countyId'], 'organisation'),
          fk(['receivingSchoolId'], 'organisation'),
        ],
      }),
    );
    await q.addColumn('placement', new TableColumn(col.int('teamId', { isNullable: true })));
    await q.createIndex('placement', new TableIndex(index('idx_placement_team', ['teamId'])));
    await q.createForeignKey('placement', new TableForeignKey(fk(['teamId'], 'placement_team')));
    await q.createTable(
      new Table({
        name: 'stipend_trip',
        columns: [
          col.id(),
          col.int('placementId'),
          col.date('tripDate'),
          col.int('recordedById'),
          col.datetime('createdAt'),
        ],
        indices: [index('idx_stipend_trip_placement', ['placementId', 'tripDate'])],
        foreignKeys: [fk(['placementId'], 'placement')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stipend_payment',
        columns: [
          col.id(),
          col.int('placementId'),
          col.str('month', 7),
          col.int('amountFen'),
          col.date('paidOn'),
          col.int('paidById'),
          col.datetime('createdAt'),
        ],
        indices: [index('idx_stipend_payment_placement', ['placementId', 'month'])],
        foreignKeys: [fk(['placementId'], 'placement')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('stipend_payment');
    await q.dropTable('stipend_trip');
    const placement = await q.getTable('placement');
    const teamFk = placement?.foreignKeys.find((f) => f.columnNames.includes('teamId'));
    if (teamFk) await q.dropForeignKey('placement', teamFk);
    await q.dropIndex('placement', 'idx_placement_team');
    await q.dropColumn('placement', 'teamId');
    await q.dropTable('placement_team');
    await q.dropTable('scheme_rule_defaults');
    for (const c of [
      'insuranceFen',
      'travelTrips',
      'travelFen',
      'travelMode',
      'ruleMinPutonghua',
      'ruleMaxAgeFemale',
      'ruleMaxAgeMale',
      'ruleMinBackbone',
      'ruleKindergartenMinTitle',
      'ruleHomeNotReceiving',
    ])
      await q.dropColumn('scheme', c);
  }
}
