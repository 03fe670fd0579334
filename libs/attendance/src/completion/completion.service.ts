import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { Actor, AppConfig, DomainEvents, hasRowLocks, shanghaiWhen, TransactionRunner } from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { addCredits, CreditDelta } from '@shipei/people';
import { Cohort } from '@shipei/programs';
import { AttendanceAccess } from '../attendance.access';
import { AttendanceErrors } from '../attendance.errors';
import { CompletionResultDto, CompletionRowDto } from '../dto/completion.dto';
import { AttendanceService } from '../records/attendance.service';
import { ROSTER_STATUSES } from '../statuses';
import { decideCompletion } from './completion-rule';
import { CompletionEventPayload, CompletionEvents } from './completion.events';

/**
 * 结业: for every trainee of a cohort, attended hours (PRESENT + LATE) ÷ the cohort's total session
 * hours against the program's threshold → COMPLETED with the program's credit hours, or
 * NOT_COMPLETED with 0 (spec §5). Computed from the records each time, so running it again after a
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
      const items: CompletionRowDto[] = [];
      // Credits count in the year the cohort ends (spec §8): what each changed row adds or takes away there.
      const creditYear = Number(cohort.endDate.slice(0, 4));
      const credits: CreditDelta[] = [];
      const creditOf = (status: string, hours: number | string | null) =>
        status === 'COMPLETED' ? Number(hours ?? 0) : 0;
      for (const row of m.rows) {
        const d = decideCompletion(row.attendedHours, m.totalHours, threshold, credit);
        const status = d.completed ? ('COMPLETED' as const) : ('NOT_COMPLETED' as const);
        const before = current.get(row.trainee.enrolmentId)!;
        const changed =
          before.status !== status ||
          Number(before.attendedHours) !== row.attendedHours ||
          Number(before.attendanceRate) !== d.rate ||
          Number(before.creditHours) !== d.creditHours ||
          before.attendedHours === null;
        if (changed) {
          const res = await em
            .createQueryBuilder()
            .update(Enrolment)
            .set({
              status,
              attendedHours: row.attendedHours,
              attendanceRate: d.rate,
              creditHours: d.creditHours,
              completedAt: m.now,
              updatedAt: m.now,
            })
            .where('id = :id AND status IN (:...roster)', { id: before.id, roster: ROSTER_STATUSES })
            .execute();
          if (res.affected) {
            credits.push({
              teacherId: before.teacherId,
              year: creditYear,
              hours: creditOf(status, d.creditHours) - creditOf(before.status, before.creditHours),
            });
            await this.audit.record(em, actor, {
              action: 'complete',
              entity: 'enrolment',
              entityId: before.id,
              fields: ['status', 'attendedHours', 'attendanceRate', 'creditHours'],
              note: `${before.status}→${status}`,
            });
            // The trainee hears of a result, not of a recount that left it as it was.
            if (before.status !== status)
              await this.events.record<CompletionEventPayload>(em, {
                type: CompletionEvents.DECIDED,
                entity: 'enrolment',
                entityId: before.id,
                payload: { programId: cohort.programId, cohortId: cohort.id, teacherId: before.teacherId, status },
                actorId: actor.userId || null,
              });
          }
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
}
