import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One thing that happened in the domain (a nomination approved, a leave decided…), written in the
 * transaction of the change, next to its audit line. The payload holds ids and codes, never
 * personal data: a consumer reads names and phones from their own tables when it needs them.
 */
@Entity('domain_event')
@Index('idx_domain_event_type', ['type', 'occurredAt'])
@Index('idx_domain_event_entity', ['entity', 'entityId'])
@Index('idx_domain_event_relay', ['relayPending', 'id'])
export class DomainEventRecord {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ type: 'varchar', length: 40 })
  entity: string;

  @Column({ type: 'varchar', length: 40 })
  entityId: string;

  /** JSON of the event's payload. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'datetime' })
  occurredAt: Date;

  /** Still to be handed to the consumers that run after the commit ({@link EventRelay}). */
  @Column({ type: 'boolean', default: false })
  relayPending: boolean;
}
