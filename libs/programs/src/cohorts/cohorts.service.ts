import { Injectable } from '@nestjs/common';
import { ProgramEvents, TrainersAssignedPayload } from '../programs.events';
import { AuditService } from '@shipei/audit';
import { User } from '@shipei/auth';
import {
  AccessPolicy,
  DomainEvents,
  Actor,
  BadInputError,
  Clock,
  ConflictError,
  hasRowLocks,
  Page,
  pageOf,
  PageQuery,
  shanghaiDate,
  TransactionRunner,
} from '@shipei/core';
import { EntityManager, In } from 'typeorm';
import { rejectNulls } from '../eligibility';
import { Program } from '../programs/program.entity';
import { ProgramsService } from '../programs/programs.service';
import { TrainingSession } from '../sessions/training-session.entity';
import { CohortTrainer } from './cohort-trainer.entity';
import { Cohort } from './cohort.entity';
import { CohortDto, CreateCohortDto, SetTrainersDto, UpdateCohortDto } from './dto/cohort.dto';
import { COHORT_KIND, mayTrain, PROGRAM_KIND } from '../programs.access';

const badDates = () =>
  new BadInputError('VALIDATION_FAILED', '结束日期不能早于开始日期', {
    errors: [{ field: 'endDate', message: '结束日期不能早于开始日期' }],
  });

