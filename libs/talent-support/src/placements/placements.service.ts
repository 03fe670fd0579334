import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  Clock,
  DomainEvents,
  ForbiddenError,
  isDuplicateKey,
  lockForShare,
  NotFoundError,
  Page,
  pageOf,
  PageQuery,
  shanghaiDate,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { Organisation, Teacher, TEACHER_KIND } from '@shipei/people';
import { EntityManager, In } from 'typeorm';
import { SchemeQuota } from '../schemes/scheme-quota.entity';
import { Scheme, SCHEME_KIND_LABELS } from '../schemes/scheme.entity';
import { organisationNames, rulesOf } from '../schemes/schemes.service';
import { CandidateFacts, failedRules, SelectionRules } from '../selection/selection-rules';
import { errors, fieldError, illegalTransition } from '../talent-support.errors';
import {
  AllPlacementsQuery,
  ArrivePlacementDto,
  CompletePlacementDto,
  NominatePlacementDto,
  PlacementDto,
  PlacementQuery,
  ReceivingSchoolDto,
  RejectPlacementDto,
  ServiceCertificateData,
  TerminatePlacementDto,
} from './dto/placement.dto';
import { loadContext, placementDtos, stipendOf } from './placement-view';
import { ACTIVE_STATUSES, Placement, PlacementStatus } from './placement.entity';
import { PlacementEventPayload, PlacementEvents } from './placement.events';
import { managesSchemes, nominatesPlacements, PLACEMENT_KIND, SCHEME_KIND } from '../talent-support.access';

/**
 * Placements (选派) and their life cycle:
 * NOMINATED → APPROVED → IN_SERVICE → COMPLETED | TERMINATED, and NOMINATED → REJECTED.
 * Each transition is one conditional UPDATE on the current status (a concurrent change makes it
 * a 409, never a double transition) and one audit line in the same transaction.
 */
