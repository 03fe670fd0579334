import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  AttendanceService,
  PassesService,
  readAttachment,
  CreateLeaveRequestDto,
  LEAVE_TYPE_LABELS,
  LEAVE_TYPES,
  LeaveQuery,
  LeaveService,
  MyAttendanceDto,
} from '@shipei/attendance';
import { CertificatePrinter, CertificateQuery, CertificatesService } from '@shipei/certificates';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileSize, formatDateTime, formatTime } from '../shared/format';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { hoursText, idOf, percentText, refusal, sendPdf, sessionWhen } from '../trainer/training-view';
import { TEACHER_CRUMBS } from './my-programs.controller';

const TYPE_CHOICES = LEAVE_TYPES.map((t) => ({ value: t, label: LEAVE_TYPE_LABELS[t] }));
const LEAVE_FIELDS = ['sessionIds', 'type', 'reason'];

/**
 * The teacher's own training, phone first: attendance session by session, leave requests and
 * their status, certificates to download. Every read is the teacher's own (the services' scope).
 */
@WebController('app/me')
@Roles('TEACHER')
export class MyTrainingController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly attendance: AttendanceService,
    private readonly passes: PassesService,
    private readonly certificates: CertificatesService,
    private readonly printer: CertificatePrinter,
    private readonly leave: LeaveService,
  ) {}

  @Get('attendance')
  async myAttendance(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    const mine = await this.attendance.mine(actor);
    // The personal pass of each cohort, as an <img> (the SVG is never inserted as markup).
    const passes = await Promise.all(mine.items.map((c) => this.passes.pass(actor, c.enrolmentId)));
    const cohorts = mine.items.map((c, i) => ({
      ...c,
      passQr: `data:image/svg+xml;base64,${Buffer.from(passes[i].qrSvg, 'utf8').toString('base64')}`,
      attendedHoursText: hoursText(c.attendedHours),
      totalHoursText: hoursText(c.totalHours),
      rateText: percentText(c.attendanceRate),
      thresholdText: percentText(c.threshold),
      creditHoursText: c.creditHours === null ? '' : hoursText(c.creditHours),
      sessions: c.sessions.map((s) => ({
        ...s,
        code: s.status ?? 'PENDING',
        when: sessionWhen(s.startsAt, s.endsAt),
        time: s.checkedInAt ? formatTime(s.checkedInAt) : '',
      })),
    }));
    return this.pages.render(
      req,
      reply,
      'teacher/attendance',
      { title: '我的考勤', crumbs: TEACHER_CRUMBS, phone: true },
      { cohorts },
    );
  }

  // ——— leave ———

  @Get('leave')
  async leaveList(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    const page = await this.leave.list(actor, await validateInput(LeaveQuery, { pageSize: 100 }, 'query'));
    const rows = page.items.map((l) => ({
      ...l,
      attachmentSize: l.attachment ? fileSize(l.attachment.size) : '',
      created: formatDateTime(l.createdAt),
      decided: l.decidedAt ? formatDateTime(l.decidedAt) : '',
      sessionList: l.sessions.map((s) => ({ ...s, when: sessionWhen(s.startsAt, s.endsAt) })),
    }));
    return this.pages.render(
      req,
      reply,
      'teacher/leave-list',
      { title: '请假', crumbs: TEACHER_CRUMBS, phone: true },
      { rows },
    );
  }

  /** Sessions one may ask leave for: those of the teacher's cohorts not attended or excused already, by cohort. */
  private leaveChoices(mine: MyAttendanceDto) {
    return mine.items
      .filter((c) => c.enrolmentStatus === 'CONFIRMED')
      .map((c) => ({
        label: `${c.programTitle} · ${c.cohortName}`,
        sessions: c.sessions
          .filter((s) => s.status === null || s.status === 'ABSENT')
          .map((s) => ({ id: s.sessionId, title: s.title, when: sessionWhen(s.startsAt, s.endsAt) })),
      }))
      .filter((c) => c.sessions.length);
  }

  private async showLeaveForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    form: { sessionIds?: number[]; type?: string; reason?: string },
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const groups = this.leaveChoices(await this.attendance.mine(actor));
    return this.pages.render(
      req,
      reply,
      'teacher/leave-new',
      { title: '申请请假', crumbs: [...TEACHER_CRUMBS, { label: '请假', href: '/app/me/leave' }], phone: true, status },
      { groups, types: TYPE_CHOICES, form: { ...form, sessionIds: (form.sessionIds ?? []).map(String) }, errors },
    );
  }

  /** The doctor's note of a request still waiting: uploaded from the phone's camera or files. */
  @Post('leave/:id/attachment')
  @HttpCode(303)
  async attach(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      await this.leave.attach(actor, id, await readAttachment(req));
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, '/app/me/leave', flash);
    }
    return this.pages.redirect(reply, '/app/me/leave', {
      tone: 'success',
      text: '证明材料已上传，培训教师审批时可以查看。',
    });
  }

  @Get('leave/new')
  leaveForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    return this.showLeaveForm(req, reply, actor, {});
  }

  @Post('leave/new')
  @HttpCode(200)
  async createLeave(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    // An empty reason stays '' so the DTO says 请填写请假事由 (not given at all, its first message would be another).
    const form: Record<string, unknown> = {
      reason: '',
      ...readForm(body, { type: 'text', reason: 'text', sessionIds: 'list' }),
    };
    const sessionIds = (form.sessionIds as string[]).map((v) => idOf(v) ?? v);
    try {
      const leave = await this.leave.create(actor, await validateInput(CreateLeaveRequestDto, { ...form, sessionIds }));
      return this.pages.redirect(reply, '/app/me/leave', {
        tone: 'success',
        text: `${leave.typeLabel}申请已提交（${leave.sessions.length} 个课次），等待培训教师审批。`,
      });
    } catch (e) {
      const errors = formErrors(e, LEAVE_FIELDS, {
        ALREADY_ATTENDED: 'sessionIds',
        LEAVE_EXISTS: 'sessionIds',
        NOT_IN_COHORT: 'sessionIds',
        NOT_CONFIRMED: 'sessionIds',
      });
      if (!errors) throw e;
      // Nothing ticked: say so in words (the DTO's message lists the API's codes).
      if (errors.fields.type && !form.type) errors.fields.type = '请选择请假类型';
      const ids = sessionIds.filter((v): v is number => typeof v === 'number');
      return this.showLeaveForm(
        req,
        reply,
        actor,
        {
          sessionIds: ids,
          type: typeof form.type === 'string' ? form.type : '',
          reason: typeof form.reason === 'string' ? form.reason : '',
        },
        errors,
        400,
      );
    }
  }

  // ——— certificates ———

  @Get('certificates')
  async myCertificates(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    const page = await this.certificates.list(actor, await validateInput(CertificateQuery, { pageSize: 100 }, 'query'));
    const rows = [...page.items].reverse().map((c) => ({ ...c, creditHoursText: hoursText(c.creditHours) }));
    return this.pages.render(
      req,
      reply,
      'teacher/certificates',
      { title: '我的证书', crumbs: TEACHER_CRUMBS, phone: true },
      { rows },
    );
  }

  /** The certificate as PDF (its holder may print it), opened in a new tab. */
  @Get('certificates/:id/pdf')
  async certificatePdf(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const pdf = await this.printer.printOne(actor, id);
    sendPdf(reply, pdf.filename, pdf.stream);
  }
}
