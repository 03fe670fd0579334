import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@shipei/audit';
import { Actor, Clock, isDuplicateKey, lockForUpdate, PageQuery, shanghaiWhen, TransactionRunner } from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { Cohort, Program, TrainingSession } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { AttendanceAccess, isTrainee } from '../attendance.access';
import { AttendanceErrors } from '../attendance.errors';
import { CheckinClosure } from '../checkin/checkin-closure.entity';
import { attendanceRate } from '../completion/completion-rule';
import {
  AttendanceCountsDto,
  AttendanceRecordDto,
  CloseSessionResultDto,
  CohortAttendanceDto,
  MarkAttendanceDto,
  MyAttendanceDto,
  RosterEntryDto,
  SessionAttendanceDto,
  SessionBriefDto,
} from '../dto/attendance.dto';
import { ATTENDANCE_STATUS_LABELS, ATTENDED, AttendanceStatus, PENDING_LABEL, ROSTER_STATUSES } from '../statuses';
import { AttendanceRecord } from './attendance-record.entity';
import { toRecordDto } from './record-dto';
import { cohortRoster, cohortSessions, effectiveStatus, recordMap, Trainee } from './roster';

export function toSessionBrief(s: TrainingSession): SessionBriefDto {
  return {
    id: s.id,
    cohortId: s.cohortId,
    title: s.title,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    hours: Number(s.hours),
  };
}

const hasStarted = (s: Pick<TrainingSession, 'startsAt'>, now: Date) => new Date(s.startsAt).getTime() <= now.getTime();

export const statusLabel = (s: AttendanceStatus | null) => (s ? ATTENDANCE_STATUS_LABELS[s] : PENDING_LABEL);

/** Sum of hours, exact to the hundredth (hours are DECIMAL(5,2)). */
export const sumHours = (hours: number[]) => hours.reduce((a, h) => a + Math.round(Number(h) * 100), 0) / 100;

function countStatuses(statuses: (AttendanceStatus | null)[]): AttendanceCountsDto {
  const n = (s: AttendanceStatus | null) => statuses.filter((x) => x === s).length;
  const present = n('PRESENT');
  const late = n('LATE');
  return {
    expected: statuses.length,
    checkedIn: present + late,
    present,
    late,
    excused: n('EXCUSED'),
    absent: n('ABSENT'),
    pending: n(null),
  };
}

