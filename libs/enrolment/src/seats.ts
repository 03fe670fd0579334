import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { Actor, Clock, DomainEvents, lockForUpdate, TransactionRunner } from '@shipei/core';
import { CountyQuota, Program } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { Enrolment } from './enrolment.entity';
import { EnrolmentEvents, recordEnrolmentEvent } from './enrolment.events';

/** Runs a write on the transaction's connection and returns the number of rows it changed. */
export async function affectedRows(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const runner = em.queryRunner;
  if (!runner) throw new Error('affectedRows() must run inside a transaction');
  return (await runner.query(sql, params, true)).affected ?? 0;
}

/**
 * The seat counters, moved only by conditional updates so that the database (not this
 * process) decides who gets the last seat. Lock order in every transaction:
 * program row → county_quota row → enrolment rows → cohort rows.
 */
@Injectable()
export class SeatLedger {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Takes one of the county's quota seats; false when the quota is full (or there is none).
   * Plain SQL (no query builder): this is the statement every nomination queues on.
   */
  async takeQuotaSeat(em: EntityManager, programId: number, countyId: number): Promise<boolean> {
    return (
      (await affectedRows(
        em,
        'UPDATE county_quota SET nominatedCount = nominatedCount + 1 WHERE programId = ? AND countyId = ? AND nominatedCount < seats',
        [programId, countyId],
      )) === 1
    );
  }

  async releaseQuotaSeat(em: EntityManager, programId: number, countyId: number): Promise<void> {
    await em
      .createQueryBuilder()
      .update(CountyQuota)
      .set({ nominatedCount: () => 'nominatedCount - 1' })
      .where('programId = :programId AND countyId = :countyId AND nominatedCount > 0', { programId, countyId })
      .execute();
  }

  /** Takes one of the program's approved seats; false when all are taken. */
  async takeApprovedSeat(em: EntityManager, programId: number): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(Program)
      .set({ approvedCount: () => 'approvedCount + 1' })
      .where('id = :programId AND approvedCount < seats', { programId })
      .execute();
    return !!res.affected;
  }

  async releaseApprovedSeat(em: EntityManager, programId: number): Promise<void> {
    await em
      .createQueryBuilder()
      .update(Program)
      .set({ approvedCount: () => 'approvedCount - 1' })
      .where('id = :programId AND approvedCount > 0', { programId })
      .execute();
  }

  /**
   * Gives a free quota seat of the county to its first alternate (FIFO by id), in the caller's
   * transaction. The waitlist row is read with a locking read, so on MySQL it sees the newest
   * committed alternates (not the transaction's older snapshot). Returns the promoted id, or
   * null when nobody waits or no seat is free.
   */
  async promote(em: EntityManager, actor: Actor, programId: number, countyId: number): Promise<number | null> {
    for (;;) {
      const qb = em
        .createQueryBuilder(Enrolment, 'e')
        .where('e.programId = :programId AND e.countyId = :countyId AND e.status = :w', {
          programId,
          countyId,
          w: 'WAITLISTED',
        })
        .orderBy('e.id', 'ASC')
        .limit(1);
      const next = await lockForUpdate(qb).getOne();
      if (!next) return null;
      if (!(await this.takeQuotaSeat(em, programId, countyId))) return null;
      const now = this.clock.now();
      const res = await em
        .createQueryBuilder()
        .update(Enrolment)
        .set({ status: 'NOMINATED', nominatedAt: now, updatedAt: now })
        .where('id = :id AND status = :w', { id: next.id, w: 'WAITLISTED' })
        .execute();
      if (res.affected) {
        await this.audit.record(em, actor, {
          action: 'promote',
          entity: 'enrolment',
          entityId: next.id,
          fields: ['status'],
          note: 'WAITLISTED→NOMINATED',
        });
        await recordEnrolmentEvent(this.events, em, EnrolmentEvents.PROMOTED, actor.userId, next);
        return next.id;
      }
      await this.releaseQuotaSeat(em, programId, countyId);
    }
  }

  /** Promotes alternates while the county has free seats (after a quota was raised). */
  async promoteAll(em: EntityManager, actor: Actor, programId: number, countyId: number): Promise<number[]> {
    const promoted: number[] = [];
    for (
      let id = await this.promote(em, actor, programId, countyId);
      id !== null;
      id = await this.promote(em, actor, programId, countyId)
    )
      promoted.push(id);
    return promoted;
  }
}
