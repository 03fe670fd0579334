import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CertificatesService } from '@shipei/certificates';
import {
  Actor,
  CurrentActor,
  IdPipe,
  mapError,
  NotFoundError,
  PageQuery,
  Roles,
  TransactionRunner,
} from '@shipei/core';
import {
  EnrolmentDto,
  EnrolmentQuery,
  EnrolmentsService,
  OptionalReasonDto,
  ReasonDto,
  RosterService,
} from '@shipei/enrolment';
import { OrganisationsService } from '@shipei/people';
import { CohortsService, ProgramDto, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, FormErrors, formErrors, safeBack, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { countyOptions } from '../programs/county-options';
import { ownsProgram, programCrumbs, programTabs, tickedIds } from '../programs/program-view';
import { ENROLMENT_STATUS_OPTIONS, enrolmentRow, WITHDRAWABLE } from './enrolment-view';

const FILTERS = ['countyId', 'status', 'cohortId', 'q', 'page'];

/**
 * 推荐审核 (the program's owner: approve, reject with a reason, one by one or ticked in bulk) and
 * 推荐名单 (a county: its own teachers' enrolments, withdrawn before the start), plus the
 * per-county figures of a program.
 */
@WebController('app/programs')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class EnrolmentsPagesController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly rosters: RosterService,
    private readonly organisations: OrganisationsService,
    private readonly certificates: CertificatesService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  private async cohortNames(actor: Actor, programId: number): Promise<Map<number, string>> {
    const page = await this.tx.read(async (em) =>
      this.cohorts.list(em, actor, programId, await validateInput(PageQuery, { pageSize: 200 }, 'query')),
    );
    return new Map(page.items.map((c) => [c.id, c.name]));
  }

  /** An enrolment of this program (any other is not found here). */
  private async enrolmentOf(
    actor: Actor,
    programId: number,
    id: number,
  ): Promise<{ program: ProgramDto; enrolment: EnrolmentDto }> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, programId));
    const enrolment = await this.tx.read((em) => this.enrolments.get(em, actor, id));
    if (enrolment.programId !== program.id) throw new NotFoundError('报名记录');
    return { program, enrolment };
  }

  @Get(':id/enrolments')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const owner = ownsProgram(actor, program);
    const filters = pickFilters(query, FILTERS);
    if (actor.role !== 'CITY_ADMIN') delete filters.countyId;
    let error: string | null = null;
    let page = { items: [] as EnrolmentDto[], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.tx.read(async (em) =>
        this.enrolments.list(
          em,
          actor,
          await validateInput(EnrolmentQuery, { ...filters, programId: id, pageSize: 20 }, 'query'),
        ),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const [counties, cohorts] = await Promise.all([
      this.names.organisations(page.items.map((e) => e.countyId)),
      this.cohortNames(actor, id),
    ]);
    const county = actor.role === 'COUNTY_ADMIN';
    const rows = page.items.map((e) => ({
      ...enrolmentRow(e, counties, cohorts),
      approvable: owner && e.status === 'NOMINATED',
      rejectable: owner && (e.status === 'NOMINATED' || e.status === 'WAITLISTED'),
      withdrawable: county && e.countyId === actor.countyId && WITHDRAWABLE.includes(e.status),
    }));
    const { page: _p, ...keep } = filters;
    const here = `/app/programs/${id}/enrolments${queryString(filters)}`;
    return this.pages.render(
      req,
      reply,
      'enrolment/list',
      { title: owner ? '推荐审核' : '推荐名单', crumbs: programCrumbs(program) },
      {
        program,
        tabs: programTabs(actor, program, 'enrolments'),
        owner,
        county,
        city: actor.role === 'CITY_ADMIN',
        filters,
        error,
        counties: await countyOptions(this.organisations, this.tx, actor),
        statuses: ENROLMENT_STATUS_OPTIONS,
        cohorts: [...cohorts.entries()].map(([value, label]) => ({ value, label })),
        rows,
        reviewing: owner && (program.status === 'OPEN' || program.status === 'CLOSED'),
        pager: pager(`/app/programs/${id}/enrolments`, page, keep),
        back: here,
        rosterHref: `/api/v1/programs/${id}/roster${queryString({ countyId: filters.countyId, status: filters.status, cohortId: filters.cohortId })}`,
      },
    );
  }

  /** 批量通过 / 批量驳回 (with one reason for all): each enrolment in its own transaction; failures listed. */
  @Post(':id/enrolments/batch')
  async batch(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = safeBack(field(body, 'back'), `/app/programs/${id}/enrolments`, `/app/programs/${id}/enrolments`);
    const action = field(body, 'action');
    const ids = tickedIds(body);
    if (!ids.length || (action !== 'approve' && action !== 'reject'))
      return this.pages.redirect(reply, back, { tone: 'error', text: '请先勾选推荐记录，再选择批量操作。' });
    let reason = '';
    if (action === 'reject') {
      try {
        reason = (await validateInput(ReasonDto, { reason: field(body, 'reason') })).reason;
      } catch (e) {
        const errors = formErrors(e, ['reason']);
        if (!errors) throw e;
        return this.pages.redirect(reply, back, {
          tone: 'error',
          text: `批量驳回须填写原因：${errors.fields.reason ?? errors.summary}`,
        });
      }
    }
    let done = 0;
    const failed: string[] = [];
    for (const eid of ids) {
      try {
        await this.enrolmentOf(actor, id, eid);
        if (action === 'approve') await this.enrolments.approve(actor, eid);
        else await this.enrolments.reject(actor, eid, reason);
        done++;
      } catch (e) {
        const errors = formErrors(e, []);
        if (!errors) throw e;
        failed.push(errors.summary);
      }
    }
    const verb = action === 'approve' ? '审核通过' : '驳回';
    const text = failed.length
      ? `${done} 条已${verb}；${failed.length} 条未能${verb}：${[...new Set(failed)].join('；')}`
      : `${done} 条推荐已${verb}。`;
    return this.pages.redirect(reply, back, { tone: failed.length ? 'error' : 'success', text });
  }

  @Post(':id/enrolments/:eid/approve')
  async approve(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('eid', IdPipe) eid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = safeBack(field(body, 'back'), `/app/programs/${id}/enrolments`, `/app/programs/${id}/enrolments`);
    const { enrolment } = await this.enrolmentOf(actor, id, eid);
    try {
      await this.enrolments.approve(actor, eid);
      return this.pages.redirect(reply, back, { tone: 'success', text: `已审核通过：${enrolment.teacherName}。` });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: `${enrolment.teacherName}：${errors.summary}` });
    }
  }

  @Get(':id/enrolments/:eid/reject')
  async rejectForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('eid', IdPipe) eid: number,
  ): Promise<void> {
    return this.showReason(req, reply, actor, id, eid, 'reject', {});
  }

  @Post(':id/enrolments/:eid/reject')
  @HttpCode(200)
  async reject(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('eid', IdPipe) eid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const { enrolment } = await this.enrolmentOf(actor, id, eid);
    const form = { reason: field(body, 'reason') };
    try {
      const dto = await validateInput(ReasonDto, form);
      await this.enrolments.reject(actor, eid, dto.reason);
      return this.pages.redirect(reply, `/app/programs/${id}/enrolments`, {
        tone: 'success',
        text: `已驳回：${enrolment.teacherName}。`,
      });
    } catch (e) {
      const errors = formErrors(e, ['reason']);
      if (!errors) throw e;
      return this.showReason(req, reply, actor, id, eid, 'reject', form, errors, mapError(e).status);
    }
  }

  @Get(':id/enrolments/:eid/withdraw')
  async withdrawForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('eid', IdPipe) eid: number,
  ): Promise<void> {
    return this.showReason(req, reply, actor, id, eid, 'withdraw', {});
  }

  @Post(':id/enrolments/:eid/withdraw')
  @HttpCode(200)
  async withdraw(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('eid', IdPipe) eid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const { enrolment } = await this.enrolmentOf(actor, id, eid);
    const form = { reason: field(body, 'reason') };
    try {
      const dto = await validateInput(OptionalReasonDto, form.reason ? form : {});
      await this.enrolments.withdraw(actor, eid, dto.reason);
      return this.pages.redirect(reply, `/app/programs/${id}/enrolments`, {
        tone: 'success',
        text: `已撤回对${enrolment.teacherName}的推荐。空出的名额将自动递补给本县区第一位候补。`,
      });
    } catch (e) {
      const errors = formErrors(e, ['reason']);
      if (!errors) throw e;
      return this.showReason(req, reply, actor, id, eid, 'withdraw', form, errors, mapError(e).status);
    }
  }

  /** The confirmation page of an irreversible step that asks for a reason (required to reject, optional to withdraw). */
  private async showReason(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    eid: number,
    kind: 'reject' | 'withdraw',
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 400,
  ): Promise<void> {
    const { program, enrolment } = await this.enrolmentOf(actor, id, eid);
    const reject = kind === 'reject';
    return this.pages.render(
      req,
      reply,
      'enrolment/reason',
      {
        title: reject ? '驳回推荐' : '撤回推荐',
        status: errors ? status : 200,
        crumbs: programCrumbs(program, [
          { label: reject ? '推荐审核' : '推荐名单', href: `/app/programs/${id}/enrolments` },
        ]),
      },
      {
        program,
        enrolment,
        countyName: await this.names.organisation(enrolment.countyId),
        reject,
        action: `/app/programs/${id}/enrolments/${eid}/${kind}`,
        confirm: reject
          ? `确定要驳回${enrolment.teacherName}的推荐吗？驳回后不能恢复。`
          : `确定要撤回${enrolment.teacherName}的推荐吗？撤回后不能恢复。`,
        form,
        errors,
      },
    );
  }

  // ——— 分县区统计 ———

  @Get(':id/dashboard')
  async dashboard(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const figures = await this.tx.read((em) => this.rosters.figures(em, actor, id));
    // Certified: valid training certificates of the program the actor may see, per county.
    const byCounty = await this.certificates.validTrainingCountsByCounty(actor, id);
    const rows = figures.counties.map((c) => ({ ...c, certified: byCounty.get(c.countyId) ?? 0 }));
    const total = { ...figures.total, certified: rows.reduce((s, r) => s + r.certified, 0) };
    return this.pages.render(
      req,
      reply,
      'enrolment/dashboard',
      { title: '分县区统计', crumbs: programCrumbs(program) },
      {
        program,
        tabs: programTabs(actor, program, 'dashboard'),
        rows,
        total,
        seats: figures.seats,
        approvedCount: figures.approvedCount,
      },
    );
  }
}
