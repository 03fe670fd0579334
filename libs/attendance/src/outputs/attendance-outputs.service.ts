import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, loadCjkFonts, shanghaiDate } from '@shipei/core';
import { ENROLMENT_STATUS_LABELS, EnrolmentStatus } from '@shipei/enrolment';
import { EntityManager } from 'typeorm';
import { AttendanceAccess } from '../attendance.access';
import { AttendanceService } from '../records/attendance.service';
import { cohortRoster } from '../records/roster';
import { ASSIGNED_STATUSES } from '../statuses';
import { buildAttendanceMatrix, XLSX_MIME } from './attendance-matrix';
import { renderSignInSheet } from './sign-in-sheet';

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

/** The paper sign-in sheet of a session (PDF) and the cohort's attendance matrix (.xlsx). */
@Injectable()
export class AttendanceOutputsService {
  constructor(
    private readonly gate: AttendanceAccess,
    private readonly attendance: AttendanceService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  async signInSheet(actor: Actor, sessionId: number): Promise<FileDownload> {
    const { session, cohort, program } = await this.gate.session(this.em, actor, sessionId);
    // Everyone assigned, including approved trainees who have not reported yet (marked 未报到).
    const trainees = (await cohortRoster(this.em, session.cohortId, undefined, ASSIGNED_STATUSES)).map((t) => ({
      ...t,
      confirmed: t.enrolmentStatus !== 'APPROVED',
    }));
    const startsAt = new Date(session.startsAt);
    const body = await renderSignInSheet(
      {
        programTitle: program.title,
        cohortName: cohort.name,
        sessionTitle: session.title,
        startsAt,
        endsAt: new Date(session.endsAt),
        hours: Number(session.hours),
        venue: cohort.venue,
        room: session.room,
        trainees,
      },
      await loadCjkFonts(),
    );
    return {
      body,
      type: 'application/pdf',
      disposition: attachment(
        `sign-in-sheet-${session.id}.pdf`,
        `签到表-${cohort.name}-${shanghaiDate(startsAt)}-${session.title}.pdf`,
      ),
    };
  }

  async matrix(actor: Actor, cohortId: number): Promise<FileDownload> {
    const { cohort, program } = await this.gate.cohort(this.em, actor, cohortId);
    const m = await this.attendance.matrix(this.em, cohort.id);
    const decided: EnrolmentStatus[] = ['COMPLETED', 'NOT_COMPLETED'];
    const body = await buildAttendanceMatrix({
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
