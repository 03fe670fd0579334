import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import {
  AccessPolicy,
  DomainEvents,
  Actor,
  BadInputError,
  Clock,
  ConflictError,
  ForbiddenError,
  lockForUpdate,
  Page,
  pageOf,
  TransactionRunner,
} from '@shipei/core';
import { Organisation } from '@shipei/people';
import { EntityManager } from 'typeorm';
import { rejectNulls, splitList } from '../eligibility';
import { createsCityPrograms, createsCountyPrograms, mayCreatePrograms, PROGRAM_KIND } from '../programs.access';
import { ProgramEvents, ProgramOpenedPayload } from '../programs.events';
import { CountyQuota } from '../quotas/county-quota.entity';
import { CreateProgramDto, ProgramDto, ProgramQuery, UpdateProgramDto } from './dto/program.dto';
import { Program, PROGRAM_STATUS_LABELS, ProgramStatus } from './program.entity';

export function toProgramDto(p: Program): ProgramDto {
  return {
    id: p.id,
    kind: p.kind,
    year: p.year,
    title: p.title,
    ownerOrganisationId: p.ownerOrganisationId,
    ownerCountyId: p.ownerCountyId,
    seats: p.seats,
    approvedCount: p.approvedCount,
    creditHours: Number(p.creditHours),
    attendanceThreshold: Number(p.attendanceThreshold),
    lateGraceMinutes: p.lateGraceMinutes,
    nominationDeadline: p.nominationDeadline ? new Date(p.nominationDeadline).toISOString() : null,
    status: p.status,
    requirePovertyVillage: !!p.requirePovertyVillage,
    minBackboneLevel: p.minBackboneLevel,
    stages: splitList(p.stages),
    subjects: splitList(p.subjects),
    certificatePrefix: p.certificatePrefix,
    hasCertificateTemplate: !!p.certificateTemplate,
    startDate: p.startDate,
    endDate: p.endDate,
  };
}

export type ProgramAction = 'open' | 'close' | 'start' | 'finish';

/** The program lifecycle (spec §3): each action moves from exactly one status to the next. */
export const PROGRAM_TRANSITIONS: Record<ProgramAction, { from: ProgramStatus; to: ProgramStatus; label: string }> = {
  open: { from: 'DRAFT', to: 'OPEN', label: '开始推荐' },
  close: { from: 'OPEN', to: 'CLOSED', label: '结束推荐' },
  start: { from: 'CLOSED', to: 'RUNNING', label: '开始培训' },
  finish: { from: 'RUNNING', to: 'FINISHED', label: '结束培训' },
};

const dateRangeError = () =>
  new BadInputError('VALIDATION_FAILED', '结束日期不能早于开始日期', {
    errors: [{ field: 'endDate', message: '结束日期不能早于开始日期' }],
  });

