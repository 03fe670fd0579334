import { Injectable } from '@nestjs/common';
import { EntityManager, QueryRunner } from 'typeorm';
import { sqlDatetime } from '../database/sql-values';
import { Clock } from '../time/clock';

/** What a lib says happened. Payload: ids, codes and dates only, never names, phones or ID numbers. */
export interface DomainEvent<P extends object = Record<string, unknown>> {
  type: string;
  entity: string;
  entityId: number | string;
  payload: P;
  /** The user who caused it; null for the system (a scheduler, a migration). */
  actorId: number | null;
}

/** An event as its subscribers see it: stored, with its id (the key of anything derived from it). */
export interface RecordedEvent<P extends object = Record<string, unknown>> extends DomainEvent<P> {
  id: number;
  occurredAt: Date;
}

/**
 * A consumer's reaction, run inside the transaction of the change: what it writes commits or rolls
 * back with the change. It must not call the network (write an outbox row instead) and should be
 * a few inserts, since it holds the change's locks while it runs.
 */
export type EventSubscriber<P extends object = Record<string, unknown>> = (
  em: EntityManager,
  event: RecordedEvent<P>,
) => Promise<void>;

/**
 * A consumer's reaction after the change has committed, in a transaction of its own that also marks
 * the event handled: it runs once per event (across processes), never slows or fails the change, and
 * sees the committed state. What the notifications do: the change's cost is the event's one insert.
 */
export type EventConsumer<P extends object = Record<string, unknown>> = (
  em: EntityManager,
  event: RecordedEvent<P>,
) => Promise<void>;

/**
 * The domain-event seam: a lib records what happened in its own transaction
 * (`events.record(em, {...})`, next to `audit.record`); libs higher in the graph react to the
 * types they care about, registered in `onModuleInit`: `subscribe` inside the change's
 * transaction, `consume` after its commit (the stored event is the outbox; {@link EventRelay}
 * hands it on). So a lower lib never imports the libs that react to it (notifications first),
 * and nothing they do can happen without the change, or twice.
 */
@Injectable()
export class DomainEvents {
  private readonly subscribers = new Map<string, EventSubscriber<any>[]>();
  private readonly consumers = new Map<string, EventConsumer<any>[]>();
  /** Told of a transaction that stored an event for consumers (the relay looks once it commits). */
  onPending: (runner: QueryRunner) => void = () => undefined;

  constructor(private readonly clock: Clock) {}

  subscribe<P extends object = Record<string, unknown>>(
    types: string | readonly string[],
    subscriber: EventSubscriber<P>,
  ): void {
    for (const type of typeof types === 'string' ? [types] : types) {
      const list = this.subscribers.get(type) ?? [];
      list.push(subscriber);
      this.subscribers.set(type, list);
    }
  }

  consume<P extends object = Record<string, unknown>>(
    types: string | readonly string[],
    consumer: EventConsumer<P>,
  ): void {
    for (const type of typeof types === 'string' ? [types] : types) {
      const list = this.consumers.get(type) ?? [];
      list.push(consumer);
      this.consumers.set(type, list);
    }
  }

  consumersOf(type: string): readonly EventConsumer<any>[] {
    return this.consumers.get(type) ?? [];
  }

  /** Stores the event in the caller's transaction, then runs its subscribers there, in order. */
  async record<P extends object>(em: EntityManager, event: DomainEvent<P>): Promise<RecordedEvent<P>> {
    const runner = em.queryRunner;
    // Outside a transaction the event could commit without the change, or the change without it.
    if (!runner?.isTransactionActive) throw new Error('DomainEvents.record needs the transaction of the change');
    const occurredAt = this.clock.now();
    const relay = this.consumers.has(event.type);
    const res = await runner.query(
      'INSERT INTO domain_event (type, entity, entityId, payload, actorId, occurredAt, relayPending) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        event.type,
        event.entity,
        String(event.entityId),
        JSON.stringify(event.payload),
        event.actorId || null,
        sqlDatetime(em, occurredAt),
        relay ? 1 : 0,
      ],
      true,
    );
    const id = Number(em.connection.options.type === 'better-sqlite3' ? res.raw : res.raw.insertId);
    const recorded: RecordedEvent<P> = { ...event, id, occurredAt };
    for (const subscriber of this.subscribers.get(event.type) ?? []) await subscriber(em, recorded);
    if (relay) this.onPending(runner);
    return recorded;
  }
}
