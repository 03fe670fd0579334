import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, calendarDateZh, Clock, loadCjkFonts, NotFoundError, shanghaiDate, WorkerPool } from '@shipei/core';
import { Enrolment, ENROLMENT_STATUS_LABELS, EnrolmentStatus } from '@shipei/enrolment';
import { Cohort, Program } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { PassesService } from '../passes/passes.service';
import { AttendanceAccess, isTrainee } from '../attendance.access';
import { AttendanceService } from '../records/attendance.service';
import { cohortRoster } from '../records/roster';
import { ASSIGNED_STATUSES } from '../statuses';
import { MatrixView, XLSX_MIME } from './attendance-matrix';
import { MATRIX_TASK, PASS_SHEET_TASK, SIGN_IN_SHEET_TASK } from './attendance-pdf.task';
import { PassSheetLayout, PassSheetView } from './pass-sheet';
import { SignInSheetView } from './sign-in-sheet';
import { renderTimetable, TimetableView } from './timetable';

export interface FileDownload {
  body: Buffer;
  type: string;
  /** Content-Disposition with the Chinese name in RFC 5987 form and an ASCII fallback. */
  disposition: string;
}

function attachment(ascii: string, name: string): string {
  const fallback = ascii.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name.replace(/[\\/:*?"<>|]/g, '_'))}`;
}

const bytes = (pdf: Uint8Array) => Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);

/** A DATETIME read by plain SQL: a Date through mysql2, UTC text on SQLite. */
const utc = (v: Date | string) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));

/**
 * The paper sign-in sheet of a session (PDF), a cohort's printed passes (PDF) and its attendance matrix
 * (.xlsx), made in a worker thread (spec §16: a cohort's sheets never hold up check-ins).
 */
@Injectable()
export class AttendanceOutputsService {
  constructor(
    private readonly gate: AttendanceAccess,
    private readonly attendance: AttendanceService,
    private readonly passes: PassesService,
    private readonly clock: Clock,
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly workers: WorkerPool,
  ) {}

  /** A sign-in sheet drawn in a worker thread (also for the cohort archive, which gathers the view itself). */
  async drawSignInSheet(view: SignInSheetView): Promise<Buffer> {
    return bytes(await this.workers.run<Uint8Array>(SIGN_IN_SHEET_TASK, view));
  }

  private async drawMatrix(view: MatrixView): Promise<Buffer> {
    return bytes(await this.workers.run<Uint8Array>(MATRIX_TASK, view));
  }

  private async drawPassSheet(view: PassSheetView, layout: PassSheetLayout): Promise<Buffer> {
    return bytes(await this.workers.run<Uint8Array>(PASS_SHEET_TASK, { view, layout }));
  }

  /**
   * A cohort's timetable (课程表), for its owner, its trainers and its trainees (assigned, from
   * approval on): the sessions in time order with their lecturers. Others: 403 when they may see the
   * cohort (a county reading a city program), 404 otherwise.
   */
  async timetableView(actor: Actor, cohortId: number): Promise<TimetableView> {
    const { cohort, program } = await this.timetableCohort(actor, cohortId);
    const rows = await this.em.query(
      `SELECT s.title AS title, s.startsAt AS startsAt, s.endsAt AS endsAt, s.hours AS hours, s.room AS room, u.displayName AS trainer
         FROM training_session s LEFT JOIN user_account u ON u.id = s.trainerId
        WHERE s.cohortId = ? ORDER BY s.startsAt, s.id`,
      [cohort.id],
    );
    return {
      programTitle: program.title,
      cohortName: cohort.name,
      from: calendarDateZh(cohort.startDate),
      to: calendarDateZh(cohort.endDate),
      venue: cohort.venue,
      printedAt: this.clock.now(),
      sessions: rows.map((r: any) => ({
        title: r.title,
        startsAt: utc(r.startsAt),
        endsAt: utc(r.endsAt),
        hours: Number(r.hours),
        trainer: r.trainer ?? '',
        room: r.room ?? '',
      })),
    };
  }

  async timetable(actor: Actor, cohortId: number): Promise<FileDownload> {
    const view = await this.timetableView(actor, cohortId);
    const body = await renderTimetable(view, await loadCjkFonts());
    return {
      body,
      type: 'application/pdf',
      disposition: attachment(`timetable-cohort-${cohortId}.pdf`, `课程表-${view.cohortName}.pdf`),
    };
  }

