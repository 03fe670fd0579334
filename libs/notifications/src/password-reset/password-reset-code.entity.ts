import { User } from '@shipei/auth';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A 6-digit code sent by SMS to reset a forgotten password (spec §13): stored as an HMAC, never in
 * clear; valid 10 minutes and for 5 tries; a newer code replaces the older ones (only the latest
 * unused code of an account is checked).
 */
@Entity('password_reset_code')
@Index('idx_password_reset_user', ['userId', 'id'])
export class PasswordResetCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ type: 'integer' })
  userId: number;

  /** HMAC-SHA256 (key: the JWT secret) of `<userId>:<code>`, hex. */
  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'datetime' })
  expiresAt: Date;

  @Column({ type: 'datetime', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
