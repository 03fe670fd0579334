import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One throttle counter: requests of one kind from one client address in a fixed window. Kept in
 * the database so every app process counts the same requests (spec §12).
 */
@Entity('rate_counter')
export class RateCounter {
  /** What is counted and for whom, e.g. `login|203.0.113.7`. */
  @PrimaryColumn({ type: 'varchar', length: 120 })
  bucket: string;

  /** Start of the current window, in whole seconds since the epoch. */
  @Column({ type: 'bigint' })
  windowStart: number;

  @Column({ type: 'integer', default: 0 })
  hits: number;
}
