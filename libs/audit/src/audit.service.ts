import { Injectable } from '@nestjs/common';
import { Actor, Clock, Page, pageOf, PageQuery, sqlDatetime } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export interface AuditEvent {
  action: string;
  entity: string;
  entityId?: number | string | null;
  /** Names of the fields changed or revealed; never their values. */
  fields?: string[];
  /** A short non-personal note, e.g. a rejection reason code. */
  note?: string;
}

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  action?: string;
  actorId?: number;
  from?: Date;
  to?: Date;
}

@Injectable()
export class AuditService {
  constructor(private readonly clock: Clock) {}

  /** Records the event inside the caller's transaction, so a change and its audit line commit together. */
  async record(em: EntityManager, actor: Actor, event: AuditEvent): Promise<void> {
    // Plain SQL: every change writes one of these, and TypeORM's insert builder cost more than the
    // statement itself (bench/nominate.bench.ts). The columns are those of AuditEntry.
    await em.query(
      'INSERT INTO audit_entry (at, actorId, actorRole, action, entity, entityId, fields, note, ip, requestId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        sqlDatetime(em, this.clock.now()),
        actor.userId || null,
        actor.role ?? null,
        event.action,
        event.entity,
        event.entityId == null ? null : String(event.entityId),
        event.fields?.length ? event.fields.join(',').slice(0, 500) : null,
        event.note ? event.note.slice(0, 500) : null,
        actor.ip?.slice(0, 64) ?? null,
        actor.requestId?.slice(0, 64) ?? null,
      ],
    );
  }

  async list(em: EntityManager, filter: AuditFilter, page: PageQuery): Promise<Page<AuditEntry>> {
    const qb = em.createQueryBuilder(AuditEntry, 'a');
    if (filter.entity) qb.andWhere('a.entity = :entity', { entity: filter.entity });
    if (filter.entityId) qb.andWhere('a.entityId = :entityId', { entityId: filter.entityId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.from) qb.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.at < :to', { to: filter.to });
    const [items, total] = await qb.orderBy('a.id', 'DESC').skip(page.offset).take(page.pageSize).getManyAndCount();
    return pageOf(items, total, page);
  }

  /** Drops entries older than the retention period (spec §9: at least six months are kept). */
  async purgeOlderThan(em: EntityManager, cutoff: Date): Promise<number> {
    const res = await em.createQueryBuilder().delete().from(AuditEntry).where('at < :cutoff', { cutoff }).execute();
    return res.affected ?? 0;
  }
}