/**
 * Attendance records: the trainer's marks and corrections, closing a session, the live list on the
 * trainer's screen, a teacher's own attendance and the cohort's matrix as JSON.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gate: AttendanceAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  /** A trainer (or the owner) marks or corrects one trainee's status in a session, with a reason (audited). */
  async mark(
    actor: Actor,
    sessionId: number,
    enrolmentId: number,
    dto: MarkAttendanceDto,
  ): Promise<AttendanceRecordDto> {
    return this.tx.run(async (em) => {
      const { session } = await this.gate.session(em, actor, sessionId);
      const [trainee] = await cohortRoster(em, session.cohortId, [enrolmentId]);
      if (!trainee) throw AttendanceErrors.notOnRoster();
      const now = this.clock.now();
      // Hours are credited for a class that has taken place, not in advance (spec §14).
      if (ATTENDED.includes(dto.status) && new Date(session.startsAt).getTime() > now.getTime())
        throw AttendanceErrors.sessionNotStarted(shanghaiWhen(new Date(session.startsAt), now));
      const patch = {
        status: dto.status,
        source: 'TRAINER' as const,
        reason: dto.reason,
        markedById: actor.userId || null,
        leaveRequestId: null,
        updatedAt: now,
      };
      let before = await this.lockRecord(em, sessionId, enrolmentId);
      if (!before) {
        try {
          await em.insert(AttendanceRecord, {
            sessionId,
            enrolmentId,
            cohortId: session.cohortId,
            checkedInAt: null,
            createdAt: now,
            ...patch,
          });
        } catch (e) {
          // MySQL only (SQLite is serialised): the trainee's scan landed in between; correct that record.
          if (!isDuplicateKey(e)) throw e;
          before = await this.lockRecord(em, sessionId, enrolmentId);
        }
      }
      if (before) await em.update(AttendanceRecord, { id: before.id }, patch);
      const after = await em.findOneByOrFail(AttendanceRecord, { sessionId, enrolmentId });
      await this.audit.record(em, actor, {
        action: before ? 'correct' : 'mark',
        entity: 'attendance',
        entityId: after.id,
        fields: ['status', 'reason'],
        note: `${before?.status ?? '-'}→${dto.status}`,
      });
      return toRecordDto(after);
    });
  }

  private lockRecord(em: EntityManager, sessionId: number, enrolmentId: number): Promise<AttendanceRecord | null> {
    const qb = em
      .createQueryBuilder(AttendanceRecord, 'r')
      .where('r.sessionId = :sessionId AND r.enrolmentId = :enrolmentId', { sessionId, enrolmentId });
    return lockForUpdate(qb).getOne();
  }

  /**
   * 结束签到: once the session has started, ends its check-in window (early, if before the end:
   * from now on no scan counts) and stores ABSENT for every trainee without a record. Idempotent
   * (the first closing time stays); audited.
   */
  async close(actor: Actor, sessionId: number): Promise<CloseSessionResultDto> {
    return this.tx.run(async (em) => {
      const { session } = await this.gate.session(em, actor, sessionId);
      const now = this.clock.now();
      if (new Date(session.startsAt).getTime() > now.getTime())
        throw AttendanceErrors.sessionNotStarted(shanghaiWhen(new Date(session.startsAt), now));
      if (new Date(session.endsAt).getTime() > now.getTime())
        await em
          .createQueryBuilder()
          .insert()
          .into(CheckinClosure)
          .values({ sessionId, closedAt: now, closedById: actor.userId || null })
          .orIgnore()
          .execute();
      const roster = await cohortRoster(em, session.cohortId);
      const records = await recordMap(em, { sessionIds: [sessionId] });
      const missing = roster.filter((t) => !records.has(`${sessionId}:${t.enrolmentId}`));
      if (missing.length) {
        const rows = missing.map((t) => ({
          sessionId,
          enrolmentId: t.enrolmentId,
          cohortId: session.cohortId,
          status: 'ABSENT' as const,
          source: 'CLOSE' as const,
          checkedInAt: null,
          reason: null,
          leaveRequestId: null,
          markedById: actor.userId || null,
          createdAt: now,
          updatedAt: now,
        }));
        // A row written meanwhile (a late correction) wins: ignore duplicates.
        for (let i = 0; i < rows.length; i += 500)
          await em
            .createQueryBuilder()
            .insert()
            .into(AttendanceRecord)
            .values(rows.slice(i, i + 500))
            .orIgnore()
            .execute();
        await this.audit.record(em, actor, {
          action: 'close',
          entity: 'session',
          entityId: sessionId,
          fields: ['attendance'],
          note: `ABSENT×${missing.length}`,
        });
      }
      const after = await recordMap(em, { sessionIds: [sessionId] });
      const counts = countStatuses(
        roster.map((t) => effectiveStatus(after.get(`${sessionId}:${t.enrolmentId}`), session, now)),
      );
      return { sessionId, absentRecorded: missing.length, counts };
    });
  }

  /** The trainer's live list of a session: every trainee with their status, and 已签到 n / m. */
  async sessionList(actor: Actor, sessionId: number, q: PageQuery): Promise<SessionAttendanceDto> {
    const { session } = await this.gate.session(this.em, actor, sessionId);
    const now = this.clock.now();
    const roster = await cohortRoster(this.em, session.cohortId);
    const records = await recordMap(this.em, { sessionIds: [sessionId] });
    const entries: RosterEntryDto[] = roster.map((t) => {
      const r = records.get(`${sessionId}:${t.enrolmentId}`);
      const status = effectiveStatus(r, session, now);
      return {
        enrolmentId: t.enrolmentId,
        teacherId: t.teacherId,
        name: t.name,
        school: t.school,
        status,
        statusLabel: statusLabel(status),
        recorded: !!r,
        source: r?.source ?? null,
        checkedInAt: r?.checkedInAt ? new Date(r.checkedInAt).toISOString() : null,
        reason: r?.reason ?? null,
      };
    });
    const counts = countStatuses(entries.map((e) => e.status));
    return {
      session: toSessionBrief(session),
      counts,
      display: `已签到 ${counts.checkedIn} / ${counts.expected}`,
      items: entries.slice(q.offset, q.offset + q.pageSize),
      total: entries.length,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** The cohort's matrix as JSON: trainees × sessions, with attended hours and rate so far. */
  async cohortMatrix(actor: Actor, cohortId: number): Promise<CohortAttendanceDto> {
    const { cohort, program } = await this.gate.cohort(this.em, actor, cohortId);
    const m = await this.matrix(this.em, cohort.id);
    return {
      cohortId: cohort.id,
      sessions: m.sessions.map(toSessionBrief),
      totalHours: m.totalHours,
      threshold: Number(program.attendanceThreshold),
      items: m.rows.map((r) => ({
        enrolmentId: r.trainee.enrolmentId,
        teacherId: r.trainee.teacherId,
        name: r.trainee.name,
        school: r.trainee.school,
        statuses: r.statuses,
        attendedHours: r.attendedHours,
        attendanceRate: r.rate,
      })),
    };
  }

  /** Trainees × sessions of a cohort at the clock's now (also used by the .xlsx and completion). */
  async matrix(em: EntityManager, cohortId: number, enrolmentIds?: number[]): Promise<CohortMatrix> {
    const now = this.clock.now();
    const [roster, sessions, records] = await Promise.all([
      cohortRoster(em, cohortId, enrolmentIds),
      cohortSessions(em, cohortId),
      recordMap(em, { cohortId }),
    ]);
    const totalHours = sumHours(sessions.map((s) => s.hours));
    const rows = roster.map((trainee) => {
      const own = sessions.map((s) => records.get(`${s.id}:${trainee.enrolmentId}`));
      const statuses = sessions.map((s, i) => effectiveStatus(own[i], s, now));
      // A check-in in the half hour before the start is kept, but its hours count from the start on.
      const attendedHours = sumHours(
        sessions
          .filter((s, i) => ATTENDED.includes(statuses[i] as AttendanceStatus) && hasStarted(s, now))
          .map((s) => s.hours),
      );
      return { trainee, records: own, statuses, attendedHours, rate: attendanceRate(attendedHours, totalHours) };
    });
    return { sessions, totalHours, rows, now };
  }

  /** A teacher's own attendance: every cohort they are a trainee of, session by session. */
  async mine(actor: Actor): Promise<MyAttendanceDto> {
    if (!isTrainee(actor)) throw AttendanceErrors.notTeacher();
    const enrolments = await this.em
      .createQueryBuilder(Enrolment, 'e')
      .where('e.teacherId = :teacherId AND e.cohortId IS NOT NULL AND e.status IN (:...statuses)', {
        teacherId: actor.teacherId,
        statuses: ROSTER_STATUSES,
      })
      .orderBy('e.id', 'DESC')
      .getMany();
    const items = [];
    for (const e of enrolments) {
      const cohort = await this.em.findOneByOrFail(Cohort, { id: e.cohortId! });
      const program = await this.em.findOneByOrFail(Program, { id: e.programId });
      const m = await this.matrix(this.em, cohort.id, [e.id]);
      const row = m.rows[0];
      if (!row) continue;
      items.push({
        enrolmentId: e.id,
        programId: program.id,
        programTitle: program.title,
        cohortId: cohort.id,
        cohortName: cohort.name,
        enrolmentStatus: e.status,
        attendedHours: row.attendedHours,
        totalHours: m.totalHours,
        attendanceRate: row.rate,
        threshold: Number(program.attendanceThreshold),
        creditHours: e.creditHours === null ? null : Number(e.creditHours),
        sessions: m.sessions.map((s, i) => ({
          sessionId: s.id,
          title: s.title,
          startsAt: new Date(s.startsAt).toISOString(),
          endsAt: new Date(s.endsAt).toISOString(),
          hours: Number(s.hours),
          status: row.statuses[i],
          statusLabel: statusLabel(row.statuses[i]),
          checkedInAt: row.records[i]?.checkedInAt ? new Date(row.records[i]!.checkedInAt!).toISOString() : null,
        })),
      });
    }
    return { items };
  }
}

export interface CohortMatrix {
  sessions: TrainingSession[];
  totalHours: number;
  rows: {
    trainee: Trainee;
    records: (AttendanceRecord | undefined)[];
    statuses: (AttendanceStatus | null)[];
    attendedHours: number;
    rate: number;
  }[];
  now: Date;
}
