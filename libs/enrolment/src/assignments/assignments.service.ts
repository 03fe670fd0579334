import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import {
  Actor,
  BadInputError,
  Clock,
  ConflictError,
  DomainEvents,
  hasRowLocks,
  lockForShare,
  lockForUpdate,
  TransactionRunner,
} from '@shipei/core';
import { Organisation, Teacher } from '@shipei/people';
import { Cohort, CohortsService, PROGRAM_STATUS_LABELS, Program, ProgramsService } from '@shipei/programs';
import { EntityManager, In, IsNull } from 'typeorm';
import { AssignmentResultDto, AutoAssignResultDto } from '../dto/enrolment.dto';
import { Enrolment, ENROLMENT_STATUS_LABELS, EnrolmentStatus } from '../enrolment.entity';
import { balance, Slot, Trainee } from './balance';
import { EnrolmentEvents, recordEnrolmentEvent } from '../enrolment.events';

/** Who may be placed in a cohort. */
const ASSIGNABLE: EnrolmentStatus[] = ['APPROVED', 'CONFIRMED'];
const CHUNK = 400;

const chunks = <T>(xs: T[], n = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * 分班, by hand and automatically. Invariants held by the database: a cohort's assignedCount
 * moves by a conditional update (never above capacity); an enrolment is placed only from
 * "no cohort" (conditional update); and a teacher is never in two cohorts whose dates overlap —
 * the teachers' rows are locked (ascending ids) before their other cohorts are read with a
 * locking read, so two concurrent placements of one teacher are checked one after the other.
 * Lock order: program → cohort → teacher → enrolment.
 */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  private async lockTeachers(em: EntityManager, teacherIds: number[]): Promise<void> {
    if (!hasRowLocks(em)) return;
    const sorted = [...new Set(teacherIds)].sort((a, b) => a - b);
    for (const part of chunks(sorted))
      await em
        .createQueryBuilder(Teacher, 't')
        .select('t.id')
        .where('t.id IN (:...ids)', { ids: part })
        .orderBy('t.id')
        .setLock('pessimistic_write')
        .getMany();
  }

  /**
   * The teachers' current cohorts (other than `except`), newest committed state: the enrolments
   * are read with a locking read (MySQL), the cohorts' dates plainly — a cohort's dates cannot
   * change once it has trainees, and locking cohort rows here would cross the lock order.
   */
  private async busy(
    em: EntityManager,
    teacherIds: number[],
    exceptCohortIds: number[],
  ): Promise<{ teacherId: number; cohortId: number; name: string; startDate: string; endDate: string }[]> {
    const placed: { teacherId: number; cohortId: number }[] = [];
    for (const part of chunks([...new Set(teacherIds)])) {
      const qb = em
        .createQueryBuilder(Enrolment, 'e')
        .select(['e.id', 'e.teacherId', 'e.cohortId'])
        .where('e.teacherId IN (:...ids) AND e.cohortId IS NOT NULL', { ids: part });
      for (const e of await lockForShare(qb).getMany())
        if (!exceptCohortIds.includes(e.cohortId!)) placed.push({ teacherId: e.teacherId, cohortId: e.cohortId! });
    }
    if (!placed.length) return [];
    const cohorts = new Map<number, Cohort>();
    for (const part of chunks([...new Set(placed.map((p) => p.cohortId))]))
      for (const c of await em.find(Cohort, { where: { id: In(part) } })) cohorts.set(c.id, c);
    return placed.map((p) => {
      const c = cohorts.get(p.cohortId)!;
      return { teacherId: p.teacherId, cohortId: c.id, name: c.name, startDate: c.startDate, endDate: c.endDate };
    });
  }

  private assertProgramOpen(program: Program): void {
    if (program.status === 'FINISHED')
      throw new ConflictError(
        'PROGRAM_STATUS',
        `项目当前状态为「${PROGRAM_STATUS_LABELS[program.status]}」，不能再分班`,
      );
  }

  /** Places these enrolments (of the cohort's program, APPROVED or CONFIRMED, not yet placed) in the cohort. */
  async assign(actor: Actor, cohortId: number, enrolmentIds: number[]): Promise<AssignmentResultDto> {
    const ids = [...new Set(enrolmentIds)].sort((a, b) => a - b);
    return this.tx.run(async (em) => {
      const { cohort, program } = await this.cohorts.owned(em, actor, cohortId, true);
      this.assertProgramOpen(program);
      const rows = await em.find(Enrolment, { where: { id: In(ids), programId: program.id } });
      const found = new Map(rows.map((r) => [r.id, r]));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length)
        throw new BadInputError('INVALID_ENROLMENTS', `以下报名记录不属于本项目：${missing.slice(0, 20).join('、')}`, {
          errors: [{ field: 'enrolmentIds', message: `不属于本项目：${missing.join('、')}` }],
        });
      const wrong = rows.filter((r) => !ASSIGNABLE.includes(r.status));
      if (wrong.length)
        throw new ConflictError(
          'NOT_APPROVED',
          `只有审核通过或已报到的学员可以分班（报名 ${wrong[0].id} 当前为「${ENROLMENT_STATUS_LABELS[wrong[0].status]}」）`,
        );
      const elsewhere = rows.filter((r) => r.cohortId !== null && r.cohortId !== cohortId);
      if (elsewhere.length)
        throw new ConflictError(
          'ALREADY_ASSIGNED',
          `报名 ${elsewhere
            .map((r) => r.id)
            .slice(0, 10)
            .join('、')} 已分入其他班级，请先调出`,
        );
      const todo = rows.filter((r) => r.cohortId === null);
      if (!todo.length)
        return { cohortId, assigned: 0, assignedCount: cohort.assignedCount, capacity: cohort.capacity };

      await this.lockTeachers(
        em,
        todo.map((r) => r.teacherId),
      );
      const clashes = (
        await this.busy(
          em,
          todo.map((r) => r.teacherId),
          [cohortId],
        )
      ).filter((b) => b.startDate <= cohort.endDate && cohort.startDate <= b.endDate);
      if (clashes.length) {
        const t = await em.findOne(Teacher, { where: { id: clashes[0].teacherId }, select: { id: true, name: true } });
        throw new ConflictError(
          'COHORT_OVERLAP',
          `${t?.name ?? '教师'}已在「${clashes[0].name}」（${clashes[0].startDate} 至 ${clashes[0].endDate}），与本班日期重叠`,
        );
      }
      await this.place(
        em,
        actor,
        cohort,
        todo.map((r) => r.id),
      );
      const after = await em.findOneByOrFail(Cohort, { id: cohortId });
      return { cohortId, assigned: todo.length, assignedCount: after.assignedCount, capacity: after.capacity };
    });
  }

  /** Conditional updates: each enrolment from "no cohort", then the cohort's count within capacity. */
  private async place(em: EntityManager, actor: Actor, cohort: Cohort, enrolmentIds: number[]): Promise<void> {
    const now = this.clock.now();
    let placed = 0;
    for (const part of chunks([...enrolmentIds].sort((a, b) => a - b))) {
      const res = await em
        .createQueryBuilder()
        .update(Enrolment)
        .set({ cohortId: cohort.id, assignedAt: now, updatedAt: now })
        .where('id IN (:...ids) AND cohortId IS NULL AND status IN (:...ok)', { ids: part, ok: ASSIGNABLE })
        .execute();
      placed += res.affected ?? 0;
    }
    if (placed !== enrolmentIds.length)
      throw new ConflictError('CONCURRENT_CHANGE', '部分学员的状态刚刚发生变化，请刷新后重试');
    const res = await em
      .createQueryBuilder()
      .update(Cohort)
      .set({ assignedCount: () => `assignedCount + ${placed}`, updatedAt: now })
      .where('id = :id AND assignedCount + :n <= capacity', { id: cohort.id, n: placed })
      .execute();
    if (!res.affected) {
      const now2 = await em.findOneByOrFail(Cohort, { id: cohort.id });
      throw new ConflictError(
        'COHORT_FULL',
        `班级容量 ${now2.capacity} 人，已分入 ${now2.assignedCount} 人，不能再分入 ${placed} 人`,
      );
    }
    for (const id of enrolmentIds)
      await this.audit.record(em, actor, { action: 'assign', entity: 'enrolment', entityId: id, fields: ['cohortId'] });
    const placedRows: Enrolment[] = [];
    for (const part of chunks(enrolmentIds))
      placedRows.push(
        ...(await em.find(Enrolment, {
          where: { id: In(part) },
          select: { id: true, programId: true, teacherId: true, countyId: true },
        })),
      );
    for (const e of placedRows) await recordEnrolmentEvent(this.events, em, EnrolmentEvents.ASSIGNED, actor.userId, e);
  }

  /** Takes an enrolment out of its cohort (owner), freeing the place. */
  async unassign(actor: Actor, cohortId: number, enrolmentId: number): Promise<AssignmentResultDto> {
    return this.tx.run(async (em) => {
      const { program } = await this.cohorts.owned(em, actor, cohortId, true);
      this.assertProgramOpen(program);
      const res = await em
        .createQueryBuilder()
        .update(Enrolment)
        .set({ cohortId: null, assignedAt: null, updatedAt: this.clock.now() })
        .where('id = :id AND cohortId = :cohortId', { id: enrolmentId, cohortId })
        .execute();
      if (!res.affected) throw new ConflictError('NOT_IN_COHORT', '该学员不在本班');
      await em
        .createQueryBuilder()
        .update(Cohort)
        .set({ assignedCount: () => 'assignedCount - 1' })
        .where('id = :id AND assignedCount > 0', { id: cohortId })
        .execute();
      await this.audit.record(em, actor, {
        action: 'unassign',
        entity: 'enrolment',
        entityId: enrolmentId,
        fields: ['cohortId'],
      });
      const after = await em.findOneByOrFail(Cohort, { id: cohortId });
      return { cohortId, assigned: -1, assignedCount: after.assignedCount, capacity: after.capacity };
    });
  }

  /** Places every approved, unplaced trainee of the program: balanced by county, then subject (see {@link balance}). */
  async auto(actor: Actor, programId: number): Promise<AutoAssignResultDto> {
    return this.tx.run(async (em) => {
      const program = await this.programs.owned(em, actor, programId, true);
      this.assertProgramOpen(program);
      const cq = em.createQueryBuilder(Cohort, 'c').where('c.programId = :programId', { programId }).orderBy('c.id');
      const cohorts = await lockForUpdate(cq).getMany();
      if (!cohorts.length) throw new ConflictError('NO_COHORTS', '项目还没有班级，请先建班');
      const pendingReal = await em.find(Enrolment, {
        where: { programId, status: In(ASSIGNABLE), cohortId: IsNull() },
        order: { id: 'ASC' },
      });
      await this.lockTeachers(
        em,
        pendingReal.map((e) => e.teacherId),
      );
      const teachers = new Map<number, Teacher>();
      for (const part of chunks(pendingReal.map((e) => e.teacherId))) {
        for (const t of await em.find(Teacher, { where: { id: In(part) }, select: { id: true, subject: true } }))
          teachers.set(t.id, t);
      }
      const counties = new Map(
        (await em.find(Organisation, { where: { type: 'COUNTY' }, select: { id: true, code: true } })).map((c) => [
          c.id,
          c.code ?? `~${c.id}`,
        ]),
      );
      const busy = await this.busy(
        em,
        pendingReal.map((e) => e.teacherId),
        cohorts.map((c) => c.id),
      );
      const busyOf = new Map<number, [string, string][]>();
      for (const b of busy) busyOf.set(b.teacherId, [...(busyOf.get(b.teacherId) ?? []), [b.startDate, b.endDate]]);

      // Who is already in each cohort, per county and subject, so balance continues from there.
      const placed = await em
        .createQueryBuilder(Enrolment, 'e')
        .innerJoin(Teacher, 't', 't.id = e.teacherId')
        .select(['e.cohortId AS cohortId', 'e.countyId AS countyId', 't.subject AS subject', 'COUNT(*) AS n'])
        .where('e.programId = :programId AND e.cohortId IS NOT NULL', { programId })
        .groupBy('e.cohortId')
        .addGroupBy('e.countyId')
        .addGroupBy('t.subject')
        .getRawMany();
      const slots: Slot[] = cohorts.map((c) => ({
        cohortId: c.id,
        capacity: c.capacity,
        assigned: c.assignedCount,
        startDate: c.startDate,
        endDate: c.endDate,
        byCounty: new Map(),
        bySubject: new Map(),
      }));
      const slotOf = new Map(slots.map((s) => [s.cohortId, s]));
      for (const r of placed) {
        const s = slotOf.get(Number(r.cohortId));
        if (!s) continue;
        const county = counties.get(Number(r.countyId)) ?? '';
        const subject = r.subject ?? '';
        s.byCounty.set(county, (s.byCounty.get(county) ?? 0) + Number(r.n));
        s.bySubject.set(subject, (s.bySubject.get(subject) ?? 0) + Number(r.n));
      }
      const trainees: Trainee[] = pendingReal.map((e) => ({
        enrolmentId: e.id,
        county: counties.get(e.countyId) ?? '',
        subject: teachers.get(e.teacherId)?.subject ?? '',
        busy: busyOf.get(e.teacherId) ?? [],
      }));
      const plan = balance(trainees, slots);

      const result: AutoAssignResultDto = {
        assigned: plan.size,
        unassigned: pendingReal.length - plan.size,
        cohorts: [],
      };
      for (const c of cohorts) {
        const ids = [...plan.entries()].filter(([, cid]) => cid === c.id).map(([eid]) => eid);
        if (ids.length) await this.place(em, actor, c, ids);
        result.cohorts.push({
          cohortId: c.id,
          name: c.name,
          assigned: ids.length,
          assignedCount: c.assignedCount + ids.length,
          capacity: c.capacity,
        });
      }
      await this.audit.record(em, actor, {
        action: 'auto-assign',
        entity: 'program',
        entityId: programId,
        fields: ['cohortId'],
        note: `${plan.size}`,
      });
      return result;
    });
  }
}