@Injectable()
export class ProgramsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * A program the actor owns (may change), or 404 (403 when it may read but not own it).
   * With `lock`, the row is locked for the rest of the transaction (MySQL; SQLite is serialised).
   */
  async owned(em: EntityManager, actor: Actor, id: number, lock = false): Promise<Program> {
    const qb = this.access.query<Program>(em, actor, PROGRAM_KIND, 'x', 'write').andWhere('x.id = :id', { id });
    if (lock) lockForUpdate(qb);
    const program = Number.isSafeInteger(id) ? await qb.getOne() : null;
    if (program) return program;
    await this.access.require(em, actor, PROGRAM_KIND, id, 'read');
    throw new ForbiddenError('NOT_PROGRAM_OWNER', '只有项目的主办单位可以执行此操作');
  }

  async create(actor: Actor, dto: CreateProgramDto): Promise<ProgramDto> {
    if (createsCountyPrograms(actor) && dto.kind !== 'COUNTY_THEMATIC')
      throw new ForbiddenError('KIND_NOT_ALLOWED', '县区只能创建县区专题培训项目');
    if (createsCityPrograms(actor) && dto.kind === 'COUNTY_THEMATIC')
      throw new ForbiddenError('KIND_NOT_ALLOWED', '县区专题培训项目由县区创建');
    if (!mayCreatePrograms(actor)) throw new ForbiddenError();
    if (dto.startDate && dto.endDate && dto.endDate < dto.startDate) throw dateRangeError();
    return this.tx.run(async (em) => {
      let ownerOrganisationId: number;
      let ownerCountyId: number | null = null;
      if (createsCountyPrograms(actor)) {
        if (!actor.countyId) throw new ForbiddenError();
        ownerOrganisationId = ownerCountyId = actor.countyId;
      } else {
        const city =
          actor.organisationId ??
          (await em.findOne(Organisation, { where: { type: 'CITY' }, order: { id: 'ASC' } }))?.id;
        if (!city) throw new ConflictError('NO_CITY', '尚未登记市级教育局');
        ownerOrganisationId = city;
      }
      const now = this.clock.now();
      const { identifiers } = await em.insert(Program, {
        kind: dto.kind,
        year: dto.year,
        title: dto.title,
        ownerOrganisationId,
        ownerCountyId,
        seats: dto.seats,
        approvedCount: 0,
        creditHours: dto.creditHours,
        attendanceThreshold: dto.attendanceThreshold ?? 0.8,
        lateGraceMinutes: dto.lateGraceMinutes ?? 15,
        nominationDeadline: dto.nominationDeadline ? new Date(dto.nominationDeadline) : null,
        status: 'DRAFT',
        requirePovertyVillage: dto.requirePovertyVillage ?? true,
        minBackboneLevel: dto.minBackboneLevel ?? null,
        stages: (dto.stages ?? []).join(','),
        subjects: (dto.subjects ?? []).map((s) => s.trim()).join(','),
        certificatePrefix: dto.certificatePrefix.toUpperCase(),
        certificateTemplate: dto.certificateTemplate ?? null,
        certificateSeq: 0,
        startDate: dto.startDate ?? null,
        endDate: dto.endDate ?? null,
        createdAt: now,
        updatedAt: now,
      });
      const id = Number(identifiers[0].id);
      // A county's own thematic program: all its seats are the county's quota.
      if (ownerCountyId)
        await em.insert(CountyQuota, {
          programId: id,
          countyId: ownerCountyId,
          seats: dto.seats,
          nominatedCount: 0,
          updatedAt: now,
        });
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'program',
        entityId: id,
        fields: Object.keys(dto),
      });
      return toProgramDto(await em.findOneByOrFail(Program, { id }));
    });
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<ProgramDto> {
    return toProgramDto(await this.access.load<Program>(em, actor, PROGRAM_KIND, id));
  }

  async list(em: EntityManager, actor: Actor, q: ProgramQuery): Promise<Page<ProgramDto>> {
    const qb = this.access.query<Program>(em, actor, PROGRAM_KIND, 'p');
    if (q.year) qb.andWhere('p.year = :year', { year: q.year });
    if (q.kind) qb.andWhere('p.kind = :kind', { kind: q.kind });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    const [rows, total] = await qb
      .orderBy('p.year', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .skip(q.offset)
      .take(q.pageSize)
      .getManyAndCount();
    return pageOf(rows.map(toProgramDto), total, q);
  }

  /** Edits a program before it runs; seats never drop below what is approved or allocated. */
  async update(actor: Actor, id: number, dto: UpdateProgramDto): Promise<ProgramDto> {
    rejectNulls(dto, ['nominationDeadline', 'minBackboneLevel', 'certificateTemplate', 'startDate', 'endDate']);
    return this.tx.run(async (em) => {
      const program = await this.owned(em, actor, id, true);
      if (program.status === 'RUNNING' || program.status === 'FINISHED') {
        throw new ConflictError('PROGRAM_STARTED', `项目${PROGRAM_STATUS_LABELS[program.status]}，不能再修改`);
      }
      const patch: Partial<Program> = {};
      const simple = [
        'title',
        'year',
        'creditHours',
        'attendanceThreshold',
        'lateGraceMinutes',
        'requirePovertyVillage',
        'certificateTemplate',
        'startDate',
        'endDate',
      ] as const;
      for (const f of simple) if (dto[f] !== undefined) (patch as Record<string, unknown>)[f] = dto[f];
      if (dto.minBackboneLevel !== undefined) patch.minBackboneLevel = dto.minBackboneLevel;
      if (dto.nominationDeadline !== undefined)
        patch.nominationDeadline = dto.nominationDeadline === null ? null : new Date(dto.nominationDeadline);
      if (dto.stages !== undefined) patch.stages = dto.stages.join(',');
      if (dto.subjects !== undefined) patch.subjects = dto.subjects.map((s) => s.trim()).join(',');
      if (dto.certificatePrefix !== undefined) patch.certificatePrefix = dto.certificatePrefix.toUpperCase();
      const start = patch.startDate ?? program.startDate;
      const end = patch.endDate ?? program.endDate;
      if (start && end && end < start) throw dateRangeError();
      if (dto.seats !== undefined && dto.seats !== program.seats) {
        const { sum } = (await em
          .createQueryBuilder(CountyQuota, 'q')
          .select('COALESCE(SUM(q.seats), 0)', 'sum')
          .where('q.programId = :id', { id })
          .getRawOne()) ?? { sum: 0 };
        if (program.ownerCountyId) {
          const quota = await em.findOneByOrFail(CountyQuota, { programId: id, countyId: program.ownerCountyId });
          if (dto.seats < quota.nominatedCount)
            throw new ConflictError('SEATS_BELOW_TAKEN', `已有 ${quota.nominatedCount} 人占用名额，总名额不能少于此数`);
          await em.update(CountyQuota, { id: quota.id }, { seats: dto.seats, updatedAt: this.clock.now() });
        } else if (dto.seats < Number(sum)) {
          throw new ConflictError('SEATS_BELOW_QUOTAS', `各县区名额合计 ${Number(sum)}，总名额不能少于此数`);
        }
        const res = await em
          .createQueryBuilder()
          .update(Program)
          .set({ seats: dto.seats })
          .where('id = :id AND approvedCount <= :seats', { id, seats: dto.seats })
          .execute();
        if (!res.affected)
          throw new ConflictError('SEATS_BELOW_TAKEN', `已审核通过 ${program.approvedCount} 人，总名额不能少于此数`);
        patch.seats = dto.seats;
      }
      if (Object.keys(patch).length) {
        await em.update(Program, { id }, { ...patch, updatedAt: this.clock.now() });
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'program',
          entityId: id,
          fields: Object.keys(patch),
        });
      }
      return toProgramDto(await em.findOneByOrFail(Program, { id }));
    });
  }

  /** open / close / start / finish: a conditional update from the one status it may leave. */
  async transition(actor: Actor, id: number, action: ProgramAction): Promise<ProgramDto> {
    const t = PROGRAM_TRANSITIONS[action];
    return this.tx.run(async (em) => {
      const program = await this.owned(em, actor, id);
      const res = await em
        .createQueryBuilder()
        .update(Program)
        .set({ status: t.to, updatedAt: this.clock.now() })
        .where('id = :id AND status = :from', { id, from: t.from })
        .execute();
      if (!res.affected) {
        const now = (await em.findOneByOrFail(Program, { id: program.id })).status;
        throw new ConflictError(
          'INVALID_PROGRAM_TRANSITION',
          `项目当前状态为「${PROGRAM_STATUS_LABELS[now]}」，不能${t.label}（须为「${PROGRAM_STATUS_LABELS[t.from]}」）`,
        );
      }
      await this.audit.record(em, actor, {
        action,
        entity: 'program',
        entityId: id,
        fields: ['status'],
        note: `${t.from}→${t.to}`,
      });
      if (t.to === 'OPEN')
        await this.events.record<ProgramOpenedPayload>(em, {
          type: ProgramEvents.OPENED,
          entity: 'program',
          entityId: id,
          payload: { programId: id },
          actorId: actor.userId,
        });
      return toProgramDto(await em.findOneByOrFail(Program, { id }));
    });
  }
}
