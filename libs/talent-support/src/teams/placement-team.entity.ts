import { Organisation } from '@shipei/people';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Scheme } from '../schemes/scheme.entity';

/**
 * 组团式选派: several teachers of one county sent together to one receiving school under one
 * scheme, one of them the leader (队长). Members are placements whose `teamId` points here.
 */
@Entity('placement_team')
@Index('idx_placement_team_scheme', ['schemeId', 'countyId'])
export class PlacementTeam {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Scheme, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  schemeId: number;

  /** The county that sends the team (its scope). */
  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  receivingSchoolId: number;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  /** The leader's placement (a member of the team). */
  @Column({ type: 'integer' })
  leaderPlacementId: number;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
