import { Organisation } from '@shipei/people';
import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalNumber } from '../decimal';

export const PROGRAM_KINDS = ['BACKBONE_SUMMER', 'COUNTY_THEMATIC', 'OTHER'] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
export const PROGRAM_KIND_LABELS: Record<ProgramKind, string> = {
  BACKBONE_SUMMER: '市级暑期骨干教师培训',
  COUNTY_THEMATIC: '县区专题培训',
  OTHER: '其他培训',
};

export const PROGRAM_STATUSES = ['DRAFT', 'OPEN', 'CLOSED', 'RUNNING', 'FINISHED'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
/** The one word of each status (ui.md), for pages, exports, messages and the API's labels. */
export const PROGRAM_STATUS_LABELS: Record<ProgramStatus, string> = {
  DRAFT: '草稿',
  OPEN: '推荐中',
  CLOSED: '推荐截止',
  RUNNING: '培训中',
  FINISHED: '已结束',
};

/**
 * 培训项目 (spec §3). Owned by the city bureau (`ownerCountyId` null) or, for a
 * COUNTY_THEMATIC program, by one county (`ownerCountyId` = that county).
 *
 * `approvedCount` is the number of enrolments holding an approved seat; it only moves by
 * conditional updates (`... WHERE approvedCount < seats`), so approvals never oversell.
 * `certificateSeq` is the last certificate number issued, advanced under a row lock by the
 * certificates module for gapless numbering.
 */
@Entity('program')
@Check('chk_program_approved', '"approvedCount" >= 0 AND "approvedCount" <= "seats"')
@Index('idx_program_year_kind', ['year', 'kind'])
@Index('idx_program_owner_org', ['ownerOrganisationId'])
@Index('idx_program_owner_county', ['ownerCountyId', 'status'])
export class Program {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 20 })
  kind: ProgramKind;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  ownerOrganisationId: number;

  /** The owning county of a COUNTY_THEMATIC program; null when the city owns it. */
  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  ownerCountyId: number | null;

  @Column({ type: 'integer' })
  seats: number;

  @Column({ type: 'integer', default: 0 })
  approvedCount: number;

  /** 学时 awarded on completion. */
  @Column({ type: 'decimal', precision: 6, scale: 1, transformer: decimalNumber })
  creditHours: number;

  /** Fraction 0–1 of the hours a trainee must attend to complete (default 0.8). */
  @Column({ type: 'decimal', precision: 5, scale: 4, default: 0.8, transformer: decimalNumber })
  attendanceThreshold: number;

  @Column({ type: 'integer', default: 15 })
  lateGraceMinutes: number;

  @Column({ type: 'datetime', nullable: true })
  nominationDeadline: Date | null;

  @Column({ type: 'varchar', length: 20, default: 'DRAFT' })
  status: ProgramStatus;

  /** Eligibility: the school must be a 贫困村学校. */
  @Column({ type: 'boolean', default: true })
  requirePovertyVillage: boolean;

  /** Eligibility: at least this 骨干教师 level (NONE/COUNTY/CITY/PROVINCE); null = any. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  minBackboneLevel: string | null;

  /** Eligibility: comma-separated 学段; empty = any. */
  @Column({ type: 'varchar', length: 100, default: '' })
  stages: string;

  /** Eligibility: comma-separated 学科; empty = any. */
  @Column({ type: 'varchar', length: 500, default: '' })
  subjects: string;

  @Column({ type: 'varchar', length: 20 })
  certificatePrefix: string;

  /** Handlebars template of the certificate; null = the default template. */
  @Column({ type: 'text', nullable: true })
  certificateTemplate: string | null;

  /** Last certificate sequence number used (gapless numbering). */
  @Column({ type: 'integer', default: 0 })
  certificateSeq: number;

  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
