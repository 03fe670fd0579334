import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { Actor, AppConfig, Clock, DomainEvents, hasRowLocks, shanghaiWhen, TransactionRunner } from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { addCredits, CreditDelta } from '@shipei/people';
import { Cohort, Program } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { AssessmentLocks } from '../assessment/assessment-locks';
import { AssessmentErrors } from '../assessment/assessment.errors';
import { itemsOf, scoreMap, scoresOf, traineeNames } from '../assessment/assessment.store';
import { AttendanceAccess } from '../attendance.access';
import { AttendanceErrors } from '../attendance.errors';
import { CompletionResultDto, CompletionRowDto } from '../dto/completion.dto';
import { AttendanceService } from '../records/attendance.service';
import { ROSTER_STATUSES } from '../statuses';
import { assessmentPassed, decideCompletion, rateMeetsThreshold } from './completion-rule';
import { CompletionEventPayload, CompletionEvents } from './completion.events';

/**
 * 结业: for every trainee of a cohort, attended hours (PRESENT + LATE) ÷ the cohort's total session
 * hours against the program's threshold → COMPLETED with the program's credit hours, or
 * NOT_COMPLETED with 0 (spec §5); a program with 考核 items also needs every item passed (§15). Computed from the records each time, so running it again after a
 * correction gives the result the records now say; rows whose result changes are audited.
 */
