import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, mapError, pageOf, Roles, TransactionRunner } from '@shipei/core';
import { OrganisationsService } from '@shipei/people';
import {
  AllPlacementsQuery,
  ArrivePlacementDto,
  CompletePlacementDto,
  PlacementDto,
  PlacementsService,
  PlacementStipendDto,
  RecordPaymentDto,
  RecordTripDto,
  RejectPlacementDto,
  SchemeQuery,
  SchemesService,
  SERVING_STATUSES,
  StipendRecordsService,
  TerminatePlacementDto,
  termMonths,
} from '@shipei/talent-support';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { countyOptions } from '../programs/county-options';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { pager, pickFilters } from '../shared/list';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { ASSESSMENT_OPTIONS, PLACEMENT_STATUS_OPTIONS, yuan, yuanToFen } from './scheme-view';

type Step = 'reject' | 'arrive' | 'complete' | 'terminate' | 'trip' | 'payment';

const STEP_FIELDS: Record<Step, string[]> = {
  reject: ['reason'],
  arrive: ['arrivalDate'],
  complete: ['assessment', 'comment'],
  terminate: ['date', 'reason'],
  trip: ['tripDate'],
  payment: ['month', 'amountFen', 'paidOn'],
};

/** A placement's stipend in yuan for its page: each month's items, 应发 and 实发, its trips and payments. */
function stipendView(st: PlacementStipendDto) {
  return {
    ...st,
    months: st.months.map((m) => ({
      ...m,
      work: yuan(m.workFen),
      travel: yuan(m.travelFen),
      insurance: yuan(m.insuranceFen),
      due: yuan(m.dueFen),
      paid: yuan(m.paidFen),
    })),
    work: yuan(st.workFen),
    travel: yuan(st.travelFen),
    insurance: yuan(st.insuranceFen),
    due: yuan(st.dueFen),
    paid: yuan(st.paidFen),
    unpaid: yuan(Math.max(0, st.dueFen - st.paidFen)),
    payments: st.payments.map((x) => ({ ...x, amount: yuan(x.amountFen) })),
  };
}

const DONE: Record<Step | 'approve', string> = {
  approve: '已审核通过',
  reject: '已审核不通过，名额退回县区',
  arrive: '已登记到岗',
  complete: '已登记服务期满考核',
  terminate: '已登记提前结束',
  trip: '已登记往返，交通差旅费计入当月应发',
  payment: '已登记发放（实发）',
};