  private async timetableCohort(actor: Actor, id: number): Promise<{ cohort: Cohort; program: Program }> {
    if (!isTrainee(actor)) return this.gate.cohort(this.em, actor, id);
    const [own] = await this.em.query(
      `SELECT id FROM enrolment WHERE teacherId = ? AND cohortId = ? AND status IN (${ASSIGNED_STATUSES.map(() => '?').join(', ')})`,
      [actor.teacherId, id, ...ASSIGNED_STATUSES],
    );
    if (!own) throw new NotFoundError('班级');
    const cohort = await this.em.findOneByOrFail(Cohort, { id });
    return { cohort, program: await this.em.findOneByOrFail(Program, { id: cohort.programId }) };
  }

  async signInSheet(actor: Actor, sessionId: number): Promise<FileDownload> {
    const { session, cohort, program } = await this.gate.session(this.em, actor, sessionId);
    // Everyone assigned, including approved trainees who have not reported yet (marked 未报到).
    const trainees = (await cohortRoster(this.em, session.cohortId, undefined, ASSIGNED_STATUSES)).map((t) => ({
      ...t,
      confirmed: t.enrolmentStatus !== 'APPROVED',
    }));
    const startsAt = new Date(session.startsAt);
    const body = await this.drawSignInSheet({
      programTitle: program.title,
      cohortName: cohort.name,
      sessionTitle: session.title,
      startsAt,
      endsAt: new Date(session.endsAt),
      hours: Number(session.hours),
      venue: cohort.venue,
      room: session.room,
      trainees,
    });
    return {
      body,
      type: 'application/pdf',
      disposition: attachment(
        `sign-in-sheet-${session.id}.pdf`,
        `签到表-${cohort.name}-${shanghaiDate(startsAt)}-${session.title}.pdf`,
      ),
    };
  }

  /** The printed passes of a cohort's assigned trainees: 报到 slips or a roster to scan from (spec §14). */
  async passSheet(actor: Actor, cohortId: number, layout: PassSheetLayout): Promise<FileDownload> {
    const { cohort, program } = await this.gate.cohort(this.em, actor, cohortId);
    const roster = await cohortRoster(this.em, cohort.id, undefined, ASSIGNED_STATUSES);
    const enrolments = new Map(
      (await this.em.findBy(Enrolment, { id: In(roster.map((t) => t.enrolmentId)) })).map((e) => [e.id, e]),
    );
    const passes = await this.passes.passes(
      this.em,
      roster.map((t) => enrolments.get(t.enrolmentId)!),
    );
    const body = await this.drawPassSheet(
      {
        programTitle: program.title,
        cohortName: cohort.name,
        from: calendarDateZh(cohort.startDate),
        to: calendarDateZh(cohort.endDate),
        venue: cohort.venue,
        validUntil: `${calendarDateZh(cohort.endDate)}24时`,
        trainees: roster.map((t, i) => ({
          name: t.name,
          school: t.school,
          confirmed: t.enrolmentStatus !== 'APPROVED',
          token: passes[i].token,
        })),
      },
      layout,
    );
    const what = layout === 'slips' ? '报到凭证' : '签到凭证名册';
    return {
      body,
      type: 'application/pdf',
      disposition: attachment(`passes-cohort-${cohort.id}-${layout}.pdf`, `${what}-${cohort.name}.pdf`),
    };
  }

  async matrix(actor: Actor, cohortId: number): Promise<FileDownload> {
    const { cohort, program } = await this.gate.cohort(this.em, actor, cohortId);
    const m = await this.attendance.matrix(this.em, cohort.id);
    const decided: EnrolmentStatus[] = ['COMPLETED', 'NOT_COMPLETED'];
    const body = await this.drawMatrix({
      programTitle: program.title,
      cohortName: cohort.name,
      threshold: Number(program.attendanceThreshold),
      totalHours: m.totalHours,
      sessions: m.sessions.map((s) => ({ title: s.title, startsAt: new Date(s.startsAt), hours: Number(s.hours) })),
      rows: m.rows.map((r) => ({
        name: r.trainee.name,
        school: r.trainee.school,
        statuses: r.statuses,
        attendedHours: r.attendedHours,
        rate: r.rate,
        result: decided.includes(r.trainee.enrolmentStatus as EnrolmentStatus)
          ? ENROLMENT_STATUS_LABELS[r.trainee.enrolmentStatus as EnrolmentStatus]
          : '',
      })),
    });
    return {
      body,
      type: XLSX_MIME,
      disposition: attachment(`attendance-cohort-${cohort.id}.xlsx`, `考勤表-${cohort.name}.xlsx`),
    };
  }
}