@Injectable()
export class CompletionService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gate: AttendanceAccess,
    private readonly audit: AuditService,
    private readonly attendance: AttendanceService,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async complete(actor: Actor, cohortId: number): Promise<CompletionResultDto> {
    return this.tx.run(async (em) => {
      const { cohort, program } = await this.gate.cohort(em, actor, cohortId);
      // One completion at a time per cohort (MySQL; SQLite is serialised).
      if (hasRowLocks(em))
        await em
          .createQueryBuilder(Cohort, 'c')
          .setLock('pessimistic_write')
          .where('c.id = :id', { id: cohort.id })
          .getOne();
      const m = await this.attendance.matrix(em, cohort.id);
      if (!m.sessions.length || m.totalHours <= 0) throw AttendanceErrors.noSessions();
      const last = m.sessions.reduce((a, s) => Math.max(a, new Date(s.endsAt).getTime()), 0);
      if (last > m.now.getTime()) throw AttendanceErrors.cohortNotEnded(shanghaiWhen(new Date(last), m.now));

      const threshold = Number(program.attendanceThreshold);
      const credit = Number(program.creditHours);
      const current = new Map(
        (await em.createQueryBuilder(Enrolment, 'e').where('e.cohortId = :id', { id: cohort.id }).getMany()).map(
          (e) => [e.id, e],
        ),
      );
      const rules = await itemsOf(em, program.id);
      const scores = scoreMap(rules.length ? await scoresOf(em, [...current.keys()]) : []);
      const items: CompletionRowDto[] = [];
      // Credits count in the year the cohort ends (spec §8): what each changed row adds or takes away there.
      const creditYear = Number(cohort.endDate.slice(0, 4));
      const credits: CreditDelta[] = [];
      for (const row of m.rows) {
        const passed = assessmentPassed(rules, scores.get(row.trainee.enrolmentId) ?? new Map());
        const d = decideCompletion(row.attendedHours, m.totalHours, threshold, credit, passed);
        const status = d.completed ? ('COMPLETED' as const) : ('NOT_COMPLETED' as const);
        const before = current.get(row.trainee.enrolmentId)!;
        const changed =
          before.status !== status ||
          Number(before.attendedHours) !== row.attendedHours ||
          Number(before.attendanceRate) !== d.rate ||
          Number(before.creditHours) !== d.creditHours ||
          before.attendedHours === null;
        if (changed) {
          const delta = await this.write(em, actor, before, cohort.programId, creditYear, {
            status,
            attendedHours: row.attendedHours,
            attendanceRate: d.rate,
            creditHours: d.creditHours,
            now: m.now,
          });
          if (delta) credits.push(delta);
        }
        items.push({
          enrolmentId: before.id,
          teacherId: row.trainee.teacherId,
          name: row.trainee.name,
          school: row.trainee.school,
          attendedHours: row.attendedHours,
          attendanceRate: d.rate,
          status,
          creditHours: d.creditHours,
          changed,
        });
      }
      await addCredits(em, credits, this.config.creditCycleStartYear);
      const completed = items.filter((i) => i.status === 'COMPLETED').length;
      await this.audit.record(em, actor, {
        action: 'complete',
        entity: 'cohort',
        entityId: cohort.id,
        fields: ['completion'],
        note: `COMPLETED×${completed} NOT_COMPLETED×${items.length - completed}`,
      });
      return {
        cohortId: cohort.id,
        totalHours: m.totalHours,
        threshold,
        programCreditHours: credit,
        completed,
        notCompleted: items.length - completed,
        items,
      };
    });
  }

  /**
   * After a 考核 change (scores, items or pass marks), the decided trainees among `enrolmentIds`
   * (COMPLETED / NOT_COMPLETED) get the result the rule now gives, in the caller's transaction: the
   * attendance part from the stored rate (equal to deciding from the hours, see rateMeetsThreshold),
   * the assessment part from the scores as they now are. A trainee whose result would change while
   * a lock holds it (a valid certificate) refuses the whole change with 409. Returns how many changed.
   */
  async redecide(
    em: EntityManager,
    actor: Actor,
    program: Program,
    enrolmentIds: readonly number[],
    locks: AssessmentLocks,
  ): Promise<number> {
    if (!enrolmentIds.length) return 0;
    const decided = await em
      .createQueryBuilder(Enrolment, 'e')
      .where('e.id IN (:...ids) AND e.status IN (:...st)', {
        ids: [...enrolmentIds],
        st: ['COMPLETED', 'NOT_COMPLETED'],
      })
      .getMany();
    if (!decided.length) return 0;
    const rules = await itemsOf(em, program.id);
    const scores = scoreMap(
      await scoresOf(
        em,
        decided.map((e) => e.id),
      ),
    );
    const threshold = Number(program.attendanceThreshold);
    const credit = Number(program.creditHours);
    const flips = decided
      .map((e) => {
        const completed =
          e.attendanceRate !== null &&
          rateMeetsThreshold(Number(e.attendanceRate), threshold) &&
          assessmentPassed(rules, scores.get(e.id) ?? new Map());
        return { e, status: completed ? ('COMPLETED' as const) : ('NOT_COMPLETED' as const) };
      })
      .filter((f) => f.status !== f.e.status);
    const locked = await locks.locked(
      em,
      flips.map((f) => f.e.id),
    );
    if (locked.length) throw AssessmentErrors.certified(await traineeNames(em, locked));
    const now = this.clock.now();
    // Credits count in the year the cohort ends (spec §8), as in complete().
    const cohortIds = [...new Set(flips.map((f) => f.e.cohortId!))];
    const endYear = new Map(
      (cohortIds.length ? await em.findBy(Cohort, { id: In(cohortIds) }) : []).map((c) => [
        c.id,
        Number(String(c.endDate).slice(0, 4)),
      ]),
    );
    const credits: CreditDelta[] = [];
    for (const f of flips) {
      const delta = await this.write(em, actor, f.e, program.id, endYear.get(f.e.cohortId!)!, {
        status: f.status,
        attendedHours: Number(f.e.attendedHours),
        attendanceRate: Number(f.e.attendanceRate),
        creditHours: f.status === 'COMPLETED' ? credit : 0,
        now,
      });
      if (delta) credits.push(delta);
    }
    await addCredits(em, credits, this.config.creditCycleStartYear);
    return flips.length;
  }

  /**
   * Writes one trainee's result, audits it, and records DECIDED when the status changed; returns what
   * it adds to or takes from the teacher's credits in `creditYear` (for the maintained credit table).
   */
  private async write(
    em: EntityManager,
    actor: Actor,
    before: Enrolment,
    programId: number,
    creditYear: number,
    r: {
      status: 'COMPLETED' | 'NOT_COMPLETED';
      attendedHours: number;
      attendanceRate: number;
      creditHours: number;
      now: Date;
    },
  ): Promise<CreditDelta | null> {
    const res = await em
      .createQueryBuilder()
      .update(Enrolment)
      .set({
        status: r.status,
        attendedHours: r.attendedHours,
        attendanceRate: r.attendanceRate,
        creditHours: r.creditHours,
        completedAt: r.now,
        updatedAt: r.now,
      })
      .where('id = :id AND status IN (:...roster)', { id: before.id, roster: ROSTER_STATUSES })
      .execute();
    if (!res.affected) return null;
    await this.audit.record(em, actor, {
      action: 'complete',
      entity: 'enrolment',
      entityId: before.id,
      fields: ['status', 'attendedHours', 'attendanceRate', 'creditHours'],
      note: `${before.status}→${r.status}`,
    });
    // The trainee hears of a result, not of a recount that left it as it was.
    if (before.status !== r.status)
      await this.events.record<CompletionEventPayload>(em, {
        type: CompletionEvents.DECIDED,
        entity: 'enrolment',
        entityId: before.id,
        payload: { programId, cohortId: before.cohortId!, teacherId: before.teacherId, status: r.status },
        actorId: actor.userId || null,
      });
    const creditOf = (status: string, hours: number | string | null) =>
      status === 'COMPLETED' ? Number(hours ?? 0) : 0;
    return {
      teacherId: before.teacherId,
      year: creditYear,
      hours: creditOf(r.status, r.creditHours) - creditOf(before.status, before.creditHours),
    };
  }
}
