import { User } from '@shipei/auth';
import { Enrolment } from '@shipei/enrolment';
import { Teacher } from '@shipei/people';
import { Cohort } from '@shipei/programs';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LeaveStatus, LeaveType } from '../statuses';

/**
 * 请假: a trainee asks to be excused from one or more sessions of their cohort; a trainer of the
 * cohort (or the program owner) approves or refuses it once. `teacherId` and `cohortId` are copied
 * from the enrolment so the teacher's and the trainer's lists read one index.
 */
@Entity('leave_request')
@Index('idx_leave_teacher', ['teacherId', 'id'])
@Index('idx_leave_cohort', ['cohortId', 'status'])
@Index('idx_leave_enrolment', ['enrolmentId'])
export class LeaveRequest {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Enrolment, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  enrolmentId: number;

  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  teacherId: number;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  cohortId: number;

  @Column({ type: 'varchar', length: 10 })
  type: LeaveType;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 10, default: 'PENDING' })
  status: LeaveStatus;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  decidedById: number | null;

  @Column({ type: 'datetime', nullable: true })
  decidedAt: Date | null;

  /** The trainer's note with the decision (e.g. why it was refused). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  decisionNote: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
