import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Placement } from '../placements/placement.entity';

/** A trip (往返一次) whose 交通差旅费 is due, for schemes that pay travel per trip. */
@Entity('stipend_trip')
@Index('idx_stipend_trip_placement', ['placementId', 'tripDate'])
export class StipendTrip {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Placement, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  placementId: number;

  @Column({ type: 'date' })
  tripDate: string;

  @Column({ type: 'integer' })
  recordedById: number;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
