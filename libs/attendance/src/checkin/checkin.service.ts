import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import {
  Actor,
  AppConfig,
  Clock,
  dbDate,
  isDuplicateKey,
  NotFoundError,
  shanghaiWhen,
  TransactionRunner,
} from '@shipei/core';
import QRCode from 'qrcode';
import { EntityManager } from 'typeorm';
import { AttendanceAccess, isTrainee } from '../attendance.access';
import { AttendanceErrors } from '../attendance.errors';
import { CheckinCodeDto, CheckinResultDto } from '../dto/attendance.dto';
import { AttendanceRecord } from '../records/attendance-record.entity';
import { toRecordDto } from '../records/record-dto';
import { AttendanceStatus, ROSTER_STATUSES } from '../statuses';
import { CheckinClosure } from './checkin-closure.entity';
import { CheckinCodes } from './checkin-codes';

/** Check-in opens this long before a session starts (spec §5). */
export const CHECKIN_OPENS_BEFORE_MS = 30 * 60_000;

/**
 * The check-in window of a session: from 30 minutes before the start to the end, or to the moment
 * the trainer ended it early (`closedAt`, spec §14).
 */
export function checkinWindow(
  s: { startsAt: Date; endsAt: Date },
  closedAt?: Date | null,
): { opensAt: Date; closesAt: Date } {
  const end = new Date(s.endsAt);
  return {
    opensAt: new Date(new Date(s.startsAt).getTime() - CHECKIN_OPENS_BEFORE_MS),
    closesAt: closedAt && closedAt.getTime() < end.getTime() ? new Date(closedAt) : end,
  };
}

/** Where `now` is against a window: before it opens, inside it, or after it closed. */
export type CheckinState = 'NOT_OPEN' | 'OPEN' | 'CLOSED';
export const CHECKIN_STATES: readonly CheckinState[] = ['NOT_OPEN', 'OPEN', 'CLOSED'];
export function checkinState(w: { opensAt: Date; closesAt: Date }, now: Date): CheckinState {
  if (now.getTime() < w.opensAt.getTime()) return 'NOT_OPEN';
  return now.getTime() < w.closesAt.getTime() ? 'OPEN' : 'CLOSED';
}

/** PRESENT until start + grace minutes (inclusive), LATE after. */
export function checkinStatus(now: Date, startsAt: Date, graceMinutes: number): AttendanceStatus {
  return now.getTime() > new Date(startsAt).getTime() + graceMinutes * 60_000 ? 'LATE' : 'PRESENT';
}

/**
 * Plain SQL that reads the same on SQLite and MySQL (no reserved words, `?` placeholders), so it is
 * not rebuilt by the query builder on every scan. Parameters: teacher id, session id.
 */
const CHECKIN_SQL = `SELECT s.id AS sid, s.cohortId AS cohortId, s.startsAt AS startsAt, s.endsAt AS endsAt, p.lateGraceMinutes AS grace,
  e.id AS eid, e.status AS estatus, e.cohortId AS ecohort,
  r.id AS rid, r.status AS rstatus, r.source AS rsource, r.checkedInAt AS rcheckedInAt, r.reason AS rreason, r.updatedAt AS rupdatedAt,
  k.closedAt AS closedAt
  FROM training_session s
  INNER JOIN cohort c ON c.id = s.cohortId
  INNER JOIN program p ON p.id = c.programId
  LEFT JOIN enrolment e ON e.programId = p.id AND e.teacherId = ?
  LEFT JOIN attendance_record r ON r.sessionId = s.id AND r.enrolmentId = e.id
  LEFT JOIN checkin_closure k ON k.sessionId = s.id
  WHERE s.id = ?`;

interface CheckinRow {
  sid: number;
  cohortId: number;
  startsAt: Date;
  endsAt: Date;
  closedAt: Date | null;
  grace: number;
  eid: number | null;
  estatus: string | null;
  ecohort: number | null;
  record: AttendanceRecord | null;
}

/** When the trainer ended the session's check-in early, if they did. */
export async function closedAt(em: EntityManager, sessionId: number): Promise<Date | null> {
  const row = await em.findOneBy(CheckinClosure, { sessionId });
  return row ? dbDate(row.closedAt) : null;
}

