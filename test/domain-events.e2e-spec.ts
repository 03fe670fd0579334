/**
 * The domain-event seam (libs/core/src/events): an event and whatever its subscribers write commit
 * with the change or not at all; consumers see each committed event once, after the commit, through
 * the relay (the event table is the outbox). Real database, SQLite and MariaDB/MySQL.
 */
import { DomainEvents, EventRelay, RecordedEvent, TransactionRunner } from '@shipei/core';
import { startTestApp, TestApp } from './support/test-app';

describe('domain events', () => {
  let t: TestApp;
  let events: DomainEvents;
  let tx: TransactionRunner;
  let relay: EventRelay;
  const seen: RecordedEvent[] = [];
  const consumed: RecordedEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    events = t.app.get(DomainEvents);
    tx = t.app.get(TransactionRunner);
    relay = t.app.get(EventRelay);
    events.consume(['test.relayed', 'test.relay-failing'], async (em, event) => {
      if (event.type === 'test.relay-failing') {
        await em.query(
          "INSERT INTO audit_entry (at, action, entity, entityId) VALUES ('2026-01-01 00:00:00', 'consumer', 'domain_event', ?)",
          [String(event.id)],
        );
        throw new Error('consumer refused');
      }
      consumed.push(event);
      await em.query(
        "INSERT INTO audit_entry (at, action, entity, entityId) VALUES ('2026-01-01 00:00:00', 'consumer', 'domain_event', ?)",
        [String(event.id)],
      );
    });
    events.subscribe(['test.noted', 'test.failing'], async (em, event) => {
      seen.push(event);
      // A subscriber's own write, in the same transaction (what the notification outbox does).
      await em.query('INSERT INTO audit_entry (at, action, entity, entityId) VALUES (?, ?, ?, ?)', [
        event.occurredAt.toISOString().slice(0, 19).replace('T', ' '),
        'subscriber',
        'domain_event',
        String(event.id),
      ]);
      if (event.type === 'test.failing') throw new Error('subscriber refused');
    });
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].n);

  it('stores the event with its payload and runs the subscribers in the transaction', async () => {
    const recorded = await tx.run((em) =>
      events.record(em, {
        type: 'test.noted',
        entity: 'enrolment',
        entityId: 42,
        payload: { programId: 7 },
        actorId: 1,
      }),
    );
    expect(recorded.id).toBeGreaterThan(0);
    expect(seen.map((e) => e.id)).toContain(recorded.id);
    const [row] = await t.db.query('SELECT type, entity, entityId, payload, actorId FROM domain_event WHERE id = ?', [
      recorded.id,
    ]);
    expect({ ...row, actorId: Number(row.actorId) }).toEqual({
      type: 'test.noted',
      entity: 'enrolment',
      entityId: '42',
      payload: '{"programId":7}',
      actorId: 1,
    });
    expect(
      await count("SELECT COUNT(*) n FROM audit_entry WHERE action = 'subscriber' AND entityId = ?", [
        String(recorded.id),
      ]),
    ).toBe(1);
  });

  it('rolls the event and the subscribers’ writes back with a change that fails', async () => {
    const before = await count('SELECT COUNT(*) n FROM domain_event');
    const subscribed = await count("SELECT COUNT(*) n FROM audit_entry WHERE action = 'subscriber'");
    await expect(
      tx.run(async (em) => {
        await events.record(em, { type: 'test.noted', entity: 'x', entityId: 1, payload: {}, actorId: null });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await count('SELECT COUNT(*) n FROM domain_event')).toBe(before);
    expect(await count("SELECT COUNT(*) n FROM audit_entry WHERE action = 'subscriber'")).toBe(subscribed);
  });

  it('fails the change when a subscriber fails, leaving nothing behind', async () => {
    const before = await count('SELECT COUNT(*) n FROM domain_event');
    await expect(
      tx.run((em) => events.record(em, { type: 'test.failing', entity: 'x', entityId: 2, payload: {}, actorId: null })),
    ).rejects.toThrow('subscriber refused');
    expect(await count('SELECT COUNT(*) n FROM domain_event')).toBe(before);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(
      events.record(t.db.manager, { type: 'test.noted', entity: 'x', entityId: 3, payload: {}, actorId: null }),
    ).rejects.toThrow(/transaction/);
  });

  describe('consumers after the commit (the relay)', () => {
    const pending = async (id: number) =>
      Number((await t.db.query('SELECT relayPending AS p FROM domain_event WHERE id = ?', [id]))[0].p);
    const consumerWrites = (id: number) =>
      count("SELECT COUNT(*) n FROM audit_entry WHERE action = 'consumer' AND entityId = ?", [String(id)]);
    const relayedEvent = (n: number) => ({
      type: 'test.relayed',
      entity: 'cohort',
      entityId: n,
      payload: { cohortId: n },
      actorId: 1,
    });

    it('hands a committed event to its consumers once, after the commit, with its payload', async () => {
      const recorded = await tx.run(async (em) => {
        const r = await events.record(em, relayedEvent(5));
        // Inside the change nothing has been handed on yet: the change pays only for the event row.
        expect(consumed.map((e) => e.id)).not.toContain(r.id);
        return r;
      });
      await relay.drain();
      const mine = consumed.filter((e) => e.id === recorded.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        type: 'test.relayed',
        entity: 'cohort',
        entityId: '5',
        payload: { cohortId: 5 },
        actorId: 1,
      });
      expect(Math.abs(mine[0].occurredAt.getTime() - recorded.occurredAt.getTime())).toBeLessThan(1000);
      expect(await pending(recorded.id)).toBe(0);
      await relay.drain();
      expect(consumed.filter((e) => e.id === recorded.id)).toHaveLength(1);
      expect(await consumerWrites(recorded.id)).toBe(1);
    });

    it('stores an event nobody consumes as handled', async () => {
      const recorded = await tx.run((em) =>
        events.record(em, { type: 'test.unheard', entity: 'x', entityId: 9, payload: {}, actorId: null }),
      );
      expect(await pending(recorded.id)).toBe(0);
    });

    it('never hands on the event of a change that rolled back', async () => {
      const before = consumed.length;
      let id = 0;
      await expect(
        tx.run(async (em) => {
          id = (await events.record(em, relayedEvent(6))).id;
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await relay.drain();
      expect(consumed.slice(before).map((e) => e.id)).not.toContain(id);
    });

    it('keeps a failing consumer from failing the change or holding up the events after it', async () => {
      const failing = await tx.run((em) =>
        events.record(em, { type: 'test.relay-failing', entity: 'x', entityId: 7, payload: {}, actorId: null }),
      );
      const next = await tx.run((em) => events.record(em, relayedEvent(8)));
      await relay.drain();
      expect(consumed.filter((e) => e.id === next.id)).toHaveLength(1);
      // Still pending (tried again a minute later); the failed consumer's own write rolled back.
      expect(await pending(failing.id)).toBe(1);
      expect(await consumerWrites(failing.id)).toBe(0);
      await t.db.query('UPDATE domain_event SET relayPending = 0 WHERE id = ?', [failing.id]);
    });

    it('hands each of many events on once when several drains race for them', async () => {
      const ids: number[] = [];
      for (let n = 0; n < 45; n++) ids.push((await tx.run((em) => events.record(em, relayedEvent(100 + n)))).id);
      await Promise.all([relay.drain(), relay.drain(), relay.drain()]);
      for (const id of ids) expect(consumed.filter((e) => e.id === id)).toHaveLength(1);
      expect(
        await count(`SELECT COUNT(*) n FROM domain_event WHERE relayPending = 1 AND id IN (${ids.join(',')})`),
      ).toBe(0);
    });
  });
});
