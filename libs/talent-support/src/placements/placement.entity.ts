import { Organisation, Teacher } from '@shipei/people';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Scheme } from '../schemes/scheme.entity';
import { PlacementTeam } from '../teams/placement-team.entity';

export const PLACEMENT_STATUSES = [
  'NOMINATED',
  'APPROVED',
  'REJECTED',
  'IN_SERVICE',
  'COMPLETED',
  'TERMINATED',
] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];
/** The one word of each status (ui.md), for pages, exports, PDFs, messages and the API's labels. */
export const PLACEMENT_STATUS_LABELS: Record<PlacementStatus, string> = {
  NOMINATED: '已推荐',
  APPROVED: '已批准',
  REJECTED: '未通过',
  IN_SERVICE: '在岗支教',
  COMPLETED: '服务期满',
  TERMINATED: '提前终止',
};
/** Statuses in which a teacher holds their one active placement. */
export const ACTIVE_STATUSES: PlacementStatus[] = ['NOMINATED', 'APPROVED', 'IN_SERVICE'];
/** Statuses in which stipend is due. */
export const SERVING_STATUSES: PlacementStatus[] = ['IN_SERVICE', 'COMPLETED', 'TERMINATED'];

export const ASSESSMENTS = ['优秀', '合格', '基本合格', '不合格'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];

/**
 * 选派: a teacher of a county sent to a 受援学校 under a scheme. The teacher's own school
 * (home unit) is unchanged; `homeSchoolId` records it at nomination for the register.
 *
 * `activeKey` is the teacher's id while the placement is active (NOMINATED, APPROVED, IN_SERVICE)
 * and NULL otherwise; its unique index makes "at most one active placement per teacher" hold in
 * the database, also for concurrent nominations and on several app processes (both engines allow
 * many NULLs in a unique index).
 *
 * `endDate` is the last day of service (inclusive): the term's end for COMPLETED, the given date
 * for TERMINATED.
 */
@Entity('placement')
@Index('idx_placement_scheme_county', ['schemeId', 'countyId', 'status'])
@Index('idx_placement_county', ['countyId', 'id'])
@Index('idx_placement_teacher', ['teacherId'])
@Index('idx_placement_home_school', ['homeSchoolId'])
@Index('idx_placement_receiving_school', ['receivingSchoolId'])
export class Placement {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Scheme, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  schemeId: number;

  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  teacherId: number;

  /** The home county (the teacher's county at nomination): its quota, its scope. */
  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  homeSchoolId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  receivingSchoolId: number;

  @Column({ type: 'varchar', length: 20 })
  status: PlacementStatus;

  @Index('uq_placement_active', { unique: true })
  @Column({ type: 'integer', nullable: true })
  activeKey: number | null;

  @Column({ type: 'datetime' })
  nominatedAt: Date;

  @Column({ type: 'datetime', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'date', nullable: true })
  arrivalDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  assessment: Assessment | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  assessmentComment: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  terminationReason: string | null;

  /** The 组团 this placement belongs to, if any. */
  @Index('idx_placement_team')
  @ForeignKey(() => PlacementTeam, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  teamId: number | null;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
