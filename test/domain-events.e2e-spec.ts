/**
 * The domain-event seam (libs/core/src/events): an event and whatever its subscribers write commit
 * with the change or not at all. Real database, SQLite and MariaDB/MySQL.
 */
import { DomainEvents, RecordedEvent, TransactionRunner } from '@shipei/core';
import { startTestApp, TestApp } from './support/test-app';

describe('domain events', () => {
  let t: TestApp;
  let events: DomainEvents;
  let tx: TransactionRunner;
  const seen: RecordedEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    events = t.app.get(DomainEvents);
    tx = t.app.get(TransactionRunner);
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
});
