import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ATTENDANCE_STATUS_LABELS,
  ATTENDANCE_STATUSES,
  AttendanceService,
  CheckinService,
  MarkAttendanceDto,
  RosterEntryDto,
  SessionAttendanceDto,
} from '@shipei/attendance';
import {
  Actor,
  Clock,
  CurrentActor,
  IdPipe,
  NotFoundError,
  PageQuery,
  Roles,
  shanghaiWhen,
  TransactionRunner,
} from '@shipei/core';
import { CohortsService, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatTime } from '../shared/format';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { cohortCrumbs } from './trainer-cohorts.controller';
import { hoursText, refusal, sessionWhen, SOURCE_LABELS } from './training-view';

/** How many of the latest check-ins the display lists. */
const LATEST = 8;

const STATUS_CHOICES = ATTENDANCE_STATUSES.map((s) => ({ value: s, label: ATTENDANCE_STATUS_LABELS[s] }));

/** The display's QR as an <img> source: the attendance service's SVG, never inserted as markup. */
function qrDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The latest self check-ins first (the names the display shows). */
function latest(items: RosterEntryDto[]): { name: string; time: string; late: boolean }[] {
  return items
    .filter((i) => i.checkedInAt && (i.status === 'PRESENT' || i.status === 'LATE'))
    .sort((a, b) => b.checkedInAt!.localeCompare(a.checkedInAt!) || b.enrolmentId - a.enrolmentId)
    .slice(0, LATEST)
    .map((i) => ({ name: i.name, time: formatTime(i.checkedInAt), late: i.status === 'LATE' }));
}

/**
 * One session's attendance for the people who run it: the live list with corrections (audited by
 * the service), closing the session, and the full-screen check-in display with its rotating QR
 * code and the live count, which its small script refreshes from the two JSON routes below.
 */
