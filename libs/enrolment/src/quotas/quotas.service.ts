import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { AccessPolicy, Actor, BadInputError, Clock, ConflictError, TransactionRunner } from '@shipei/core';
import { Organisation, Teacher } from '@shipei/people';
import {
  CountyQuota,
  Program,
  PROGRAM_KIND,
  PROGRAM_STATUS_LABELS,
  ProgramsService,
  whereEligible,
} from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { QuotaDto, QuotaItemDto, QuotaSuggestionDto } from '../dto/enrolment.dto';
import { SeatLedger } from '../seats';
import { largestRemainderCapped } from './largest-remainder';

/** County quotas (名额分配): set by the program's owner, suggested by the largest-remainder method. */
@Injectable()
export class QuotasService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly programs: ProgramsService,
    private readonly seats: SeatLedger,
    private readonly clock: Clock,
  ) {}

  /** Counties in code order (the local code of 蒙山 sorts with the rest). */
  private async counties(em: EntityManager, ids?: number[]): Promise<Organisation[]> {
    return em.find(Organisation, {
      where: { type: 'COUNTY', ...(ids ? { id: In(ids) } : {}) },
      order: { code: 'ASC', id: 'ASC' },
    });
  }

  async list(em: EntityManager, actor: Actor, programId: number): Promise<QuotaDto[]> {
    await this.access.require(em, actor, PROGRAM_KIND, programId);
    const rows = await em.find(CountyQuota, { where: { programId } });
    const counties = new Map(
      (
        await this.counties(
          em,
          rows.map((r) => r.countyId),
        )
      ).map((c) => [c.id, c]),
    );
    return rows
      .map((r) => ({
        countyId: r.countyId,
        countyCode: counties.get(r.countyId)?.code ?? null,
        countyName: counties.get(r.countyId)?.name ?? '',
        seats: r.seats,
        nominatedCount: r.nominatedCount,
      }))
      .sort((a, b) => (a.countyCode ?? '').localeCompare(b.countyCode ?? '') || a.countyId - b.countyId);
  }

  /**
   * Replaces the program's quotas (counties left out get 0). The sum never exceeds the seats
   * (409 QUOTA_EXCEEDS_SEATS) and no county drops below what it already holds (409
   * QUOTA_BELOW_NOMINATED, a conditional update); a raised quota promotes that county's alternates.
   */
  async replace(actor: Actor, programId: number, items: QuotaItemDto[]): Promise<QuotaDto[]> {
    const seen = new Set<number>();
    const dupes = items
      .map((it, i) => ({ it, i }))
      .filter(({ it }) => (seen.has(it.countyId) ? true : (seen.add(it.countyId), false)));
    if (dupes.length)
      throw new BadInputError('VALIDATION_FAILED', '县区重复', {
        errors: dupes.map(({ i }) => ({ field: `[${i}].countyId`, message: '县区重复' })),
      });
    return this.tx.run(async (em) => {
      const program = await this.programs.owned(em, actor, programId, true);
      if (program.status === 'RUNNING' || program.status === 'FINISHED')
        throw new ConflictError(
          'PROGRAM_STATUS',
          `项目当前状态为「${PROGRAM_STATUS_LABELS[program.status]}」，不能再调整名额`,
        );
      const counties = new Map(
        (
          await this.counties(
            em,
            items.map((i) => i.countyId),
          )
        ).map((c) => [c.id, c]),
      );
      const bad = items
        .map((it, i) => ({ it, i }))
        .filter(
          ({ it }) =>
            !counties.has(it.countyId) || (program.ownerCountyId !== null && it.countyId !== program.ownerCountyId),
        );
      if (bad.length) {
        throw new BadInputError(
          'VALIDATION_FAILED',
          program.ownerCountyId ? '县区专题培训只能给本县区分配名额' : '县区不存在',
          {
            errors: bad.map(({ i }) => ({
              field: `[${i}].countyId`,
              message: program.ownerCountyId ? '只能是本县区' : '县区不存在',
            })),
          },
        );
      }
      const sum = items.reduce((s, it) => s + it.seats, 0);
      if (sum > program.seats)
        throw new ConflictError('QUOTA_EXCEEDS_SEATS', `各县区名额合计 ${sum} 超过项目总名额 ${program.seats}`);
      const existing = new Map((await em.find(CountyQuota, { where: { programId } })).map((q) => [q.countyId, q]));
      const wanted = new Map(items.map((it) => [it.countyId, it.seats]));
      for (const q of existing.values()) if (!wanted.has(q.countyId)) wanted.set(q.countyId, 0);
      const raised: number[] = [];
      const now = this.clock.now();
      for (const [countyId, seats] of [...wanted.entries()].sort((a, b) => a[0] - b[0])) {
        const q = existing.get(countyId);
        if (!q) {
          await em.insert(CountyQuota, { programId, countyId, seats, nominatedCount: 0, updatedAt: now });
          if (seats > 0) raised.push(countyId);
          continue;
        }
        if (q.seats === seats) continue;
        const res = await em
          .createQueryBuilder()
          .update(CountyQuota)
          .set({ seats, updatedAt: now })
          .where('id = :id AND nominatedCount <= :seats', { id: q.id, seats })
          .execute();
        if (!res.affected) {
          const c = counties.get(countyId) ?? (await em.findOneBy(Organisation, { id: countyId }));
          throw new ConflictError(
            'QUOTA_BELOW_NOMINATED',
            `${c?.name ?? '该县区'}已推荐 ${q.nominatedCount} 人，名额不能少于此数`,
          );
        }
        if (seats > q.seats) raised.push(countyId);
      }
      for (const countyId of raised) await this.seats.promoteAll(em, actor, programId, countyId);
      await this.audit.record(em, actor, {
        action: 'set-quotas',
        entity: 'program',
        entityId: programId,
        fields: ['quotas'],
      });
      return this.list(em, actor, programId);
    });
  }

  /**
   * The suggested split: the program's seats in proportion to each county's eligible teachers
   * (school 贫困村学校 if required, backbone level, stages, subjects), by largest remainder,
   * ties by county code, never more seats than a county has eligible teachers. A county's own thematic program: all seats to that county.
   */
  async suggestion(em: EntityManager, actor: Actor, programId: number): Promise<QuotaSuggestionDto> {
    const program = await this.programs.owned(em, actor, programId);
    const counties = program.ownerCountyId ? await this.counties(em, [program.ownerCountyId]) : await this.counties(em);
    const counts = await whereEligible(em.createQueryBuilder(Teacher, 't'), program as Program)
      .select('t.countyId', 'countyId')
      .addSelect('COUNT(*)', 'n')
      .groupBy('t.countyId')
      .getRawMany<{ countyId: number; n: number | string }>();
    const eligible = new Map(counts.map((r) => [Number(r.countyId), Number(r.n)]));
    const split = largestRemainderCapped(
      program.seats,
      counties.map((c) => ({ key: c.id, code: c.code ?? `~${c.id}`, weight: eligible.get(c.id) ?? 0 })),
    );
    const items = counties.map((c) => ({
      countyId: c.id,
      countyCode: c.code,
      countyName: c.name,
      eligibleTeachers: eligible.get(c.id) ?? 0,
      seats: split.get(c.id) ?? 0,
    }));
    return { seats: program.seats, eligibleTeachers: items.reduce((s, i) => s + i.eligibleTeachers, 0), items };
  }
}
