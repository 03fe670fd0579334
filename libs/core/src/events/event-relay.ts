import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { dbDate } from '../database/sql-values';
import { DomainEvents, RecordedEvent } from './domain-events';

/** Events handed on per transaction: few enough that a change queued behind it (SQLite) barely waits. */
const BATCH = 20;
/** How often each process looks for events it was not told of (another process's, a retry). */
const POLL_MS = 1000;
/** An event whose consumer failed is tried again after this (a bug or bad data must not spin the loop). */
const RETRY_FAILED_MS = 60_000;

interface Row {
  id: number;
  type: string;
  entity: string;
  entityId: string;
  payload: string;
  actorId: number | null;
  occurredAt: unknown;
}

/**
 * The outbox relay: the domain_event table is the outbox. Every process hands each committed event
 * that has consumers ({@link DomainEvents.consume}) to them, in a transaction that also clears the
 * event's `relayPending` with a conditional UPDATE — so an event is consumed once across processes
 * (the second claimant's UPDATE matches nothing), and a crash before that commit leaves it pending
 * for the next look. It looks as soon as a change that stored such an event commits (a TypeORM
 * commit listener), and every second.
 */
@Injectable()
export class EventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventRelay');
  private readonly told = new WeakSet<QueryRunner>();
  private readonly failedUntil = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {
    events.onPending = (runner) => this.told.add(runner);
    dataSource.subscribers.push({
      afterTransactionCommit: ({ queryRunner }) => {
        if (this.told.delete(queryRunner)) this.nudge();
      },
      afterTransactionRollback: ({ queryRunner }) => void this.told.delete(queryRunner),
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(), POLL_MS).unref();
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Hands on whatever is pending, now or right after the drain under way. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e) => this.logger.error(`事件转发失败：${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (this.running = null));
  }

  /** Until nothing is pending; resolves when the relay is idle (tests and shutdown wait on it). */
  async drain(): Promise<void> {
    do {
      this.again = false;
      while (!this.stopped && (await this.relay(BATCH)) === BATCH);
    } while (this.again && !this.stopped);
  }

  /** Hands on up to `limit` events in one transaction; returns how many it took (handed on or set aside). */
  private async relay(limit: number): Promise<number> {
    let current: number | null = null;
    try {
      return await this.tx.run(async (em) => {
        const rows = await this.pending(em, limit);
        for (const row of rows) {
          current = row.id;
          // The claim: a row another process took meanwhile is no longer pending, and is skipped.
          const claimed = await em.queryRunner!.query(
            'UPDATE domain_event SET relayPending = 0 WHERE id = ? AND relayPending = 1',
            [row.id],
            true,
          );
          if (!claimed.affected) continue;
          for (const consume of this.events.consumersOf(row.type)) await consume(em, recorded(row));
        }
        return rows.length;
      });
    } catch (e) {
      // A consumer failed and the batch rolled back: one at a time, so the others still go through.
      if (limit > 1) {
        let taken = 0;
        for (let k = 1; taken < limit && k > 0; taken += k) k = await this.relay(1);
        return taken;
      }
      if (current === null) throw e;
      this.failedUntil.set(current, performance.now() + RETRY_FAILED_MS);
      this.logger.error(`事件 ${current} 的后续处理失败，1 分钟后重试：${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }

  private async pending(em: EntityManager, limit: number): Promise<Row[]> {
    const now = performance.now(); // monotonic: a retry delay, not a time of the domain
    for (const [id, until] of this.failedUntil) if (until <= now) this.failedUntil.delete(id);
    const skip = [...this.failedUntil.keys()];
    const rows: Row[] = await em.query(
      `SELECT id, type, entity, entityId, payload, actorId, occurredAt FROM domain_event WHERE relayPending = 1${
        skip.length ? ` AND id NOT IN (${skip.map(() => '?').join(', ')})` : ''
      } ORDER BY id LIMIT ${limit}`,
      skip,
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}

const recorded = (r: Row): RecordedEvent => ({
  id: r.id,
  type: r.type,
  entity: r.entity,
  entityId: r.entityId,
  payload: JSON.parse(r.payload),
  actorId: r.actorId === null ? null : Number(r.actorId),
  occurredAt: dbDate(r.occurredAt),
});
