import { User } from '@shipei/auth';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from './cohort.entity';

/** A trainer (TRAINER account) of a cohort; `head` marks the 班主任. */
@Entity('cohort_trainer')
@Index('uq_cohort_trainer', ['cohortId', 'userId'], { unique: true })
@Index('idx_cohort_trainer_user', ['userId'])
export class CohortTrainer {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  cohortId: number;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'boolean', default: false })
  head: boolean;
}
