import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed logins of one account, from one client address (`u:<userId>@<ip>`) or from everywhere
 * (`u:<userId>`). Updated only by compare-and-set on `rev`, so every process reserves attempts
 * from the same count (see LoginAttempts).
 */
@Entity('login_guard')
export class LoginGuard {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  bucket: string;

  /** Failures since the last lock ended (or the last success). */
  @Column({ type: 'integer', default: 0 })
  failures: number;

  /** Locks in a row without a successful login: each lock lasts twice as long as the one before. */
  @Column({ type: 'integer', default: 0 })
  locks: number;

  /** End of the current (or last) lock, ms since the epoch. */
  @Column({ type: 'bigint', nullable: true })
  lockedUntil: number | null;

  /** Bumped by every change: the compare-and-set token. */
  @Column({ type: 'integer', default: 0 })
  rev: number;
}
