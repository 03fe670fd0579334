import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, NotFoundError, Roles, TransactionRunner } from '@shipei/core';
import { AssignmentsService, EnrolmentDto, EnrolmentQuery, EnrolmentsService } from '@shipei/enrolment';
import { OrganisationsService } from '@shipei/people';
import { CohortDto, CohortsService, ProgramDto, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, formErrors, safeBack, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { countyOptions } from '../programs/county-options';
import { ownsProgram, programCrumbs, programTabs, tickedIds } from '../programs/program-view';
import { enrolmentRow } from './enrolment-view';

const FILTERS = ['countyId', 'status', 'q', 'page'];
const ASSIGNABLE = [
  { value: 'APPROVED', label: '审核通过' },
  { value: 'CONFIRMED', label: '已报到' },
];

/** 分班 (the program's owner): by hand with checkboxes, out again one by one, or automatically for the whole program. */
@WebController('app/programs')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class AssignmentPagesController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly assignments: AssignmentsService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  private async cohortOf(
    actor: Actor,
    programId: number,
    cohortId: number,
  ): Promise<{ program: ProgramDto; cohort: CohortDto }> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, programId));
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, cohortId));
    if (cohort.programId !== program.id) throw new NotFoundError('班级');
    return { program, cohort };
  }

  @Post(':id/cohorts/auto')
  async auto(@Res() reply: FastifyReply, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    try {
      const r = await this.assignments.auto(actor, id);
      const per = r.cohorts.map((c) => `${c.name} ${c.assignedCount}/${c.capacity}`).join('，');
      const text = `自动分班完成：本次分入 ${r.assigned} 人${r.unassigned ? `，${r.unassigned} 人因容量或日期冲突未能分班` : ''}。${per ? `各班：${per}。` : ''}`;
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts`, {
        tone: r.unassigned ? 'info' : 'success',
        text,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts`, { tone: 'error', text: errors.summary });
    }
  }

  @Get(':id/cohorts/:cid/assign')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const { program, cohort } = await this.cohortOf(actor, id, cid);
    const filters = pickFilters(query, FILTERS);
    if (actor.role !== 'CITY_ADMIN') delete filters.countyId;
    const status = filters.status === 'CONFIRMED' ? 'CONFIRMED' : 'APPROVED';
    const [members, pending] = await Promise.all([
      this.tx.read(async (em) =>
        this.enrolments.list(
          em,
          actor,
          await validateInput(EnrolmentQuery, { programId: id, cohortId: cid, pageSize: 200 }, 'query'),
        ),
      ),
      this.tx.read(async (em) =>
        this.enrolments.list(
          em,
          actor,
          await validateInput(
            EnrolmentQuery,
            { ...filters, status, programId: id, cohortId: 0, pageSize: 20 },
            'query',
          ),
        ),
      ),
    ]);
    const counties = await this.names.organisations([...members.items, ...pending.items].map((e) => e.countyId));
    const noCohorts = new Map<number, string>();
    const row = (e: EnrolmentDto) => enrolmentRow(e, counties, noCohorts);
    const { page: _p, ...keep } = filters;
    const base = `/app/programs/${id}/cohorts/${cid}`;
    return this.pages.render(
      req,
      reply,
      'enrolment/assign',
      {
        title: `分班：${cohort.name}`,
        crumbs: programCrumbs(program, [
          { label: '班级与分班', href: `/app/programs/${id}/cohorts` },
          { label: cohort.name, href: base },
        ]),
      },
      {
        program,
        cohort,
        tabs: programTabs(actor, program, 'cohorts'),
        owner: ownsProgram(actor, program),
        base,
        free: Math.max(0, cohort.capacity - cohort.assignedCount),
        members: members.items.map(row),
        membersMore: members.total > members.items.length ? members.total - members.items.length : 0,
        pending: pending.items.map(row),
        filters: { ...filters, status },
        city: actor.role === 'CITY_ADMIN',
        counties: await countyOptions(this.organisations, this.tx, actor),
        statuses: ASSIGNABLE,
        pager: pager(`${base}/assign`, pending, { ...keep, status }),
        back: `${base}/assign${queryString({ ...filters, status })}`,
      },
    );
  }

  @Post(':id/cohorts/:cid/assign')
  async assign(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const { cohort } = await this.cohortOf(actor, id, cid);
    const base = `/app/programs/${id}/cohorts/${cid}/assign`;
    const back = safeBack(field(body, 'back'), base, base);
    const ids = tickedIds(body, 'ids', 2000);
    if (!ids.length) return this.pages.redirect(reply, back, { tone: 'error', text: '请先勾选要分入本班的学员。' });
    try {
      const r = await this.assignments.assign(actor, cid, ids);
      return this.pages.redirect(reply, back, {
        tone: 'success',
        text: `已将 ${r.assigned} 名学员分入「${cohort.name}」（${r.assignedCount}/${r.capacity}）。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: errors.summary });
    }
  }

  @Post(':id/cohorts/:cid/unassign')
  async unassign(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const { cohort } = await this.cohortOf(actor, id, cid);
    const base = `/app/programs/${id}/cohorts/${cid}/assign`;
    const back = safeBack(field(body, 'back'), base, base);
    const enrolmentId = Number(field(body, 'enrolmentId'));
    if (!Number.isSafeInteger(enrolmentId) || enrolmentId <= 0)
      return this.pages.redirect(reply, back, { tone: 'error', text: '请选择要调出的学员。' });
    try {
      const r = await this.assignments.unassign(actor, cid, enrolmentId);
      return this.pages.redirect(reply, back, {
        tone: 'success',
        text: `已调出「${cohort.name}」（${r.assignedCount}/${r.capacity}）。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: errors.summary });
    }
  }
}
