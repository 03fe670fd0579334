import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change or one reveal of personal data: who, when, what, on which record, from where.
 * Holds field names, never personal values (spec §9).
 */
@Entity('audit_entry')
@Index('idx_audit_at', ['at'])
@Index('idx_audit_entity', ['entity', 'entityId'])
@Index('idx_audit_actor', ['actorId', 'at'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'datetime' })
  at: Date;

  @Column({ type: 'integer', nullable: true })
  actorId: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'varchar', length: 40 })
  entity: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  entityId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  fields: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;
}
