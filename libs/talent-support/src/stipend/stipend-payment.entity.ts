import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Placement } from '../placements/placement.entity';

/**
 * 实发: an amount actually paid to the teacher for one month of a placement (工作补助 and
 * 交通差旅费; the insurance premium goes to the insurer and is not recorded here).
 */
@Entity('stipend_payment')
@Index('idx_stipend_payment_placement', ['placementId', 'month'])
export class StipendPayment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Placement, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  placementId: number;

  /** The month paid for, 'YYYY-MM' (a month of the term). */
  @Column({ type: 'varchar', length: 7 })
  month: string;

  @Column({ type: 'integer' })
  amountFen: number;

  @Column({ type: 'date' })
  paidOn: string;

  @Column({ type: 'integer' })
  paidById: number;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
