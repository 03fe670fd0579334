import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, Roles, TransactionRunner } from '@shipei/core';
import { EnrolmentDto, EnrolmentQuery, EnrolmentsService, OptionalReasonDto } from '@shipei/enrolment';
import { CohortDto, CohortsService, ProgramDto, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { hoursText, refusal } from '../trainer/training-view';

/** What the teacher is asked to do about a place, by its status (the service decides whether it may). */
const NEXT_STEP: Record<string, string> = {
  NOMINATED: '县区已推荐，等待市教育局审核。',
  WAITLISTED: '您是候补人选，有空余名额时将自动递补。',
  APPROVED: '审核已通过，请确认报到；不能参加请选择放弃。',
  CONFIRMED: '已报到，请按时参加培训，到场后扫码签到。',
  COMPLETED: '已结业，可在「我的证书」下载结业证书。',
  NOT_COMPLETED: '出勤未达到结业要求，未能结业。',
  REJECTED: '未通过审核。',
  DECLINED: '您已放弃本次培训。',
  WITHDRAWN: '县区已撤回推荐。',
};

export const TEACHER_CRUMBS = [{ label: '我的首页', href: '/app' }];

/** 我的培训: the teacher's places in programs; confirm (报到) or decline (放弃, with a reason). Phone first. */
@WebController('app/me/programs')
@Roles('TEACHER')
export class MyProgramsController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly enrolments: EnrolmentsService,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly tx: TransactionRunner,
  ) {}

  private async card(actor: Actor, e: EnrolmentDto): Promise<Record<string, unknown>> {
    const program: ProgramDto = await this.tx.read((em) => this.programs.get(em, actor, e.programId));
    const cohortId = e.cohortId;
    const cohort: CohortDto | null = cohortId
      ? await this.tx.read((em) => this.cohorts.get(em, actor, cohortId))
      : null;
    return {
      ...e,
      program,
      cohort,
      creditHoursText: hoursText(program.creditHours),
      next: NEXT_STEP[e.status] ?? '',
      mayConfirm: e.status === 'APPROVED',
      mayDecline: ['NOMINATED', 'WAITLISTED', 'APPROVED'].includes(e.status),
      // 考核: items, scores and the trainee's own submissions, once on a cohort's roster.
      mayAssess: !!cohort && ['CONFIRMED', 'COMPLETED', 'NOT_COMPLETED'].includes(e.status),
    };
  }

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    const page = await this.tx.read(async (em) =>
      this.enrolments.list(em, actor, await validateInput(EnrolmentQuery, { pageSize: 200 }, 'query')),
    );
    // Newest first: the place to act on is usually the latest.
    const cards = [];
    for (const e of [...page.items].reverse()) cards.push(await this.card(actor, e));
    return this.pages.render(
      req,
      reply,
      'teacher/programs',
      { title: '我的培训', crumbs: TEACHER_CRUMBS, phone: true },
      { cards },
    );
  }

  @Post(':id/confirm')
  @HttpCode(200)
  async confirm(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      await this.enrolments.confirm(actor, id);
      return this.pages.redirect(reply, '/app/me/programs', {
        tone: 'success',
        text: '已确认报到。请按时参加培训，到场后扫描培训教师屏幕上的二维码签到。',
      });
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, '/app/me/programs', flash);
    }
  }

  private async showDecline(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    form: { reason?: string },
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const card = await this.card(actor, await this.tx.read((em) => this.enrolments.get(em, actor, id)));
    return this.pages.render(
      req,
      reply,
      'teacher/decline',
      {
        title: '放弃培训',
        crumbs: [...TEACHER_CRUMBS, { label: '我的培训', href: '/app/me/programs' }],
        phone: true,
        status,
      },
      { card, form, errors, action: `/app/me/programs/${id}/decline` },
    );
  }

  @Get(':id/decline')
  declineForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.showDecline(req, reply, actor, id, {});
  }

  @Post(':id/decline')
  @HttpCode(200)
  async decline(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const form = readForm(body, { reason: 'text' });
    try {
      const dto = await validateInput(OptionalReasonDto, form);
      await this.enrolments.decline(actor, id, dto.reason);
      return this.pages.redirect(reply, '/app/me/programs', {
        tone: 'success',
        text: '已放弃本次培训，名额将交给县区安排。',
      });
    } catch (e) {
      const errors = formErrors(e, ['reason']);
      if (!errors) throw e;
      return this.showDecline(
        req,
        reply,
        actor,
        id,
        { reason: typeof form.reason === 'string' ? form.reason : '' },
        errors,
        400,
      );
    }
  }
}
