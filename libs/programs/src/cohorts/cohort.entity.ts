import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Program } from '../programs/program.entity';

/**
 * 班/期次: part of a program, with a capacity and dates. `assignedCount` counts the
 * enrolments placed in it (分班); it moves only by conditional updates
 * (`... WHERE assignedCount + n <= capacity`), so a cohort is never over capacity.
 */
@Entity('cohort')
@Check('chk_cohort_assigned', '"assignedCount" >= 0 AND "assignedCount" <= "capacity"')
@Index('idx_cohort_program', ['programId', 'startDate'])
export class Cohort {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Program, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  programId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'integer', default: 0 })
  assignedCount: number;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  venue: string;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
