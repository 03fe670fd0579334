import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  DecideLeaveRequestDto,
  LEAVE_STATUS_LABELS,
  LEAVE_STATUSES,
  LeaveQuery,
  LeaveRequestDto,
  LeaveService,
} from '@shipei/attendance';
import { Actor, CurrentActor, IdPipe, mapError, Roles, TransactionRunner } from '@shipei/core';
import { CohortsService, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileSize, formatDateTime } from '../shared/format';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { pager, pickFilters } from '../shared/list';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { idOf, refusal, sessionWhen } from './training-view';

const STATUS_OPTIONS = LEAVE_STATUSES.map((s) => ({ value: s, label: LEAVE_STATUS_LABELS[s] }));

/** 请假审批: the leave requests of the cohorts the actor runs; approve or refuse each once. */
@WebController('app/trainer/leave')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
export class LeaveApprovalsController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly leave: LeaveService,
    private readonly tx: TransactionRunner,
  ) {}

  /** Cohort names for the rows (each cohort read through its own access rule; unreadable ones stay unnamed). */
  private async cohortNames(actor: Actor, ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const id of new Set(ids)) {
      try {
        const c = await this.tx.read((em) => this.cohorts.get(em, actor, id));
        const p = await this.tx.read((em) => this.programs.get(em, actor, c.programId));
        out.set(id, `${p.title} · ${c.name}`);
      } catch {
        out.set(id, '');
      }
    }
    return out;
  }

  private view(l: LeaveRequestDto, names: Map<number, string>) {
    return {
      ...l,
      cohortName: names.get(l.cohortId) ?? '',
      sessionList: l.sessions.map((s) => ({ ...s, when: sessionWhen(s.startsAt, s.endsAt) })),
      created: formatDateTime(l.createdAt),
      decided: l.decidedAt ? formatDateTime(l.decidedAt) : '',
      attachmentSize: l.attachment ? fileSize(l.attachment.size) : '',
    };
  }

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    // 待审批 first: a trainer comes here to decide. `status=ALL` shows every request.
    const filters = pickFilters(query, ['status', 'cohortId', 'page']);
    const status = filters.status === 'ALL' ? undefined : (filters.status ?? 'PENDING');
    const q = await validateInput(
      LeaveQuery,
      { status, cohortId: idOf(filters.cohortId) ?? undefined, page: idOf(filters.page) ?? undefined },
      'query',
    );
    const page = await this.leave.list(actor, q);
    const names = await this.cohortNames(
      actor,
      page.items.map((l) => l.cohortId),
    );
    const shown = { status: status ?? 'ALL', cohortId: q.cohortId ? String(q.cohortId) : '' };
    return this.pages.render(
      req,
      reply,
      'trainer/leave-list',
      { title: '请假审批', crumbs: [{ label: '首页', href: '/app' }] },
      {
        rows: page.items.map((l) => this.view(l, names)),
        filters: shown,
        statusOptions: [...STATUS_OPTIONS, { value: 'ALL', label: '全部' }],
        cohortName: q.cohortId ? ((await this.cohortNames(actor, [q.cohortId])).get(q.cohortId) ?? '') : '',
        pager: pager('/app/trainer/leave', page, {
          status: shown.status === 'PENDING' ? '' : shown.status,
          cohortId: shown.cohortId,
        }),
      },
    );
  }

  private async showOne(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    form: { note?: string } = {},
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const leave = await this.leave.get(actor, id);
    const names = await this.cohortNames(actor, [leave.cohortId]);
    return this.pages.render(
      req,
      reply,
      'trainer/leave-detail',
      {
        title: `请假审批：${leave.teacherName}`,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '请假审批', href: '/app/trainer/leave' },
        ],
        status,
      },
      { leave: this.view(leave, names), form, errors, action: `/app/trainer/leave/${id}` },
    );
  }

  @Get(':id')
  one(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.showOne(req, reply, actor, id);
  }

  @Post(':id/:decision')
  @HttpCode(200)
  async decide(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('decision') decision: string,
    @Body() body: FormBody,
  ): Promise<void> {
    if (decision !== 'approve' && decision !== 'refuse') return this.showOne(req, reply, actor, id);
    const form = readForm(body, { note: 'text' });
    try {
      const dto = await validateInput(DecideLeaveRequestDto, form);
      const leave =
        decision === 'approve' ? await this.leave.approve(actor, id, dto) : await this.leave.refuse(actor, id, dto);
      const text =
        decision === 'approve'
          ? `已批准 ${leave.teacherName} 的${leave.typeLabel}，所请课次记为请假。`
          : `已不批准 ${leave.teacherName} 的${leave.typeLabel}。`;
      return this.pages.redirect(reply, '/app/trainer/leave', { tone: 'success', text });
    } catch (e) {
      // Already decided by someone else: back to the list with the service's words.
      if (mapError(e).body.code === 'LEAVE_ALREADY_DECIDED') {
        const flash = refusal(e);
        if (flash) return this.pages.redirect(reply, '/app/trainer/leave', flash);
      }
      const errors = formErrors(e, ['note']);
      if (!errors) throw e;
      return this.showOne(req, reply, actor, id, { note: typeof form.note === 'string' ? form.note : '' }, errors, 400);
    }
  }
}
