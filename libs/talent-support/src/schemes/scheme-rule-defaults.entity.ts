import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The default selection rules a kind of scheme starts from, where the bureau sets its own (the
 * 西部隆起带 scheme: no national notice fixes them). `rules` is the JSON of a `SelectionRules`.
 */
@Entity('scheme_rule_defaults')
export class SchemeRuleDefaults {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  kind: string;

  @Column({ type: 'text' })
  rules: string;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
