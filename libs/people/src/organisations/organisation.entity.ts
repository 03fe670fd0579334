import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANISATION_TYPES = ['CITY', 'COUNTY', 'SCHOOL', 'INSTITUTION', 'PARTNER'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const STAGES = ['幼儿园', '小学', '初中', '高中', '中职', '特殊教育'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * 单位: a tree of city bureau → county-level bureaus → schools (plus training
 * institutions and partner bureaus). `countyId` is the county a row belongs to
 * (itself for a county), kept on the row so county scoping is one indexed equality.
 */
@Entity('organisation')
@Index('idx_org_parent', ['parentId'])
@Index('idx_org_county_type', ['countyId', 'type'])
export class Organisation {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 20 })
  type: OrganisationType;

  @Index('uq_org_code', { unique: true })
  @Column({ type: 'varchar', length: 20, nullable: true })
  code: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  parentId: number | null;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  countyId: number | null;

  /** Comma-separated 学段 of a school. */
  @Column({ type: 'varchar', length: 100, default: '' })
  stages: string;

  /** 贫困村学校: in a provincial/municipal key poverty-alleviation village. */
  @Column({ type: 'boolean', default: false })
  povertyVillage: boolean;

  /** 受援学校: a receiving school of the talent-support schemes. */
  @Column({ type: 'boolean', default: false })
  receivingSchool: boolean;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
