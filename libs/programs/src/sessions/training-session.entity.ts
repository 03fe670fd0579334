import { User } from '@shipei/auth';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { decimalNumber } from '../decimal';
import { Cohort } from '../cohorts/cohort.entity';

/** 课次: one unit of a cohort's schedule. Sessions of one cohort never overlap. */
@Entity('training_session')
@Index('idx_session_cohort', ['cohortId', 'startsAt'])
@Index('idx_session_trainer', ['trainerId', 'startsAt'])
export class TrainingSession {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  cohortId: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'datetime' })
  startsAt: Date;

  @Column({ type: 'datetime' })
  endsAt: Date;

  /** 学时 of this session. */
  @Column({ type: 'decimal', precision: 5, scale: 2, transformer: decimalNumber })
  hours: number;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  trainerId: number | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  room: string;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
