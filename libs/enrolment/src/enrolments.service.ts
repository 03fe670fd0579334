import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import {
  AccessPolicy,
  Actor,
  Clock,
  DomainEvents,
  ForbiddenError,
  insertId,
  isDuplicateKey,
  NotFoundError,
  Page,
  pageOf,
  shanghaiDate,
  sqlDatetime,
  TransactionRunner,
} from '@shipei/core';
import { maskIdNumber, Organisation, Teacher, TEACHER_KIND } from '@shipei/people';
import { Cohort, eligibilityProblems, Program, PROGRAM_KIND, ProgramsService } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { EnrolmentDto, EnrolmentQuery } from './dto/enrolment.dto';
import { APPROVED_SEAT_HOLDING, Enrolment, EnrolmentStatus, SEAT_HOLDING } from './enrolment.entity';
import { EnrolmentErrors } from './enrolment.errors';
import { ENROLMENT_KIND, isEnrolledTeacher, mayWithdraw, nominatesForCounty } from './enrolment.access';
import { EnrolmentEvents, EnrolmentEventType, recordEnrolmentEvent } from './enrolment.events';
import { SeatLedger } from './seats';

type Exit = 'REJECTED' | 'DECLINED' | 'WITHDRAWN';

const EXIT_STAMP: Record<Exit, 'rejectedAt' | 'declinedAt' | 'withdrawnAt'> = {
  REJECTED: 'rejectedAt',
  DECLINED: 'declinedAt',
  WITHDRAWN: 'withdrawnAt',
};

const EXIT_EVENT: Record<Exit, EnrolmentEventType> = {
  REJECTED: EnrolmentEvents.REJECTED,
  DECLINED: EnrolmentEvents.DECLINED,
  WITHDRAWN: EnrolmentEvents.WITHDRAWN,
};

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * The enrolment use cases (spec §4): nominate, approve, reject, confirm, decline, withdraw.
 * Each transition is a conditional update from the statuses it may leave, so two concurrent
 * requests cannot both make it; the loser gets 409 INVALID_TRANSITION. Seats move through
 * {@link SeatLedger} in the same transaction, and every change is audited there too.
 */
