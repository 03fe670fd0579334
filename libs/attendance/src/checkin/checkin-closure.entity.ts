import { User } from '@shipei/auth';
import { TrainingSession } from '@shipei/programs';
import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * A session whose check-in window the trainer ended early (结束签到 before the end): from
 * `closedAt` on, no scan counts. One row per session at most (its key), so two trainers closing
 * at once keep the first time.
 */
@Entity('checkin_closure')
export class CheckinClosure {
  @ForeignKey(() => TrainingSession, { onDelete: 'RESTRICT' })
  @PrimaryColumn({ type: 'integer' })
  sessionId: number;

  @Column({ type: 'datetime' })
  closedAt: Date;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  closedById: number | null;
}
