import { User } from '@shipei/auth';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One message in a person's inbox (站内信). `recipientKey` is `u:<userId>`, or `t:<teacherId>` for
 * a teacher without an account (reached by SMS only); with `dedupeKey` (`e:<eventId>` or a
 * reminder's key) it makes a message unique, so a retried change or a second scheduler writes
 * nothing twice.
 */
@Entity('notification')
@Index('uq_notification_dedupe', ['recipientKey', 'dedupeKey'], { unique: true })
@Index('idx_notification_user', ['userId', 'readAt'])
@Index('idx_notification_key', ['dedupeKey'])
export class Notification {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 20 })
  recipientKey: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'varchar', length: 100 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 1000 })
  body: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  link: string | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime', nullable: true })
  readAt: Date | null;
}
