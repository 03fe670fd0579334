import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateCounter } from './rate-counter.entity';

/**
 * Fixed-window counters in the database, shared by every app process (spec §11: no rule depends on
 * in-process state). A hit is taken by one conditional UPDATE that increments only while the window
 * is under its limit (or restarts an elapsed window), so concurrent processes never overshoot.
 */
@Injectable()
export class RateCounters {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Counts one hit in `bucket`; false when `limit` hits were already counted in the current window. */
  // eslint-disable-next-line no-restricted-syntax -- lock-outs and throttles run on the wall clock shared by every process, not on the rules' Clock (a test clock set to 2019 must not open or hold them)
  async hit(bucket: string, limit: number, windowSeconds: number, nowMs = Date.now()): Promise<boolean> {
    const start = Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
    for (let attempt = 0; attempt < 3; attempt++) {
      const { affected } = await this.ds
        .createQueryBuilder()
        .update(RateCounter)
        // hits before windowStart: MySQL assigns left to right, so hits must still see the old window.
        .set({
          hits: () => 'CASE WHEN windowStart < :start THEN 1 ELSE hits + 1 END',
          windowStart: () => 'CASE WHEN windowStart < :start THEN :start ELSE windowStart END',
        })
        .where('bucket = :bucket AND (windowStart < :start OR hits < :limit)', { bucket, start, limit })
        .execute();
      if (affected) return true;
      try {
        await this.ds
          .createQueryBuilder()
          .insert()
          .into(RateCounter)
          .values({ bucket, windowStart: start, hits: 1 })
          .execute();
        return true;
      } catch (e) {
        // The row exists (full window), or another process inserted it just now: look again.
        if (!isDuplicate(e)) throw e;
      }
    }
    return false;
  }
}

function isDuplicate(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  const code = err.driverError?.code ?? err.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}
