import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import {
  AccessPolicy,
  Actor,
  BadInputError,
  Clock,
  ConflictError,
  pageOf,
  PageQuery,
  TransactionRunner,
} from '@shipei/core';
import { EntityManager } from 'typeorm';
import { CohortTrainer } from '../cohorts/cohort-trainer.entity';
import { Cohort } from '../cohorts/cohort.entity';
import { CohortsService, withinDates } from '../cohorts/cohorts.service';
import { rejectNulls } from '../eligibility';
import { Program } from '../programs/program.entity';
import { shanghaiDateTime } from '@shipei/core';
import { CreateSessionDto, SessionDto, SessionListDto, UpdateSessionDto } from './dto/session.dto';
import { TrainingSession } from './training-session.entity';
import { COHORT_KIND, SESSION_KIND } from '../programs.access';

/** One class hour (课时) is 45 minutes. */
const CLASS_HOUR_MS = 45 * 60_000;

/** The most 学时 a session may carry: its length in 45-minute class hours, a started one counting whole (spec §14). */
export function maxSessionHours(startsAt: Date, endsAt: Date): number {
  return Math.ceil((endsAt.getTime() - startsAt.getTime()) / CLASS_HOUR_MS);
}

export function toSessionDto(s: TrainingSession): SessionDto {
  return {
    id: s.id,
    cohortId: s.cohortId,
    title: s.title,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    hours: Number(s.hours),
    trainerId: s.trainerId,
    room: s.room,
  };
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly cohorts: CohortsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks a session against its cohort (dates, no overlap with the cohort's other sessions,
   * a TRAINER account); the caller holds the cohort's row lock, so two concurrent sessions
   * cannot both pass the overlap check.
   */
  private async check(
    em: EntityManager,
    cohort: Cohort,
    s: { startsAt: Date; endsAt: Date; trainerId: number | null; hours: number },
    exceptId?: number,
  ): Promise<void> {
    if (!(s.endsAt.getTime() > s.startsAt.getTime())) {
      throw new BadInputError('VALIDATION_FAILED', '结束时间须晚于开始时间', {
        errors: [{ field: 'endsAt', message: '结束时间须晚于开始时间' }],
      });
    }
    const max = maxSessionHours(s.startsAt, s.endsAt);
    if (Number(s.hours) > max) {
      const message = `学时不能超过课次时长折算的课时数（每 45 分钟计 1 学时，不足 45 分钟按 1 学时计），本课次最多 ${max} 学时`;
      throw new BadInputError('VALIDATION_FAILED', message, { errors: [{ field: 'hours', message }] });
    }
    if (!withinDates(s, cohort.startDate, cohort.endDate)) {
      throw new ConflictError(
        'SESSION_OUTSIDE_COHORT',
        `课次须安排在班级日期（${cohort.startDate} 至 ${cohort.endDate}）之内`,
      );
    }
    const qb = em
      .createQueryBuilder(TrainingSession, 's')
      .where('s.cohortId = :cid AND s.startsAt < :end AND s.endsAt > :start', {
        cid: cohort.id,
        start: s.startsAt,
        end: s.endsAt,
      });
    if (exceptId) qb.andWhere('s.id <> :except', { except: exceptId });
    const clash = await qb.orderBy('s.startsAt').getOne();
    if (clash)
      throw new ConflictError(
        'SESSION_OVERLAP',
        `与本班课次「${clash.title}」（${shanghaiDateTime(clash.startsAt)} 起）时间重叠`,
      );
    if (s.trainerId) {
      await this.cohorts.requireTrainers(em, [s.trainerId], 'trainerId');
      const member = await em.findOne(CohortTrainer, { where: { cohortId: cohort.id, userId: s.trainerId } });
      if (!member) await em.insert(CohortTrainer, { cohortId: cohort.id, userId: s.trainerId, head: false });
    }
  }

  async create(actor: Actor, cohortId: number, dto: CreateSessionDto): Promise<SessionDto> {
    return this.tx.run(async (em) => {
      const { cohort } = await this.cohorts.owned(em, actor, cohortId, true);
      const row = { startsAt: new Date(dto.startsAt), endsAt: new Date(dto.endsAt), trainerId: dto.trainerId ?? null };
      await this.check(em, cohort, { ...row, hours: dto.hours });
      const { identifiers } = await em.insert(TrainingSession, {
        cohortId,
        title: dto.title,
        ...row,
        hours: dto.hours,
        room: dto.room ?? '',
        createdAt: this.clock.now(),
      });
      const id = Number(identifiers[0].id);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'session',
        entityId: id,
        fields: Object.keys(dto),
      });
      return toSessionDto(await em.findOneByOrFail(TrainingSession, { id }));
    });
  }

  async update(actor: Actor, id: number, dto: UpdateSessionDto): Promise<SessionDto> {
    rejectNulls(dto, ['trainerId']);
    return this.tx.run(async (em) => {
      const session = await this.access.load<TrainingSession>(em, actor, SESSION_KIND, id);
      const { cohort } = await this.cohorts.owned(em, actor, session.cohortId, true);
      const next = {
        startsAt: dto.startsAt ? new Date(dto.startsAt) : new Date(session.startsAt),
        endsAt: dto.endsAt ? new Date(dto.endsAt) : new Date(session.endsAt),
        trainerId: dto.trainerId !== undefined ? dto.trainerId : session.trainerId,
      };
      await this.check(em, cohort, { ...next, hours: dto.hours ?? Number(session.hours) }, id);
      const patch: Partial<TrainingSession> = { ...next };
      if (dto.title !== undefined) patch.title = dto.title;
      if (dto.hours !== undefined) patch.hours = dto.hours;
      if (dto.room !== undefined) patch.room = dto.room;
      await em.update(TrainingSession, { id }, patch);
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'session',
        entityId: id,
        fields: Object.keys(dto),
      });
      return toSessionDto(await em.findOneByOrFail(TrainingSession, { id }));
    });
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<SessionDto> {
    return toSessionDto(await this.access.load<TrainingSession>(em, actor, SESSION_KIND, id));
  }

  /** A cohort's schedule in time order, with the sum of its hours against the program's credit hours. */
  async list(em: EntityManager, actor: Actor, cohortId: number, q: PageQuery): Promise<SessionListDto> {
    const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, cohortId);
    const [[rows, total], sum, program] = await Promise.all([
      em
        .createQueryBuilder(TrainingSession, 's')
        .where('s.cohortId = :cohortId', { cohortId })
        .orderBy('s.startsAt')
        .addOrderBy('s.id')
        .skip(q.offset)
        .take(q.pageSize)
        .getManyAndCount(),
      em
        .createQueryBuilder(TrainingSession, 's')
        .select('COALESCE(SUM(s.hours), 0)', 'h')
        .where('s.cohortId = :cohortId', { cohortId })
        .getRawOne(),
      em.findOneOrFail(Program, { where: { id: cohort.programId }, select: { id: true, creditHours: true } }),
    ]);
    return {
      ...pageOf(rows.map(toSessionDto), total, q),
      totalHours: Number(sum?.h ?? 0),
      programCreditHours: Number(program.creditHours),
    };
  }
}
