import { Organisation } from '@shipei/people';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Scheme } from './scheme.entity';

/**
 * 名额: a county's places in a scheme. `used` counts the county's placements that hold a place
 * (every status but REJECTED); it only moves by conditional updates
 * (`used = used + 1 WHERE used < places`), so a county never exceeds its quota under concurrency.
 */
@Entity('scheme_quota')
@Index('uq_scheme_quota_county', ['schemeId', 'countyId'], { unique: true })
@Index('idx_scheme_quota_county', ['countyId'])
export class SchemeQuota {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Scheme, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  schemeId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'integer' })
  places: number;

  @Column({ type: 'integer', default: 0 })
  used: number;
}