/** 选派管理: every placement the actor may see, and one placement with the forms of its next steps. */
@WebController('app/placements')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class PlacementsPagesController {
  constructor(
    private readonly placements: PlacementsService,
    private readonly schemes: SchemesService,
    private readonly stipends: StipendRecordsService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const filters = pickFilters(query, ['schemeId', 'countyId', 'status', 'page']);
    if (!city) delete filters.countyId;
    let error: string | null = null;
    let page = pageOf([] as PlacementDto[], 0, { page: 1, pageSize: 20 });
    try {
      page = await this.tx.read(async (em) =>
        this.placements.list(em, actor, await validateInput(AllPlacementsQuery, { ...filters, pageSize: 20 }, 'query')),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const schemes = (
      await this.tx.read(async (em) =>
        this.schemes.list(em, actor, await validateInput(SchemeQuery, { pageSize: 200 }, 'query')),
      )
    ).items;
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'talent-support/all-placements',
      { title: '选派管理', crumbs: [{ label: '首页', href: '/app' }] },
      {
        city,
        filters,
        error,
        schemes: schemes.map((s) => ({ value: s.id, label: s.title })),
        counties: await countyOptions(this.organisations, this.tx, actor),
        statuses: PLACEMENT_STATUS_OPTIONS,
        rows: page.items.map((p) => ({ ...p, stipendText: yuan(p.stipendDueFen) })),
        pager: pager('/app/placements', page, keep),
      },
    );
  }

  @Get(':id')
  async detail(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.show(req, reply, actor, id);
  }

  @Post(':id/approve')
  @Roles('CITY_ADMIN')
  async approve(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const p = await this.placements.approve(actor, id);
      return this.pages.redirect(reply, `/app/placements/${id}`, {
        tone: 'success',
        text: `${p.teacherName}：${DONE.approve}。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, `/app/placements/${id}`, { tone: 'error', text: errors.summary });
    }
  }

  @Post(':id/:step')
  @HttpCode(200)
  async step(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('step') step: string,
    @Body() body: FormBody,
  ): Promise<void> {
    if (!(step in STEP_FIELDS))
      return this.pages.redirect(reply, `/app/placements/${id}`, { tone: 'error', text: '未知的操作。' });
    const s = step as Step;
    const form = readForm(body, {
      reason: 'text',
      arrivalDate: 'text',
      assessment: 'text',
      comment: 'text',
      date: 'text',
      tripDate: 'text',
      month: 'text',
      amountYuan: 'text',
      paidOn: 'text',
    });
    if (s === 'trip' || s === 'payment') return this.stipendStep(req, reply, actor, id, s, form);
    try {
      let p: PlacementDto;
      if (s === 'reject')
        p = await this.placements.reject(actor, id, await validateInput(RejectPlacementDto, { reason: form.reason }));
      else if (s === 'arrive')
        p = await this.placements.arrive(
          actor,
          id,
          await validateInput(ArrivePlacementDto, { arrivalDate: form.arrivalDate }),
        );
      else if (s === 'complete')
        p = await this.placements.complete(
          actor,
          id,
          await validateInput(CompletePlacementDto, { assessment: form.assessment, comment: form.comment }),
        );
      else
        p = await this.placements.terminate(
          actor,
          id,
          await validateInput(TerminatePlacementDto, { date: form.date, reason: form.reason }),
        );
      return this.pages.redirect(reply, `/app/placements/${id}`, {
        tone: 'success',
        text: `${p.teacherName}：${DONE[s]}。`,
      });
    } catch (e) {
      const errors = formErrors(e, STEP_FIELDS[s]);
      if (!errors) throw e;
      return this.show(req, reply, actor, id, { step: s, form, errors }, mapError(e).status);
    }
  }

  /** 登记往返 / 登记发放: the stipend records of a placement that has served. */
  private async stipendStep(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    s: 'trip' | 'payment',
    form: Record<string, unknown>,
  ): Promise<void> {
    try {
      if (s === 'trip')
        await this.stipends.recordTrip(actor, id, await validateInput(RecordTripDto, { date: form.tripDate }));
      else {
        // The amount is typed in yuan: its own message, shown together with the DTO's for the other fields.
        const amountFen = yuanToFen(form.amountYuan);
        let dto: RecordPaymentDto | null = null;
        let errors: FormErrors | null = null;
        try {
          dto = await validateInput(RecordPaymentDto, {
            month: form.month,
            amountFen: amountFen ?? 1,
            paidOn: form.paidOn,
          });
        } catch (e) {
          errors = formErrors(e, STEP_FIELDS.payment);
          if (!errors) throw e;
        }
        if (amountFen === null) {
          errors ??= { summary: '', fields: {} };
          errors.fields.amountFen = form.amountYuan === undefined ? '请填写实发金额' : '金额须为元，最多 2 位小数';
          errors.summary = '提交未成功，请按提示修改标红的项目。';
        }
        if (errors || !dto) return this.show(req, reply, actor, id, { step: s, form, errors: errors! }, 400);
        await this.stipends.recordPayment(actor, id, dto);
      }
      const p = await this.tx.read((em) => this.placements.get(em, actor, id));
      return this.pages.redirect(reply, `/app/placements/${id}#p-stipend`, {
        tone: 'success',
        text: `${p.teacherName}：${DONE[s]}。`,
      });
    } catch (e) {
      // The API names the trip's date `date`; on the page it is `tripDate` (the termination form has a `date`).
      const errors = formErrors(e, s === 'trip' ? ['date'] : STEP_FIELDS[s]);
      if (!errors) throw e;
      if (errors.fields.date) errors.fields = { tripDate: errors.fields.date };
      return this.show(req, reply, actor, id, { step: s, form, errors }, mapError(e).status);
    }
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    failed?: { step: Step; form: Record<string, unknown>; errors: FormErrors },
    status = 200,
  ): Promise<void> {
    const p = await this.tx.read((em) => this.placements.get(em, actor, id));
    const city = actor.role === 'CITY_ADMIN';
    const served = SERVING_STATUSES.includes(p.status);
    const stipend = served ? await this.tx.read((em) => this.stipends.stipend(em, actor, id)) : null;
    const scheme = await this.tx.read((em) => this.schemes.get(em, actor, p.schemeId));
    const perTrip = scheme.stipendItems.travelMode === 'PER_TRIP';
    const forms = (step: Step) =>
      failed?.step === step ? { form: failed.form, errors: failed.errors } : { form: {}, errors: null };
    return this.pages.render(
      req,
      reply,
      'talent-support/placement',
      {
        title: `选派：${p.teacherName}`,
        status,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '选派管理', href: '/app/placements' },
        ],
      },
      {
        p: { ...p, stipendText: yuan(p.stipendDueFen) },
        review: city && p.status === 'NOMINATED',
        arrive: p.status === 'APPROVED',
        serving: p.status === 'IN_SERVICE',
        reject: forms('reject'),
        arrival: forms('arrive'),
        completion: forms('complete'),
        termination: forms('terminate'),
        assessments: ASSESSMENT_OPTIONS,
        stipend: stipend ? stipendView(stipend) : null,
        split: {
          perTrip,
          travel: yuan(scheme.stipendItems.travelFen),
          travelTrips: scheme.stipendItems.travelTrips,
          insurance: yuan(scheme.stipendItems.insuranceFen),
        },
        tripsLeft: stipend && perTrip && stipend.trips.length < scheme.stipendItems.travelTrips,
        trip: forms('trip'),
        payment: forms('payment'),
        termMonths: termMonths(scheme.termStart, scheme.termEnd).map((m) => ({ value: m, label: m })),
      },
    );
  }
}
