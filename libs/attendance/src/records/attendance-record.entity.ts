import { User } from '@shipei/auth';
import { Enrolment } from '@shipei/enrolment';
import { Cohort, TrainingSession } from '@shipei/programs';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LeaveRequest } from '../leave/leave-request.entity';
import type { AttendanceSource, AttendanceStatus } from '../statuses';

/**
 * One trainee's status in one session (spec §5). At most one row per (session, enrolment): the
 * unique index makes a repeated or concurrent scan land on the same row. No row yet means "not
 * checked in" before the session ends and ABSENT after (stored when the trainer closes it).
 * `cohortId` is the session's cohort, copied so scopes and the matrix read one index.
 */
@Entity('attendance_record')
@Index('uq_attendance_session_enrolment', ['sessionId', 'enrolmentId'], { unique: true })
@Index('idx_attendance_enrolment', ['enrolmentId'])
@Index('idx_attendance_cohort', ['cohortId', 'enrolmentId'])
export class AttendanceRecord {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => TrainingSession, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  sessionId: number;

  @ForeignKey(() => Enrolment, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  enrolmentId: number;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  cohortId: number;

  @Column({ type: 'varchar', length: 10 })
  status: AttendanceStatus;

  @Column({ type: 'varchar', length: 10 })
  source: AttendanceSource;

  /** When the trainee scanned the code (kept when a trainer corrects the status). */
  @Column({ type: 'datetime', nullable: true })
  checkedInAt: Date | null;

  /** The trainer's reason for a mark or correction, or the leave type. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @ForeignKey(() => LeaveRequest, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  leaveRequestId: number | null;

  /** The trainer or owner who last marked it by hand. */
  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  markedById: number | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