@Injectable()
export class CohortsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly programs: ProgramsService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** A cohort whose program the actor owns, or 404/403; locked with `lock` (MySQL). */
  async owned(
    em: EntityManager,
    actor: Actor,
    id: number,
    lock = false,
  ): Promise<{ cohort: Cohort; program: Program }> {
    const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, id);
    const program = await this.programs.owned(em, actor, cohort.programId);
    if (!lock || !hasRowLocks(em)) return { cohort, program };
    const locked = await em
      .createQueryBuilder(Cohort, 'c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOneOrFail();
    return { cohort: locked, program };
  }

  /** Active TRAINER accounts, or 400 naming the field. */
  async requireTrainers(em: EntityManager, ids: number[], field = 'trainerIds'): Promise<User[]> {
    if (!ids.length) return [];
    const users = await em.find(User, { where: { id: In(ids) } });
    const ok = new Map(users.filter(mayTrain).map((u) => [u.id, u]));
    const missing = ids.filter((id) => !ok.has(id));
    if (missing.length)
      throw new BadInputError('INVALID_TRAINER', `培训教师账号无效：${missing.join('、')}`, {
        errors: [{ field, message: '须为有效的培训教师（TRAINER）账号' }],
      });
    return ids.map((id) => ok.get(id)!);
  }

  private async replaceTrainers(
    em: EntityManager,
    cohortId: number,
    trainerIds: number[],
    headTrainerId?: number,
  ): Promise<number[]> {
    if (headTrainerId !== undefined && !trainerIds.includes(headTrainerId)) {
      throw new BadInputError('VALIDATION_FAILED', '班主任须为本班培训教师之一', {
        errors: [{ field: 'headTrainerId', message: '班主任须为本班培训教师之一' }],
      });
    }
    await this.requireTrainers(em, trainerIds);
    const before = new Set((await em.findBy(CohortTrainer, { cohortId })).map((t) => t.userId));
    await em.delete(CohortTrainer, { cohortId });
    if (trainerIds.length)
      await em.insert(
        CohortTrainer,
        trainerIds.map((userId) => ({ cohortId, userId, head: userId === headTrainerId })),
      );
    return trainerIds.filter((userId) => !before.has(userId));
  }

  /** Tells whoever listens which trainers were newly given the cohort. */
  private async trainersAssigned(
    em: EntityManager,
    actor: Actor,
    programId: number,
    cohortId: number,
    trainerIds: number[],
  ) {
    if (!trainerIds.length) return;
    await this.events.record<TrainersAssignedPayload>(em, {
      type: ProgramEvents.TRAINERS_ASSIGNED,
      entity: 'cohort',
      entityId: cohortId,
      payload: { programId, cohortId, trainerIds },
      actorId: actor.userId,
    });
  }

  async toDto(em: EntityManager, cohort: Cohort, program?: Pick<Program, 'creditHours'>): Promise<CohortDto> {
    const [trainers, hours, prog] = await Promise.all([
      em
        .createQueryBuilder(CohortTrainer, 'ct')
        .innerJoin(User, 'u', 'u.id = ct.userId')
        .select(['ct.userId AS userId', 'u.displayName AS displayName', 'u.username AS username', 'ct.head AS head'])
        .where('ct.cohortId = :id', { id: cohort.id })
        .orderBy('ct.id')
        .getRawMany(),
      em
        .createQueryBuilder(TrainingSession, 's')
        .select('COALESCE(SUM(s.hours), 0)', 'h')
        .where('s.cohortId = :id', { id: cohort.id })
        .getRawOne(),
      program
        ? Promise.resolve(program)
        : em.findOneOrFail(Program, { where: { id: cohort.programId }, select: { id: true, creditHours: true } }),
    ]);
    return {
      id: cohort.id,
      programId: cohort.programId,
      name: cohort.name,
      capacity: cohort.capacity,
      assignedCount: cohort.assignedCount,
      startDate: cohort.startDate,
      endDate: cohort.endDate,
      venue: cohort.venue,
      trainers: trainers.map((t) => ({
        userId: Number(t.userId),
        name: t.displayName || t.username,
        head: !!Number(t.head),
      })),
      sessionHours: Number(hours?.h ?? 0),
      programCreditHours: Number(prog.creditHours),
    };
  }

  async create(actor: Actor, programId: number, dto: CreateCohortDto): Promise<CohortDto> {
    if (dto.endDate < dto.startDate) throw badDates();
    return this.tx.run(async (em) => {
      const program = await this.programs.owned(em, actor, programId);
      if (program.status === 'FINISHED') throw new ConflictError('PROGRAM_FINISHED', '项目已结束，不能再建班');
      const now = this.clock.now();
      const { identifiers } = await em.insert(Cohort, {
        programId,
        name: dto.name,
        capacity: dto.capacity,
        assignedCount: 0,
        startDate: dto.startDate,
        endDate: dto.endDate,
        venue: dto.venue ?? '',
        createdAt: now,
        updatedAt: now,
      });
      const id = Number(identifiers[0].id);
      const added = await this.replaceTrainers(em, id, dto.trainerIds ?? [], dto.headTrainerId);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'cohort',
        entityId: id,
        fields: Object.keys(dto),
      });
      await this.trainersAssigned(em, actor, program.id, id, added);
      return this.toDto(em, await em.findOneByOrFail(Cohort, { id }), program);
    });
  }

  async list(em: EntityManager, actor: Actor, programId: number, q: PageQuery): Promise<Page<CohortDto>> {
    const program = await this.access.load<Program>(em, actor, PROGRAM_KIND, programId);
    const [rows, total] = await this.access
      .query<Cohort>(em, actor, COHORT_KIND, 'c')
      .andWhere('c.programId = :programId', { programId })
      .orderBy('c.startDate')
      .addOrderBy('c.id')
      .skip(q.offset)
      .take(q.pageSize)
      .getManyAndCount();
    return pageOf(await Promise.all(rows.map((c) => this.toDto(em, c, program))), total, q);
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<CohortDto> {
    return this.toDto(em, await this.access.load<Cohort>(em, actor, COHORT_KIND, id));
  }

  async update(actor: Actor, id: number, dto: UpdateCohortDto): Promise<CohortDto> {
    rejectNulls(dto);
    return this.tx.run(async (em) => {
      const { cohort, program } = await this.owned(em, actor, id, true);
      const patch: Partial<Cohort> = {};
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.venue !== undefined) patch.venue = dto.venue;
      const start = dto.startDate ?? cohort.startDate;
      const end = dto.endDate ?? cohort.endDate;
      if (end < start) throw badDates();
      if (start !== cohort.startDate || end !== cohort.endDate) {
        // Moving the dates could put trainees into overlapping cohorts: only an empty cohort moves.
        if (cohort.assignedCount > 0) throw new ConflictError('COHORT_HAS_TRAINEES', '班级已有学员，不能修改日期');
        const outside = await em.createQueryBuilder(TrainingSession, 's').where('s.cohortId = :id', { id }).getMany();
        if (outside.some((s) => !withinDates(s, start, end)))
          throw new ConflictError('SESSIONS_OUTSIDE_DATES', '已有课次不在新的日期范围内');
        patch.startDate = start;
        patch.endDate = end;
      }
      if (dto.capacity !== undefined && dto.capacity !== cohort.capacity) {
        const res = await em
          .createQueryBuilder()
          .update(Cohort)
          .set({ capacity: dto.capacity })
          .where('id = :id AND assignedCount <= :cap', { id, cap: dto.capacity })
          .execute();
        if (!res.affected)
          throw new ConflictError(
            'CAPACITY_BELOW_ASSIGNED',
            `班级已有 ${cohort.assignedCount} 名学员，容量不能少于此数`,
          );
        patch.capacity = dto.capacity;
      }
      if (Object.keys(patch).length) {
        await em.update(Cohort, { id }, { ...patch, updatedAt: this.clock.now() });
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'cohort',
          entityId: id,
          fields: Object.keys(patch),
        });
      }
      return this.toDto(em, await em.findOneByOrFail(Cohort, { id }), program);
    });
  }

  async setTrainers(actor: Actor, id: number, dto: SetTrainersDto): Promise<CohortDto> {
    return this.tx.run(async (em) => {
      const { program } = await this.owned(em, actor, id, true);
      const added = await this.replaceTrainers(em, id, dto.trainerIds, dto.headTrainerId);
      await this.audit.record(em, actor, {
        action: 'set-trainers',
        entity: 'cohort',
        entityId: id,
        fields: ['trainerIds'],
      });
      await this.trainersAssigned(em, actor, program.id, id, added);
      return this.toDto(em, await em.findOneByOrFail(Cohort, { id }), program);
    });
  }
}

/** A session lies within its cohort's dates (calendar days in Asia/Shanghai). */
export function withinDates(s: { startsAt: Date; endsAt: Date }, startDate: string, endDate: string): boolean {
  const day = (d: Date) => shanghaiDate(new Date(d));
  return day(s.startsAt) >= startDate && day(s.endsAt) <= endDate;
}
