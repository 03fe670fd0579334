import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SCHEME_KINDS = ['THREE_DISTRICTS', 'WESTERN_BELT'] as const;
export type SchemeKind = (typeof SCHEME_KINDS)[number];
export const SCHEME_KIND_LABELS: Record<SchemeKind, string> = {
  THREE_DISTRICTS: '国家"三区"人才支持计划教师专项计划',
  WESTERN_BELT: '西部经济隆起带和省扶贫开发重点地区人才支持计划',
};

export const TRAVEL_MODES = ['LUMP_SUM', 'PER_TRIP'] as const;
export type TravelMode = (typeof TRAVEL_MODES)[number];
export const TRAVEL_MODE_LABELS: Record<TravelMode, string> = { LUMP_SUM: '一次性包干', PER_TRIP: '按次报销' };

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

  @Column({ type: 'boolean', default: true })
  ruleHomeNotReceiving: boolean;

  @Column({ type: 'varchar', length: 10, nullable: true })
  ruleKindergartenMinTitle: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  ruleMinBackbone: string | null;

  @Column({ type: 'integer', nullable: true })
  ruleMaxAgeMale: number | null;

  @Column({ type: 'integer', nullable: true })
  ruleMaxAgeFemale: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  ruleMinPutonghua: string | null;

  /**
   * The split of the yearly funding standard (`stipendPerYearFen`, set locally): 交通差旅费 as a
   * lump sum or per trip (`travelFen` per trip, `travelTrips` budgeted trips a year), 意外保险
   * (`insuranceFen`, paid to the insurer), and the rest is the 工作补助 paid monthly.
   */
  @Column({ type: 'varchar', length: 10, default: 'LUMP_SUM' })
  travelMode: TravelMode;

  @Column({ type: 'integer', default: 0 })
  travelFen: number;

  @Column({ type: 'integer', default: 0 })
  travelTrips: number;

  @Column({ type: 'integer', default: 0 })
  insuranceFen: number;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
