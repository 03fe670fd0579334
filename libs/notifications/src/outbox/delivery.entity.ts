import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Notification } from '../notification.entity';

export const CHANNELS = ['SMS', 'EMAIL'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DELIVERY_STATUSES = ['PENDING', 'SENT', 'FAILED', 'SKIPPED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One message to send on one channel (the outbox): written with the change, sent afterwards by
 * whichever process claims it (claimToken + claimedUntil), retried with backoff until SENT or FAILED.
 */
@Entity('delivery')
@Index('uq_delivery_channel', ['notificationId', 'channel'], { unique: true })
@Index('idx_delivery_due', ['status', 'nextAttemptAt'])
@Index('idx_delivery_claim', ['claimToken'])
export class Delivery {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Notification, { onDelete: 'CASCADE' })
  @Column({ type: 'integer' })
  notificationId: number;

  @Column({ type: 'varchar', length: 10 })
  channel: Channel;

  /** The phone or address, in full (it is needed to send); masked whenever shown. */
  @Column({ type: 'varchar', length: 200 })
  recipient: string;

  @Column({ type: 'varchar', length: 60 })
  type: string;

  /** JSON of the SMS template's variables (empty object for e-mail). */
  @Column({ type: 'text' })
  params: string;

  @Column({ type: 'varchar', length: 10 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'datetime' })
  nextAttemptAt: Date;

  @Column({ type: 'datetime', nullable: true })
  claimedUntil: Date | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  claimToken: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'datetime', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'datetime' })
  createdAt: Date;
}

/** Each try of a delivery, for the office to see what the gateway said. */
@Entity('delivery_attempt')
@Index('idx_delivery_attempt', ['deliveryId'])
export class DeliveryAttempt {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Delivery, { onDelete: 'CASCADE' })
  @Column({ type: 'integer' })
  deliveryId: number;

  @Column({ type: 'datetime' })
  at: Date;

  @Column({ type: 'boolean', default: false })
  ok: boolean;

  @Column({ type: 'integer' })
  durationMs: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