/** The rotating QR code (trainer's screen) and the trainee's own check-in (spec §5). */
@Injectable()
export class CheckinService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gate: AttendanceAccess,
    private readonly codes: CheckinCodes,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  /** The current code of a session the actor runs, its URL and the QR image of the URL. */
  async code(actor: Actor, sessionId: number): Promise<CheckinCodeDto> {
    const { session } = await this.gate.session(this.em, actor, sessionId);
    const window = checkinWindow(session, await closedAt(this.em, session.id));
    const state = checkinState(window, this.clock.now());
    const issued = this.codes.issue(session.id);
    // Outside the window the screen gets no code at all: a scannable QR that always fails misleads.
    const url = state === 'OPEN' ? `${this.config.publicBaseUrl}/checkin?s=${session.id}&c=${issued.code}` : null;
    return {
      sessionId: session.id,
      state,
      code: url ? issued.code : null,
      url,
      expiresAt: issued.expiresAt.toISOString(),
      refreshAt: issued.refreshAt.toISOString(),
      qrSvg: url ? await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) : null,
      opensAt: window.opensAt.toISOString(),
      closesAt: window.closesAt.toISOString(),
      open: state === 'OPEN',
    };
  }

  /**
   * The logged-in teacher checks in with a scanned code. Idempotent: a repeated (or concurrent)
   * check-in returns the one record, which the unique (session, enrolment) index guarantees.
   * Order of checks: the code (no database), then the session and the teacher's place in its
   * cohort (one query that also reads an existing record), then the window, then the insert.
   */
  async checkIn(actor: Actor, sessionId: number, code: string): Promise<CheckinResultDto> {
    if (!isTrainee(actor)) throw AttendanceErrors.notTeacher();
    if (!this.codes.verify(sessionId, code)) throw AttendanceErrors.codeInvalid();
    const row = await this.load(sessionId, actor.teacherId);
    if (!row) throw new NotFoundError('课次');
    if (row.eid === null || row.ecohort !== row.cohortId) throw AttendanceErrors.notInCohort();
    if (!ROSTER_STATUSES.includes(row.estatus as never)) throw AttendanceErrors.notConfirmed();
    if (row.record) return this.result(row.record, true);

    const now = this.clock.now();
    const { opensAt, closesAt } = checkinWindow(row, row.closedAt);
    if (now.getTime() < opensAt.getTime()) throw AttendanceErrors.notOpen(shanghaiWhen(opensAt, now));
    if (now.getTime() >= closesAt.getTime()) throw AttendanceErrors.closed(shanghaiWhen(closesAt, now));

    const record = {
      sessionId: row.sid,
      enrolmentId: row.eid,
      cohortId: row.cohortId,
      status: checkinStatus(now, row.startsAt, row.grace),
      source: 'SELF' as const,
      checkedInAt: now,
      reason: null,
      leaveRequestId: null,
      markedById: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      const { identifiers } = await this.tx.run((em) => em.insert(AttendanceRecord, record));
      return this.result({ ...record, id: Number(identifiers[0].id) } as AttendanceRecord, false);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      // A concurrent scan of the same trainee won: answer with its record.
      return this.result(
        await this.em.findOneByOrFail(AttendanceRecord, { sessionId: row.sid, enrolmentId: row.eid }),
        true,
      );
    }
  }

  private result(r: AttendanceRecord, already: boolean): CheckinResultDto {
    const message = already ? '已签到，无需重复扫码' : r.status === 'LATE' ? '签到成功（迟到）' : '签到成功';
    return { ...toRecordDto(r), alreadyCheckedIn: already, message };
  }

  /**
   * The session, its program's grace, the teacher's enrolment in the program and any record: one
   * round trip, with a fixed statement (this is the hot path of a cohort scanning at the same minute).
   */
  private async load(sessionId: number, teacherId: number): Promise<CheckinRow | null> {
    const [r] = await this.em.query(CHECKIN_SQL, [teacherId, sessionId]);
    if (!r) return null;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      sid: Number(r.sid),
      cohortId: Number(r.cohortId),
      startsAt: dbDate(r.startsAt),
      endsAt: dbDate(r.endsAt),
      closedAt: r.closedAt ? dbDate(r.closedAt) : null,
      grace: Number(r.grace),
      eid: num(r.eid),
      estatus: r.estatus ?? null,
      ecohort: num(r.ecohort),
      record:
        r.rid === null || r.rid === undefined
          ? null
          : ({
              id: Number(r.rid),
              sessionId: Number(r.sid),
              enrolmentId: Number(r.eid),
              status: r.rstatus,
              source: r.rsource,
              checkedInAt: r.rcheckedInAt ? dbDate(r.rcheckedInAt) : null,
              reason: r.rreason ?? null,
              updatedAt: dbDate(r.rupdatedAt),
            } as AttendanceRecord),
    };
  }
}
