import { Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  AttendanceOutputsService,
  AttendanceService,
  CompletionService,
  LeaveQuery,
  LeaveService,
} from '@shipei/attendance';
import { CertificateIssuer, CertificatePrinter, CertificateQuery, CertificatesService } from '@shipei/certificates';
import { Actor, Clock, CurrentActor, IdPipe, PageQuery, Roles, TransactionRunner } from '@shipei/core';
import { EnrolmentQuery, EnrolmentsService } from '@shipei/enrolment';
import {
  CohortDto,
  CohortsService,
  ProgramDto,
  ProgramQuery,
  ProgramsService,
  SessionDto,
  SessionsService,
} from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validateInput } from '../shared/forms';
import { Crumb, PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { filenameOf, hoursText, percentText, refusal, sendPdf, sessionWhen } from './training-view';

const MANAGERS = ['CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER'] as const;

/** Breadcrumbs to a cohort: a trainer's own list, or the program's cohorts for the office and counties. */
export function cohortCrumbs(
  actor: Actor,
  program: Pick<ProgramDto, 'id' | 'title'>,
  cohort?: Pick<CohortDto, 'id' | 'name'>,
): Crumb[] {
  const home: Crumb = { label: '首页', href: '/app' };
  if (actor.role === 'TRAINER')
    return [
      home,
      { label: '我的班级', href: '/app/trainer' },
      ...(cohort ? [{ label: `${program.title} · ${cohort.name}`, href: `/app/trainer/cohorts/${cohort.id}` }] : []),
    ];
  return [
    home,
    { label: '培训项目', href: '/app/programs' },
    { label: program.title, href: `/app/programs/${program.id}` },
    ...(cohort
      ? [
          { label: cohort.name, href: `/app/programs/${program.id}/cohorts/${cohort.id}` },
          { label: '考勤与结业', href: `/app/trainer/cohorts/${cohort.id}` },
        ]
      : []),
  ];
}

/**
 * 我的班级 (a trainer's cohorts and their sessions) and one cohort's attendance, completion and
 * certificates. The cohort pages also serve the program's owner (the office, a county for its own
 * programs): the attendance services decide who runs a cohort.
 */
@WebController('app/trainer')
@Roles(...MANAGERS)
export class TrainerCohortsController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly sessions: SessionsService,
    private readonly enrolments: EnrolmentsService,
    private readonly attendance: AttendanceService,
    private readonly completion: CompletionService,
    private readonly outputs: AttendanceOutputsService,
    private readonly issuer: CertificateIssuer,
    private readonly printer: CertificatePrinter,
    private readonly certificates: CertificatesService,
    private readonly clock: Clock,
    private readonly leave: LeaveService,
    private readonly tx: TransactionRunner,
  ) {}

  private async all<Q extends PageQuery, T>(
    dto: new () => Q,
    list: (q: Q) => Promise<{ items: T[] }>,
    filters: Record<string, unknown> = {},
  ): Promise<T[]> {
    return (await list(await validateInput(dto, { ...filters, pageSize: 200 }, 'query'))).items;
  }

  @Get()
  @Roles('TRAINER')
  async mine(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    const programs = await this.all(ProgramQuery, (q) => this.tx.read((em) => this.programs.list(em, actor, q)));
    const now = this.clock.now().getTime();
    const rows: Record<string, unknown>[] = [];
    const upcoming: (SessionDto & { programTitle: string; cohortName: string })[] = [];
    for (const program of programs) {
      for (const cohort of await this.all(PageQuery, (q) =>
        this.tx.read((em) => this.cohorts.list(em, actor, program.id, q)),
      )) {
        const sessions = await this.all(PageQuery, (q) =>
          this.tx.read((em) => this.sessions.list(em, actor, cohort.id, q)),
        );
        rows.push({
          ...cohort,
          programTitle: program.title,
          sessionCount: sessions.length,
          sessionHoursText: hoursText(cohort.sessionHours),
        });
        for (const s of sessions)
          if (new Date(s.endsAt).getTime() > now)
            upcoming.push({ ...s, programTitle: program.title, cohortName: cohort.name });
      }
    }
    upcoming.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id - b.id);
    const pendingLeave = (
      await this.leave.list(actor, await validateInput(LeaveQuery, { status: 'PENDING', pageSize: 1 }, 'query'))
    ).total;
    return this.pages.render(
      req,
      reply,
      'trainer/cohorts',
      { title: '我的班级', crumbs: [{ label: '首页', href: '/app' }] },
      {
        rows,
        pendingLeave,
        upcoming: upcoming.slice(0, 10).map((s) => ({
          ...s,
          when: sessionWhen(s.startsAt, s.endsAt),
          open: new Date(s.startsAt).getTime() - 30 * 60_000 <= now,
        })),
      },
    );
  }

  @Get('cohorts/:id')
  async cohort(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    // The matrix first: it is the check that the actor runs this cohort (404 / 403 otherwise).
    const matrix = await this.attendance.cohortMatrix(actor, id);
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, id));
    const program = await this.tx.read((em) => this.programs.get(em, actor, cohort.programId));
    const [sessions, enrolments, certificates] = await Promise.all([
      this.all(PageQuery, (q) => this.tx.read((em) => this.sessions.list(em, actor, id, q))),
      this.all(EnrolmentQuery, (q) => this.tx.read((em) => this.enrolments.list(em, actor, q)), { cohortId: id }),
      this.all(CertificateQuery, (q) => this.certificates.list(actor, q), { cohortId: id }),
    ]);
    const pendingLeave = (
      await this.leave.list(
        actor,
        await validateInput(LeaveQuery, { status: 'PENDING', cohortId: id, pageSize: 1 }, 'query'),
      )
    ).total;
    const enrolmentOf = new Map(enrolments.map((e) => [e.id, e]));
    const certificateOf = new Map(certificates.filter((c) => c.status === 'VALID').map((c) => [c.enrolmentId, c]));
    const now = this.clock.now().getTime();
    return this.pages.render(
      req,
      reply,
      'trainer/cohort',
      { title: `${cohort.name}：考勤与结业`, crumbs: cohortCrumbs(actor, program) },
      {
        program,
        cohort: {
          ...cohort,
          sessionHoursText: hoursText(cohort.sessionHours),
          creditHoursText: hoursText(program.creditHours),
        },
        thresholdText: percentText(matrix.threshold),
        totalHoursText: hoursText(matrix.totalHours),
        sessions: sessions.map((s) => ({
          ...s,
          when: sessionWhen(s.startsAt, s.endsAt),
          hoursText: hoursText(s.hours),
          ended: new Date(s.endsAt).getTime() <= now,
        })),
        matrixSessions: matrix.sessions.map((s, i) => ({ ...s, n: i + 1 })),
        matrixColumns: matrix.sessions.length + 7,
        trainees: matrix.items.map((r, i) => {
          const e = enrolmentOf.get(r.enrolmentId);
          const c = certificateOf.get(r.enrolmentId);
          return {
            ...r,
            n: i + 1,
            cells: r.statuses.map((s, j) => ({ code: s ?? 'PENDING', title: matrix.sessions[j]?.title })),
            attendedHoursText: hoursText(r.attendedHours),
            rateText: percentText(r.attendanceRate),
            enrolmentStatus: e && ['COMPLETED', 'NOT_COMPLETED'].includes(e.status) ? e.status : null,
            certificateNumber: c?.number ?? null,
          };
        }),
        certificateCount: certificateOf.size,
        completedCount: enrolments.filter((e) => e.status === 'COMPLETED').length,
        pendingLeave,
      },
    );
  }

  @Post('cohorts/:id/completion')
  @HttpCode(200)
  async complete(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const r = await this.completion.complete(actor, id);
      const text = `结业计算完成：结业 ${r.completed} 人，未结业 ${r.notCompleted} 人（课次合计 ${hoursText(r.totalHours)} 学时，出勤率须达 ${percentText(r.threshold)}）。`;
      return this.pages.redirect(reply, `/app/trainer/cohorts/${id}`, { tone: 'success', text });
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, `/app/trainer/cohorts/${id}`, flash);
    }
  }

  @Post('cohorts/:id/certificates')
  @HttpCode(200)
  async issue(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const outcomes = await this.issuer.issueForCohort(actor, id);
      const created = outcomes.filter((o) => o.created).length;
      const text = created
        ? `已颁发 ${created} 份结业证书，本班共 ${outcomes.length} 份有效证书。`
        : `本班已结业学员均已有证书（共 ${outcomes.length} 份），未重复颁发。`;
      return this.pages.redirect(reply, `/app/trainer/cohorts/${id}`, { tone: 'success', text });
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, `/app/trainer/cohorts/${id}`, flash);
    }
  }

  /** The cohort's certificates as one PDF, opened in a new tab for printing. */
  @Get('cohorts/:id/certificates.pdf')
  async certificatesPdf(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const pdf = await this.printer.printCohort(actor, id);
    sendPdf(reply, pdf.filename, pdf.stream);
  }

  /** The cohort's attendance matrix as .xlsx (a download). */
  @Get('cohorts/:id/attendance.xlsx')
  async matrixXlsx(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const file = await this.outputs.matrix(actor, id);
    reply
      .header('content-type', file.type)
      .header('content-disposition', file.disposition)
      .header('cache-control', 'no-store')
      .send(file.body);
  }

  /** A session's paper sign-in sheet, opened in a new tab for printing. */
  @Get('sessions/:id/sign-in-sheet.pdf')
  async signInSheet(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const file = await this.outputs.signInSheet(actor, id);
    sendPdf(reply, filenameOf(file.disposition, `sign-in-sheet-${id}.pdf`), file.body);
  }
}