@WebController('app/trainer/sessions')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
export class SessionAttendanceController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly attendance: AttendanceService,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly clock: Clock,
    private readonly checkin: CheckinService,
    private readonly tx: TransactionRunner,
  ) {}

  /** The whole roster of a session (the trainer's list; cohorts hold up to a few hundred trainees). */
  private async list(actor: Actor, id: number): Promise<SessionAttendanceDto> {
    return this.attendance.sessionList(actor, id, await validateInput(PageQuery, { pageSize: 200 }, 'query'));
  }

  private async context(actor: Actor, cohortId: number) {
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, cohortId));
    const program = await this.tx.read((em) => this.programs.get(em, actor, cohort.programId));
    return { cohort, program, crumbs: cohortCrumbs(actor, program, cohort) };
  }

  @Get(':id')
  async session(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const list = await this.list(actor, id);
    const { cohort, program, crumbs } = await this.context(actor, list.session.cohortId);
    const now = this.clock.now().getTime();
    const ended = new Date(list.session.endsAt).getTime() <= now;
    const started = new Date(list.session.startsAt).getTime() <= now;
    return this.pages.render(
      req,
      reply,
      'trainer/session',
      { title: `${list.session.title}：考勤`, crumbs },
      {
        program,
        cohort,
        session: {
          ...list.session,
          when: sessionWhen(list.session.startsAt, list.session.endsAt),
          hoursText: hoursText(list.session.hours),
        },
        counts: list.counts,
        display: list.display,
        ended,
        started,
        rows: list.items.map((i, n) => ({
          ...i,
          n: n + 1,
          code: i.status ?? 'PENDING',
          sourceLabel: i.source ? SOURCE_LABELS[i.source] : '',
          time: i.checkedInAt ? formatTime(i.checkedInAt) : '',
        })),
      },
    );
  }

  @Post(':id/close')
  @HttpCode(200)
  async close(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const r = await this.attendance.close(actor, id);
      const text = r.absentRecorded
        ? `已结束签到：${r.absentRecorded} 名未签到的学员记为缺勤。`
        : '已结束签到：所有学员均已有考勤记录。';
      return this.pages.redirect(reply, `/app/trainer/sessions/${id}`, { tone: 'success', text });
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, `/app/trainer/sessions/${id}`, flash);
    }
  }

  // ——— correction of one trainee's status ———

  private async trainee(actor: Actor, id: number, enrolmentId: number) {
    const list = await this.list(actor, id);
    const entry = list.items.find((i) => i.enrolmentId === enrolmentId);
    if (!entry) throw new NotFoundError('学员');
    return { list, entry };
  }

  private async showCorrection(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    enrolmentId: number,
    form: { status?: string; reason?: string },
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const { list, entry } = await this.trainee(actor, id, enrolmentId);
    const { crumbs } = await this.context(actor, list.session.cohortId);
    return this.pages.render(
      req,
      reply,
      'trainer/correct',
      {
        title: `更正考勤：${entry.name}`,
        crumbs: [...crumbs, { label: `${list.session.title}：考勤`, href: `/app/trainer/sessions/${id}` }],
        status,
      },
      {
        session: { ...list.session, when: sessionWhen(list.session.startsAt, list.session.endsAt) },
        entry: {
          ...entry,
          code: entry.status ?? 'PENDING',
          sourceLabel: entry.source ? SOURCE_LABELS[entry.source] : '',
          time: entry.checkedInAt ? formatTime(entry.checkedInAt) : '',
        },
        choices: STATUS_CHOICES,
        form,
        errors,
        action: `/app/trainer/sessions/${id}/attendance/${enrolmentId}`,
      },
    );
  }

  @Get(':id/attendance/:enrolmentId')
  correctForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('enrolmentId', IdPipe) enrolmentId: number,
  ): Promise<void> {
    return this.showCorrection(req, reply, actor, id, enrolmentId, {});
  }

  @Post(':id/attendance/:enrolmentId')
  @HttpCode(200)
  async correct(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('enrolmentId', IdPipe) enrolmentId: number,
    @Body() body: FormBody,
  ): Promise<void> {
    // An empty reason stays '' so the DTO says 请填写原因 (not given at all, its first message would be another).
    const form: Record<string, unknown> = { reason: '', ...readForm(body, { status: 'text', reason: 'text' }) };
    try {
      const record = await this.attendance.mark(actor, id, enrolmentId, await validateInput(MarkAttendanceDto, form));
      const { entry } = await this.trainee(actor, id, enrolmentId);
      return this.pages.redirect(reply, `/app/trainer/sessions/${id}`, {
        tone: 'success',
        text: `已将 ${entry.name} 的考勤更正为「${record.statusLabel}」。`,
      });
    } catch (e) {
      const errors = formErrors(e, ['status', 'reason']);
      if (!errors) throw e;
      return this.showCorrection(
        req,
        reply,
        actor,
        id,
        enrolmentId,
        { status: String(form.status ?? ''), reason: String(form.reason ?? '') },
        errors,
        400,
      );
    }
  }

  // ——— the check-in display ———

  private async code(actor: Actor, id: number) {
    const c = await this.checkin.code(actor, id);
    const now = this.clock.now();
    const state = c.state === 'OPEN' ? 'open' : c.state === 'NOT_OPEN' ? 'early' : 'closed';
    const note =
      state === 'early'
        ? `签到尚未开始，将于 ${shanghaiWhen(new Date(c.opensAt), now)} 开放`
        : state === 'closed'
          ? `签到已于 ${shanghaiWhen(new Date(c.closesAt), now)} 结束`
          : '请用手机扫码签到';
    // The next code comes at the step boundary (the attendance clock's); never wait more than one step.
    const refreshInMs = Math.min(30_000, Math.max(1_000, new Date(c.refreshAt).getTime() - now.getTime()));
    // Outside the window there is no code: the display shows the state in large type instead.
    return { sessionId: c.sessionId, qr: c.qrSvg ? qrDataUrl(c.qrSvg) : null, refreshInMs, state, note };
  }

  private async status(actor: Actor, id: number) {
    const list = await this.list(actor, id);
    return {
      display: list.display,
      checkedIn: list.counts.checkedIn,
      expected: list.counts.expected,
      late: list.counts.late,
      latest: latest(list.items),
      list,
    };
  }

  @Get(':id/display')
  async display(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const code = await this.code(actor, id);
    const { list, ...status } = await this.status(actor, id);
    const { cohort, program } = await this.context(actor, list.session.cohortId);
    // A page of its own (no frame): it fills a projector screen in a training hall.
    const html = await (reply as FastifyReply & { viewAsync(v: string, d: object): Promise<string> }).viewAsync(
      'trainer/display',
      {
        title: `签到：${list.session.title}`,
        program,
        cohort,
        session: { ...list.session, when: sessionWhen(list.session.startsAt, list.session.endsAt) },
        code,
        status,
        back: `/app/trainer/sessions/${id}`,
      },
    );
    reply.code(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  }

  /** The current QR code, fetched by the display at each 30-second step. */
  @Get(':id/display/code')
  async displayCode(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    reply.header('cache-control', 'no-store').send(await this.code(actor, id));
  }

  /** 已签到 n / m and the latest names, polled by the display every few seconds. */
  @Get(':id/display/status')
  async displayStatus(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const { list: _list, ...status } = await this.status(actor, id);
    reply.header('cache-control', 'no-store').send(status);
  }
}
