import { TrainingSession } from '@shipei/programs';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LeaveRequest } from './leave-request.entity';

/** A session a leave request covers. */
@Entity('leave_request_session')
@Index('uq_leave_session', ['leaveRequestId', 'sessionId'], { unique: true })
@Index('idx_leave_session_session', ['sessionId'])
export class LeaveRequestSession {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => LeaveRequest, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  leaveRequestId: number;

  @ForeignKey(() => TrainingSession, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  sessionId: number;
}
