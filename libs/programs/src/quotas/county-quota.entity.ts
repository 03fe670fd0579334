import { Organisation } from '@shipei/people';
import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Program } from '../programs/program.entity';

/**
 * 名额分配: the seats of one county in one program. `nominatedCount` counts the county's
 * enrolments that hold a seat (NOMINATED, APPROVED, CONFIRMED, COMPLETED, NOT_COMPLETED);
 * it moves only by conditional updates (`... WHERE nominatedCount < seats`), so a county's
 * nominations never exceed its quota, whatever the number of app processes.
 */
@Entity('county_quota')
@Check('chk_quota_nominated', '"nominatedCount" >= 0 AND "nominatedCount" <= "seats"')
@Index('uq_quota_program_county', ['programId', 'countyId'], { unique: true })
@Index('idx_quota_county', ['countyId'])
export class CountyQuota {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Program, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  programId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'integer' })
  seats: number;

  @Column({ type: 'integer', default: 0 })
  nominatedCount: number;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