@Injectable()
export class PlacementsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /**
   * A county nominates one of its teachers for a scheme, to a 受援学校. Checks, in order:
   * the scheme and the teacher are visible (404), the school is a receiving school other than the
   * teacher's own (400), every selection rule (409 NOT_ELIGIBLE with all reasons), no other active
   * placement (409 ALREADY_PLACED, enforced by the unique `activeKey`), a free place in the
   * county's quota (409 QUOTA_FULL, taken by a conditional UPDATE).
   */
  /** Today in Beijing time, 'YYYY-MM-DD': the day the placement rules compare dates with. */
  private today(): string {
    return shanghaiDate(this.clock.now());
  }

  async nominate(actor: Actor, schemeId: number, dto: NominatePlacementDto): Promise<PlacementDto> {
    if (!nominatesPlacements(actor)) throw new ForbiddenError();
    return this.tx.run(async (em) => {
      const scheme = await this.lockSchemeShared(em, actor, schemeId);
      const teacher = await this.access.load<Teacher>(em, actor, TEACHER_KIND, dto.teacherId, 'write');
      const school = await em.findOne(Organisation, {
        where: { id: dto.receivingSchoolId },
        select: { id: true, type: true, receivingSchool: true },
      });
      if (!school || school.type !== 'SCHOOL') throw new NotFoundError('受援学校');
      if (!school.receivingSchool)
        throw fieldError('NOT_RECEIVING_SCHOOL', 'receivingSchoolId', '所选学校不是受援学校');
      if (school.id === teacher.schoolId)
        throw fieldError('SAME_SCHOOL', 'receivingSchoolId', '受援学校不能是教师本人所在学校');

      const home = await em.findOne(Organisation, {
        where: { id: teacher.schoolId },
        select: { id: true, receivingSchool: true },
      });
      const reasons = failedRules(
        rulesOf(scheme),
        {
          ...teacher,
          appraisalsQualified: !!teacher.appraisalsQualified,
          onProbation: !!teacher.onProbation,
          specialPost: !!teacher.specialPost,
          putonghuaLevel: teacher.putonghuaLevel ?? null,
          homeSchoolReceiving: !!home?.receivingSchool,
        },
        scheme.termStart,
      );
      if (reasons.length) throw errors.notEligible(reasons);
      if (await em.findOne(Placement, { where: { activeKey: teacher.id }, select: { id: true } }))
        throw errors.alreadyPlaced();

      const taken = await em
        .createQueryBuilder()
        .update(SchemeQuota)
        .set({ used: () => 'used + 1' })
        .where('schemeId = :schemeId AND countyId = :countyId AND used < places', {
          schemeId,
          countyId: teacher.countyId,
        })
        .execute();
      if (!taken.affected)
        throw errors.quotaFull(
          !!(await em.findOne(SchemeQuota, { where: { schemeId, countyId: teacher.countyId }, select: { id: true } })),
        );

      const now = this.clock.now();
      let placementId: number;
      try {
        const { identifiers } = await em.insert(Placement, {
          schemeId,
          teacherId: teacher.id,
          countyId: teacher.countyId,
          homeSchoolId: teacher.schoolId,
          receivingSchoolId: school.id,
          status: 'NOMINATED',
          activeKey: teacher.id,
          nominatedAt: now,
          updatedAt: now,
        });
        placementId = Number(identifiers[0].id);
      } catch (e) {
        // Only uq_placement_active can clash: a concurrent nomination of the same teacher won.
        if (isDuplicateKey(e)) throw errors.alreadyPlaced();
        throw e;
      }
      await this.audit.record(em, actor, {
        action: 'nominate',
        entity: 'placement',
        entityId: placementId,
        fields: ['schemeId', 'teacherId', 'receivingSchoolId'],
      });
      return this.get(em, actor, placementId);
    });
  }

  /**
   * The scheme, share-locked on MySQL: nominations run side by side, while a change of the scheme's
   * quotas (which write-locks the scheme first, then the quota rows) waits for them. Both take the
   * scheme before the quota row, so the two never deadlock. SQLite serialises writes anyway.
   */
  private async lockSchemeShared(em: EntityManager, actor: Actor, schemeId: number): Promise<Scheme> {
    await this.access.require(em, actor, SCHEME_KIND, schemeId);
    const qb = em.createQueryBuilder(Scheme, 's').where('s.id = :id', { id: schemeId });
    const scheme = await lockForShare(qb).getOne();
    if (!scheme) throw new NotFoundError('人才支持计划');
    return scheme;
  }

  /** Moves a placement from one of `from` to `to` with `patch`, atomically and audited. */
  private async transition(
    actor: Actor,
    id: number,
    action: string,
    from: PlacementStatus[],
    to: PlacementStatus,
    build: (p: Placement, s: Scheme, em: EntityManager) => Promise<Partial<Placement>> | Partial<Placement>,
  ): Promise<PlacementDto> {
    return this.tx.run(async (em) => {
      const p = await this.access.load<Placement>(em, actor, PLACEMENT_KIND, id, 'write');
      if (!from.includes(p.status)) throw illegalTransition(p.status, action);
      const scheme = await em.findOneByOrFail(Scheme, { id: p.schemeId });
      const patch = await build(p, scheme, em);
      const res = await em
        .createQueryBuilder()
        .update(Placement)
        .set({
          ...patch,
          status: to,
          activeKey: ACTIVE_STATUSES.includes(to) ? p.teacherId : null,
          updatedAt: this.clock.now(),
        })
        .where('id = :id AND status = :status', { id, status: p.status })
        .execute();
      if (!res.affected) {
        const now = await em.findOneByOrFail(Placement, { id });
        throw illegalTransition(now.status, action);
      }
      await this.audit.record(em, actor, {
        action,
        entity: 'placement',
        entityId: id,
        fields: ['status', ...Object.keys(patch)],
      });
      if (to === 'APPROVED' || to === 'REJECTED')
        await this.events.record<PlacementEventPayload>(em, {
          type: PlacementEvents.DECIDED,
          entity: 'placement',
          entityId: id,
          payload: { schemeId: p.schemeId, teacherId: p.teacherId, countyId: p.countyId, status: to },
          actorId: actor.userId || null,
        });
      return this.get(em, actor, id);
    });
  }

  private requireCity(actor: Actor): void {
    if (!managesSchemes(actor)) throw new ForbiddenError();
  }

  async approve(actor: Actor, id: number): Promise<PlacementDto> {
    this.requireCity(actor);
    return this.transition(actor, id, 'approve', ['NOMINATED'], 'APPROVED', () => ({ decidedAt: this.clock.now() }));
  }

  /** Rejection gives the county its place back. */
  async reject(actor: Actor, id: number, dto: RejectPlacementDto): Promise<PlacementDto> {
    this.requireCity(actor);
    return this.transition(actor, id, 'reject', ['NOMINATED'], 'REJECTED', async (p, _s, em) => {
      await em
        .createQueryBuilder()
        .update(SchemeQuota)
        .set({ used: () => 'used - 1' })
        .where('schemeId = :s AND countyId = :c AND used > 0', { s: p.schemeId, c: p.countyId })
        .execute();
      // A rejected teacher is not sent, so no longer part of a team.
      return { decidedAt: this.clock.now(), rejectionReason: dto.reason, teamId: null };
    });
  }

  /** Arrival at the receiving school: a date within the term and not in the future. */
  async arrive(actor: Actor, id: number, dto: ArrivePlacementDto, today = this.today()): Promise<PlacementDto> {
    return this.transition(actor, id, 'arrive', ['APPROVED'], 'IN_SERVICE', (_p, s) => {
      if (dto.arrivalDate < s.termStart || dto.arrivalDate > s.termEnd)
        throw fieldError('DATE_OUTSIDE_TERM', 'arrivalDate', `到岗日期须在服务期内（${s.termStart} 至 ${s.termEnd}）`);
      if (dto.arrivalDate > today) throw fieldError('DATE_IN_FUTURE', 'arrivalDate', '到岗日期不能晚于今天');
      return { arrivalDate: dto.arrivalDate };
    });
  }

  /** Completion of the term with an assessment; only once the term has ended. Service runs to the term's end. */
  async complete(actor: Actor, id: number, dto: CompletePlacementDto, today = this.today()): Promise<PlacementDto> {
    return this.transition(actor, id, 'complete', ['IN_SERVICE'], 'COMPLETED', (_p, s) => {
      if (today < s.termEnd) throw errors.termNotEnded(s.termEnd);
      return { endDate: s.termEnd, assessment: dto.assessment, assessmentComment: dto.comment };
    });
  }

  /** Early return: `date` is the last day in service (inclusive). */
  async terminate(actor: Actor, id: number, dto: TerminatePlacementDto, today = this.today()): Promise<PlacementDto> {
    return this.transition(actor, id, 'terminate', ['IN_SERVICE'], 'TERMINATED', (p, s) => {
      if (dto.date < p.arrivalDate! || dto.date > s.termEnd)
        throw fieldError(
          'DATE_OUTSIDE_SERVICE',
          'date',
          `最后在岗日须在到岗日期（${p.arrivalDate}）与服务期末（${s.termEnd}）之间`,
        );
      if (dto.date > today) throw fieldError('DATE_IN_FUTURE', 'date', '最后在岗日不能晚于今天');
      return { endDate: dto.date, terminationReason: dto.reason };
    });
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<PlacementDto> {
    const p = await this.access.load<Placement>(em, actor, PLACEMENT_KIND, id);
    return (await placementDtos(em, [p], this.today()))[0];
  }

  /** The register (台账) rows, scoped: the city sees all, a county its own teachers, a teacher their own. */
  async list(em: EntityManager, actor: Actor, q: AllPlacementsQuery): Promise<Page<PlacementDto>> {
    if (q.schemeId) await this.access.require(em, actor, SCHEME_KIND, q.schemeId);
    const qb = this.access.query<Placement>(em, actor, PLACEMENT_KIND, 'p');
    if (q.schemeId) qb.andWhere('p.schemeId = :schemeId', { schemeId: q.schemeId });
    if (q.countyId) qb.andWhere('p.countyId = :countyId', { countyId: q.countyId });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.teacherId) qb.andWhere('p.teacherId = :teacherId', { teacherId: q.teacherId });
    const [rows, total] = await qb.orderBy('p.id', 'ASC').skip(q.offset).take(q.pageSize).getManyAndCount();
    return pageOf(await placementDtos(em, rows, this.today()), total, q);
  }

  async listForScheme(
    em: EntityManager,
    actor: Actor,
    schemeId: number,
    q: PlacementQuery,
  ): Promise<Page<PlacementDto>> {
    return this.list(
      em,
      actor,
      Object.assign(new AllPlacementsQuery(), {
        page: q.page,
        pageSize: q.pageSize,
        countyId: q.countyId,
        status: q.status,
        teacherId: q.teacherId,
        schemeId,
      }),
    );
  }

  /**
   * Every selection rule each teacher fails for the scheme (the nomination page shows them before
   * nominating); the same rules `nominate` checks, with the teachers' schools looked up once.
   */
  async failedRulesFor(
    em: EntityManager,
    scheme: { rules: SelectionRules; termStart: string },
    teachers: (Omit<CandidateFacts, 'homeSchoolReceiving'> & { id: number; schoolId: number })[],
  ): Promise<Map<number, string[]>> {
    const schoolIds = [...new Set(teachers.map((t) => t.schoolId))];
    const receiving = new Set(
      schoolIds.length
        ? (
            await em.find(Organisation, {
              where: { id: In(schoolIds), receivingSchool: true },
              select: { id: true },
            })
          ).map((o) => o.id)
        : [],
    );
    return new Map(
      teachers.map((t) => [
        t.id,
        failedRules(scheme.rules, { ...t, homeSchoolReceiving: receiving.has(t.schoolId) }, scheme.termStart),
      ]),
    );
  }

  /**
   * Receiving schools (受援学校) of every county: a county sends its teachers to schools outside
   * its own scope, so it may read their names (not their teachers or records).
   */
  async receivingSchools(em: EntityManager, q: PageQuery): Promise<Page<ReceivingSchoolDto>> {
    const [rows, total] = await em.findAndCount(Organisation, {
      where: { type: 'SCHOOL', receivingSchool: true },
      select: { id: true, name: true, countyId: true },
      order: { countyId: 'ASC', id: 'ASC' },
      skip: q.offset,
      take: q.pageSize,
    });
    const names = await organisationNames(
      em,
      rows.map((r) => r.countyId ?? 0),
    );
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        name: r.name,
        countyId: r.countyId ?? 0,
        countyName: names.get(r.countyId ?? 0) ?? '',
      })),
      total,
      q,
    );
  }

  /**
   * The data a service certificate (支教证明) needs, for a COMPLETED placement the actor may see
   * (409 NOT_COMPLETED otherwise). For the certificates module; no 身份证号 on it.
   */
  async serviceCertificateData(em: EntityManager, actor: Actor, id: number): Promise<ServiceCertificateData> {
    const p = await this.access.load<Placement>(em, actor, PLACEMENT_KIND, id);
    if (p.status !== 'COMPLETED' || !p.arrivalDate || !p.endDate || !p.assessment) throw errors.notCompleted();
    const ctx = await loadContext(em, [p]);
    const s = ctx.schemes.get(p.schemeId)!;
    const t = ctx.teachers.get(p.teacherId)!;
    const receiving = ctx.orgs.get(p.receivingSchoolId);
    return {
      placementId: p.id,
      schemeId: s.id,
      schemeKind: s.kind,
      schemeKindLabel: SCHEME_KIND_LABELS[s.kind],
      schemeTitle: s.title,
      schemeYear: s.year,
      teacherId: t.id,
      teacherName: t.name,
      gender: t.gender,
      homeCountyName: ctx.orgs.get(p.countyId)?.name ?? '',
      homeSchoolName: ctx.orgs.get(p.homeSchoolId)?.name ?? '',
      receivingCountyName: (receiving?.countyId && ctx.orgs.get(receiving.countyId)?.name) || '',
      receivingSchoolName: receiving?.name ?? '',
      termStart: s.termStart,
      termEnd: s.termEnd,
      arrivalDate: p.arrivalDate,
      endDate: p.endDate,
      daysServed: stipendOf(s, p, this.today()).daysServed,
      assessment: p.assessment,
    };
  }
}