@Injectable()
export class EnrolmentsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly programs: ProgramsService,
    private readonly seats: SeatLedger,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  // ——— reading ———

  async toDtos(em: EntityManager, rows: Enrolment[]): Promise<EnrolmentDto[]> {
    if (!rows.length) return [];
    const teachers = await em.find(Teacher, {
      where: { id: In([...new Set(rows.map((r) => r.teacherId))]) },
      select: { id: true, name: true, idNumber: true, schoolId: true, subject: true },
    });
    const byId = new Map(teachers.map((t) => [t.id, t]));
    const schools = await em.find(Organisation, {
      where: { id: In([...new Set(teachers.map((t) => t.schoolId))]) },
      select: { id: true, name: true },
    });
    const schoolName = new Map(schools.map((s) => [s.id, s.name]));
    return rows.map((e) => this.dto(e, byId.get(e.teacherId)!, schoolName.get(byId.get(e.teacherId)!.schoolId) ?? ''));
  }

  private dto(
    e: Enrolment,
    t: Pick<Teacher, 'name' | 'idNumber' | 'schoolId' | 'subject'>,
    schoolName: string,
  ): EnrolmentDto {
    return {
      id: e.id,
      programId: e.programId,
      teacherId: e.teacherId,
      teacherName: t.name,
      idNumber: maskIdNumber(t.idNumber),
      schoolId: t.schoolId,
      schoolName,
      countyId: e.countyId,
      subject: t.subject,
      status: e.status,
      cohortId: e.cohortId,
      reason: e.reason,
      attendedHours: e.attendedHours,
      attendanceRate: e.attendanceRate,
      creditHours: e.creditHours,
      createdAt: iso(e.createdAt)!,
      updatedAt: iso(e.updatedAt)!,
      nominatedAt: iso(e.nominatedAt),
      approvedAt: iso(e.approvedAt),
      confirmedAt: iso(e.confirmedAt),
    };
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<EnrolmentDto> {
    const [dto] = await this.toDtos(em, [await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, id)]);
    return dto;
  }

  /** Scoped, filtered, paginated; served by idx_enrolment_program_county_status / idx_enrolment_cohort. */
  async list(em: EntityManager, actor: Actor, q: EnrolmentQuery): Promise<Page<EnrolmentDto>> {
    if (q.programId) await this.access.require(em, actor, PROGRAM_KIND, q.programId);
    const qb = this.access.query<Enrolment>(em, actor, ENROLMENT_KIND, 'e');
    if (q.programId) qb.andWhere('e.programId = :programId', { programId: q.programId });
    if (q.countyId) qb.andWhere('e.countyId = :countyId', { countyId: q.countyId });
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.cohortId === 0) qb.andWhere('e.cohortId IS NULL');
    else if (q.cohortId) qb.andWhere('e.cohortId = :cohortId', { cohortId: q.cohortId });
    if (q.teacherId) qb.andWhere('e.teacherId = :teacherId', { teacherId: q.teacherId });
    if (q.q)
      qb.andWhere('e.teacherId IN (SELECT qt.id FROM teacher qt WHERE qt.name LIKE :name)', {
        name: `${q.q.replace(/[%_\\]/g, '\\$&')}%`,
      });
    const [rows, total] = await qb.orderBy('e.id', 'ASC').skip(q.offset).take(q.pageSize).getManyAndCount();
    return pageOf(await this.toDtos(em, rows), total, q);
  }

  // ——— nominating ———

  /** The program as a county admin sees it, open for nominations (status OPEN, deadline not passed). */
  async openProgram(em: EntityManager, actor: Actor, programId: number): Promise<Program> {
    if (!nominatesForCounty(actor)) throw new ForbiddenError('COUNTY_ONLY', '只有县区管理员可以推荐本县区教师');
    const program = await this.access.load<Program>(em, actor, PROGRAM_KIND, programId);
    if (program.status !== 'OPEN') throw EnrolmentErrors.programNotOpen(program.status);
    if (program.nominationDeadline && this.clock.now().getTime() > new Date(program.nominationDeadline).getTime())
      throw EnrolmentErrors.deadlinePassed(new Date(program.nominationDeadline));
    if (program.ownerCountyId && program.ownerCountyId !== actor.countyId) throw new NotFoundError('培训项目');
    return program;
  }

  /** A teacher of the actor's county (another county's teacher → 404), eligible for the program (else 409 NOT_ELIGIBLE), with the school's name. */
  async eligibleTeacher(
    em: EntityManager,
    actor: Actor,
    program: Program,
    teacherId: number,
  ): Promise<{ teacher: Teacher; schoolName: string }> {
    const teacher = await this.access.load<Teacher>(em, actor, TEACHER_KIND, teacherId, 'write');
    if (teacher.countyId !== actor.countyId) throw new NotFoundError('教师');
    const [school] = await em.query('SELECT name, povertyVillage FROM organisation WHERE id = ?', [teacher.schoolId]);
    const problems = eligibilityProblems(program, teacher, { povertyVillage: !!Number(school?.povertyVillage) });
    if (problems.length) throw EnrolmentErrors.notEligible(problems);
    return { teacher, schoolName: school?.name ?? '' };
  }

  /**
   * Enters a checked teacher: a quota seat if one is free (NOMINATED), else the waitlist
   * (WAITLISTED). The quota seat is a conditional update and the enrolment a unique row,
   * both in the caller's transaction: a duplicate rolls the seat back. The quota row stays
   * locked (MySQL) until commit, so everything after the update is kept to two plain inserts.
   */
  async enter(em: EntityManager, actor: Actor, program: Program, teacher: Teacher): Promise<Enrolment> {
    const [existing] = await em.query('SELECT status FROM enrolment WHERE programId = ? AND teacherId = ?', [
      program.id,
      teacher.id,
    ]);
    if (existing) throw EnrolmentErrors.alreadyEnrolled(existing.status);
    // Quota rows are never deleted: checking before taking the row lock is safe.
    const [quota] = await em.query('SELECT id FROM county_quota WHERE programId = ? AND countyId = ?', [
      program.id,
      teacher.countyId,
    ]);
    if (!quota) throw EnrolmentErrors.noQuota();
    const seated = await this.seats.takeQuotaSeat(em, program.id, teacher.countyId);
    const now = this.clock.now();
    const at = sqlDatetime(em, now);
    const status: EnrolmentStatus = seated ? 'NOMINATED' : 'WAITLISTED';
    let id: number;
    try {
      const res = await em.queryRunner!.query(
        'INSERT INTO enrolment (programId, teacherId, countyId, status, createdAt, updatedAt, nominatedAt, waitlistedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [program.id, teacher.id, teacher.countyId, status, at, at, seated ? at : null, seated ? null : at],
        true,
      );
      id = insertId(em, res.raw);
    } catch (e) {
      if (isDuplicateKey(e)) throw EnrolmentErrors.alreadyEnrolled();
      throw e;
    }
    await this.audit.record(em, actor, {
      action: 'nominate',
      entity: 'enrolment',
      entityId: id,
      fields: ['teacherId', 'status'],
      note: status,
    });
    return {
      id,
      programId: program.id,
      teacherId: teacher.id,
      countyId: teacher.countyId,
      status,
      cohortId: null,
      reason: null,
      attendedHours: null,
      attendanceRate: null,
      creditHours: null,
      createdAt: now,
      updatedAt: now,
      nominatedAt: seated ? now : null,
      approvedAt: null,
      confirmedAt: null,
    } as Enrolment;
  }

  async nominate(actor: Actor, programId: number, teacherId: number): Promise<EnrolmentDto> {
    const { e, teacher, schoolName } = await this.tx.run(async (em) => {
      const program = await this.openProgram(em, actor, programId);
      const checked = await this.eligibleTeacher(em, actor, program, teacherId);
      return { ...checked, e: await this.enter(em, actor, program, checked.teacher) };
    });
    return this.dto(e, teacher, schoolName);
  }

  // ——— transitions ———

  private async transition(
    em: EntityManager,
    id: number,
    from: EnrolmentStatus[],
    to: EnrolmentStatus,
    patch: Partial<Enrolment>,
  ): Promise<void> {
    const res = await em
      .createQueryBuilder()
      .update(Enrolment)
      .set({ ...patch, status: to, updatedAt: this.clock.now() })
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    if (!res.affected) {
      const now = await em.findOneOrFail(Enrolment, { where: { id }, select: { id: true, status: true } });
      throw EnrolmentErrors.invalidTransition(now.status, ACTION_LABEL[to], from);
    }
  }

  private async result(em: EntityManager, id: number): Promise<EnrolmentDto> {
    return (await this.toDtos(em, [await em.findOneByOrFail(Enrolment, { id })]))[0];
  }

  /** Owner: NOMINATED → APPROVED, within the program's seats (409 SEATS_FULL). */
  async approve(actor: Actor, id: number): Promise<EnrolmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, id);
      const program = await this.programs.owned(em, actor, e.programId);
      if (program.status !== 'OPEN' && program.status !== 'CLOSED')
        throw EnrolmentErrors.programStatus(program.status, '审核');
      if (e.status !== 'NOMINATED') throw EnrolmentErrors.invalidTransition(e.status, '审核通过', ['NOMINATED']);
      if (!(await this.seats.takeApprovedSeat(em, program.id))) throw EnrolmentErrors.seatsFull(program.seats);
      await this.transition(em, id, ['NOMINATED'], 'APPROVED', { approvedAt: this.clock.now() });
      await this.audit.record(em, actor, {
        action: 'approve',
        entity: 'enrolment',
        entityId: id,
        fields: ['status'],
        note: 'NOMINATED→APPROVED',
      });
      await recordEnrolmentEvent(this.events, em, EnrolmentEvents.APPROVED, actor.userId, e);
      return this.result(em, id);
    });
  }

  /** Owner: NOMINATED or WAITLISTED → REJECTED with a reason; a freed seat goes to the county's first alternate. */
  async reject(actor: Actor, id: number, reason: string): Promise<EnrolmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, id);
      const program = await this.programs.owned(em, actor, e.programId);
      if (program.status !== 'OPEN' && program.status !== 'CLOSED')
        throw EnrolmentErrors.programStatus(program.status, '审核');
      await this.leave(em, actor, e, program, 'REJECTED', ['NOMINATED', 'WAITLISTED'], reason);
      return this.result(em, id);
    });
  }

  /** The teacher: APPROVED → CONFIRMED (报到). */
  async confirm(actor: Actor, id: number): Promise<EnrolmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.ownEnrolment(em, actor, id);
      const program = await em.findOneByOrFail(Program, { id: e.programId });
      if (!['OPEN', 'CLOSED', 'RUNNING'].includes(program.status))
        throw EnrolmentErrors.programStatus(program.status, '报到');
      await this.transition(em, id, ['APPROVED'], 'CONFIRMED', { confirmedAt: this.clock.now() });
      await this.audit.record(em, actor, {
        action: 'confirm',
        entity: 'enrolment',
        entityId: id,
        fields: ['status'],
        note: 'APPROVED→CONFIRMED',
      });
      return this.result(em, id);
    });
  }

  /**
   * Staff record a trainee's 报到 on site (spec §14), for teachers who never logged in: APPROVED →
   * CONFIRMED for an enrolment already assigned to a cohort. The caller runs the transaction and
   * has checked that the actor runs that cohort (attendance decides who does).
   */
  async confirmOnSite(em: EntityManager, actor: Actor, e: Enrolment): Promise<EnrolmentDto> {
    if (e.cohortId === null) throw EnrolmentErrors.notAssigned();
    const program = await em.findOneByOrFail(Program, { id: e.programId });
    if (!['OPEN', 'CLOSED', 'RUNNING'].includes(program.status))
      throw EnrolmentErrors.programStatus(program.status, '报到');
    await this.transition(em, e.id, ['APPROVED'], 'CONFIRMED', { confirmedAt: this.clock.now() });
    await this.audit.record(em, actor, {
      action: 'on-site-confirm',
      entity: 'enrolment',
      entityId: e.id,
      fields: ['status'],
      note: 'APPROVED→CONFIRMED（现场报到）',
    });
    return this.result(em, e.id);
  }

  /** The teacher, before the start: NOMINATED, WAITLISTED or APPROVED → DECLINED. */
  async decline(actor: Actor, id: number, reason?: string): Promise<EnrolmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.ownEnrolment(em, actor, id);
      const program = await em.findOneByOrFail(Program, { id: e.programId });
      await this.assertBeforeStart(em, program, e, '放弃');
      await this.leave(em, actor, e, program, 'DECLINED', ['NOMINATED', 'WAITLISTED', 'APPROVED'], reason);
      return this.result(em, id);
    });
  }

  /** The teacher's county, before the start: NOMINATED, WAITLISTED, APPROVED or CONFIRMED → WITHDRAWN. */
  async withdraw(actor: Actor, id: number, reason?: string): Promise<EnrolmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, id, 'write');
      if (!mayWithdraw(actor, e)) throw new ForbiddenError('COUNTY_ONLY', '只有教师所在县区可以撤回推荐');
      const program = await em.findOneByOrFail(Program, { id: e.programId });
      await this.assertBeforeStart(em, program, e, '撤回');
      await this.leave(
        em,
        actor,
        e,
        program,
        'WITHDRAWN',
        ['NOMINATED', 'WAITLISTED', 'APPROVED', 'CONFIRMED'],
        reason,
      );
      return this.result(em, id);
    });
  }

  private async ownEnrolment(em: EntityManager, actor: Actor, id: number): Promise<Enrolment> {
    const e = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, id, 'write');
    if (!isEnrolledTeacher(actor, e)) throw new ForbiddenError('TEACHER_ONLY', '只有教师本人可以执行此操作');
    return e;
  }

  /** Before the start: the program is not running yet, and neither the program's nor the cohort's first day has come (Asia/Shanghai). */
  private async assertBeforeStart(em: EntityManager, program: Program, e: Enrolment, action: string): Promise<void> {
    if (program.status === 'RUNNING' || program.status === 'FINISHED') throw EnrolmentErrors.started(action);
    const today = shanghaiDate(this.clock.now());
    if (program.startDate && today >= program.startDate) throw EnrolmentErrors.started(action);
    if (e.cohortId) {
      const cohort = await em.findOne(Cohort, { where: { id: e.cohortId }, select: { id: true, startDate: true } });
      if (cohort && today >= cohort.startDate) throw EnrolmentErrors.started(action);
    }
  }

  /**
   * A side exit (rejected, declined, withdrawn): gives back the seats the enrolment held and
   * its cohort place, then hands a freed quota seat to the county's first alternate — all in
   * this transaction, locks in the ledger's order (program → quota → enrolment → cohort).
   */
  private async leave(
    em: EntityManager,
    actor: Actor,
    e: Enrolment,
    program: Program,
    to: Exit,
    from: EnrolmentStatus[],
    reason?: string,
  ): Promise<void> {
    if (!from.includes(e.status)) throw EnrolmentErrors.invalidTransition(e.status, ACTION_LABEL[to], from);
    const heldApproved = APPROVED_SEAT_HOLDING.includes(e.status);
    const heldQuota = SEAT_HOLDING.includes(e.status);
    if (heldApproved) await this.seats.releaseApprovedSeat(em, program.id);
    if (heldQuota) await this.seats.releaseQuotaSeat(em, program.id, e.countyId);
    // Only from the status we read: a concurrent change makes this a 409 and rolls the seats back.
    await this.transition(em, e.id, [e.status], to, {
      [EXIT_STAMP[to]]: this.clock.now(),
      reason: reason ?? null,
      cohortId: null,
    });
    if (e.cohortId) {
      await em
        .createQueryBuilder()
        .update(Cohort)
        .set({ assignedCount: () => 'assignedCount - 1' })
        .where('id = :id AND assignedCount > 0', { id: e.cohortId })
        .execute();
    }
    await this.audit.record(em, actor, {
      action: ACTION_CODE[to],
      entity: 'enrolment',
      entityId: e.id,
      fields: reason ? ['status', 'reason'] : ['status'],
      note: `${e.status}→${to}`,
    });
    await recordEnrolmentEvent(this.events, em, EXIT_EVENT[to], actor.userId, e);
    if (heldQuota) await this.seats.promote(em, actor, program.id, e.countyId);
  }
}

const ACTION_LABEL: Record<EnrolmentStatus, string> = {
  NOMINATED: '推荐',
  WAITLISTED: '候补',
  APPROVED: '审核通过',
  REJECTED: '审核不通过',
  CONFIRMED: '报到',
  DECLINED: '放弃',
  WITHDRAWN: '撤回',
  COMPLETED: '结业',
  NOT_COMPLETED: '判定未结业',
};

const ACTION_CODE: Record<Exit, string> = { REJECTED: 'reject', DECLINED: 'decline', WITHDRAWN: 'withdraw' };
