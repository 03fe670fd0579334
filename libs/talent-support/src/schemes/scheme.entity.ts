import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SCHEME_KINDS = ['THREE_DISTRICTS', 'WESTERN_BELT'] as const;
export type SchemeKind = (typeof SCHEME_KINDS)[number];
export const SCHEME_KIND_LABELS: Record<SchemeKind, string> = {
  THREE_DISTRICTS: '国家"三区"人才支持计划教师专项计划',
  WESTERN_BELT: '西部经济隆起带和省扶贫开发重点地区人才支持计划',
};

/** The national standard stipend: ¥20,000 per person per year, in fen. */
export const DEFAULT_STIPEND_FEN = 2_000_000;

/**
 * 人才支持计划: a year's round of a scheme, with its places, service term (one academic year),
 * yearly stipend and selection rules. `minYearsOfService` / `minTitle` null = rule off.
 */
@Entity('scheme')
@Index('idx_scheme_year_kind', ['year', 'kind'])
export class Scheme {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 20 })
  kind: SchemeKind;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'integer' })
  places: number;

  @Column({ type: 'date' })
  termStart: string;

  @Column({ type: 'date' })
  termEnd: string;

  @Column({ type: 'integer', default: DEFAULT_STIPEND_FEN })
  stipendPerYearFen: number;

  @Column({ type: 'integer', nullable: true })
  ruleMinYears: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  ruleMinTitle: string | null;

  @Column({ type: 'boolean', default: true })
  ruleAppraisals: boolean;

  @Column({ type: 'boolean', default: true })
  ruleNoProbation: boolean;

  @Column({ type: 'boolean', default: true })
  ruleNoSpecialPost: boolean;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
