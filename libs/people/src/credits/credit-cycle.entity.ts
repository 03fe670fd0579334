import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Teacher } from '../teachers/teacher.entity';

/**
 * A teacher's credit hours in one five-year cycle (spec §8: ≥ 360), `cycle` being its first year
 * under CREDIT_CYCLE_START_YEAR: the sum of the teacher's {@link CreditYear} rows of those years,
 * kept by the same writes ({@link addCredits}), so a cycle's list is one index range like a year's
 * instead of a sum over five years of every teacher. If the configured start year changes, the
 * app realigns the table when it starts (alignCreditCycles).
 */
@Entity('credit_cycle')
@Index('idx_credit_cycle_county', ['cycle', 'countyId', 'hours'])
@Index('idx_credit_cycle_school', ['cycle', 'schoolId', 'hours'])
@Index('idx_credit_cycle_met', ['cycle', 'hours'])
export class CreditCycle {
  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @PrimaryColumn({ type: 'integer' })
  teacherId: number;

  @PrimaryColumn({ type: 'integer' })
  cycle: number;

  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'integer' })
  schoolId: number;

  @Column({ type: 'decimal', precision: 9, scale: 1 })
  hours: string | number;
}
