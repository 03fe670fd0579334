import { Cohort, decimalNumber, Program } from '@shipei/programs';
import { Organisation, Teacher } from '@shipei/people';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ENROLMENT_STATUSES = [
  'NOMINATED',
  'WAITLISTED',
  'APPROVED',
  'REJECTED',
  'CONFIRMED',
  'DECLINED',
  'WITHDRAWN',
  'COMPLETED',
  'NOT_COMPLETED',
] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
/** The one word of each status (ui.md), for pages, exports, PDFs, messages and the API's labels. */
export const ENROLMENT_STATUS_LABELS: Record<EnrolmentStatus, string> = {
  NOMINATED: '待审核',
  WAITLISTED: '候补',
  APPROVED: '审核通过',
  REJECTED: '未通过',
  CONFIRMED: '已报到',
  DECLINED: '已放弃',
  WITHDRAWN: '已撤回',
  COMPLETED: '已结业',
  NOT_COMPLETED: '未结业',
};

/** Statuses that hold one of the county's quota seats. */
export const SEAT_HOLDING: EnrolmentStatus[] = ['NOMINATED', 'APPROVED', 'CONFIRMED', 'COMPLETED', 'NOT_COMPLETED'];
/** Statuses that hold one of the program's approved seats. */
export const APPROVED_SEAT_HOLDING: EnrolmentStatus[] = ['APPROVED', 'CONFIRMED', 'COMPLETED', 'NOT_COMPLETED'];

/**
 * One teacher in one program (spec §4): unique per (program, teacher). `countyId` is the
 * teacher's county when nominated (the quota it counts against). The waitlist of a county
 * is its WAITLISTED rows in id order (first come, first promoted).
 */
@Entity('enrolment')
@Index('uq_enrolment_program_teacher', ['programId', 'teacherId'], { unique: true })
@Index('idx_enrolment_program_county_status', ['programId', 'countyId', 'status'])
@Index('idx_enrolment_cohort', ['cohortId'])
@Index('idx_enrolment_teacher', ['teacherId'])
@Index('idx_enrolment_county', ['countyId', 'status'])
export class Enrolment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Program, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  programId: number;

  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  teacherId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'varchar', length: 20 })
  status: EnrolmentStatus;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  cohortId: number | null;

  /** Why it was rejected, withdrawn or declined. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  /** Filled by completion (attendance): hours attended (PRESENT and LATE). */
  @Column({ type: 'decimal', precision: 7, scale: 2, nullable: true, transformer: decimalNumber })
  attendedHours: number | null;

  /** Filled by completion: attended hours ÷ total hours, a fraction 0–1. */
  @Column({ type: 'decimal', precision: 5, scale: 4, nullable: true, transformer: decimalNumber })
  attendanceRate: number | null;

  /** Credit hours (学时) earned: the program's on COMPLETED, 0 on NOT_COMPLETED. */
  @Column({ type: 'decimal', precision: 6, scale: 1, nullable: true, transformer: decimalNumber })
  creditHours: number | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;

  /** When it took a quota seat (nominated within quota, or promoted from the waitlist). */
  @Column({ type: 'datetime', nullable: true })
  nominatedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  waitlistedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  rejectedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  declinedAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  assignedAt: Date | null;

  /** When COMPLETED or NOT_COMPLETED was decided. */
  @Column({ type: 'datetime', nullable: true })
  completedAt: Date | null;
}
