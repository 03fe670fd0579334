import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, mapError, PageQuery, pageOf, Roles, TransactionRunner } from '@shipei/core';
import { OrganisationsService, TeacherDto, TeacherQuery, TeachersService } from '@shipei/people';
import {
  ACTIVE_STATUSES,
  CreateSchemeDto,
  CreateTeamDto,
  NominatePlacementDto,
  PlacementDto,
  PlacementQuery,
  PlacementsService,
  RejectPlacementDto,
  SchemeDto,
  SchemeQuery,
  SchemeQuotaItemDto,
  SchemesService,
  StipendItemTotalsDto,
  StipendLedgerDto,
  StipendLedgerTotalDto,
  TalentReportsService,
  TeamsService,
  RuleDefaultsService,
  SelectionRulesDto,
  UpdateSchemeDto,
} from '@shipei/talent-support';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { teacherRow, TITLE_OPTIONS } from '../people/teacher-view';
import { countyOptions, schoolOptions } from '../programs/county-options';
import { tickedIds } from '../programs/program-view';
import { field, FormBody, FormErrors, formErrors, readForm, safeBack, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import {
  BACKBONE_MIN_OPTIONS,
  PLACEMENT_STATUS_OPTIONS,
  PUTONGHUA_MIN_OPTIONS,
  rulesSource,
  rulesText,
  SCHEME_KIND_OPTIONS,
  stipendItemsText,
  schemeCrumbs,
  schemeTabs,
  TITLE_MIN_OPTIONS,
  yuan,
} from './scheme-view';

const SCHEME_FIELDS = [
  'kind',
  'year',
  'title',
  'places',
  'termStart',
  'termEnd',
  'stipendPerYearFen',
  'stipendItems',
  'rules',
];
const TEACHER_FILTERS = ['q', 'schoolId', 'subject', 'title', 'page'];

/** The ledger in yuan: each month's 应发 (and 实发 where it differs), the items, the standard and balance. */
function ledgerView(l: StipendLedgerDto) {
  const items = (r: StipendItemTotalsDto) => ({
    work: yuan(r.workFen),
    travel: yuan(r.travelFen),
    insurance: yuan(r.insuranceFen),
    due: yuan(r.dueFen),
    paid: yuan(r.paidFen),
    total: yuan(r.totalFen),
  });
  const totals = (t: StipendLedgerTotalDto) => ({
    ...t,
    cells: t.monthsFen.map((due, i) => ({ due: yuan(due), paid: t.paidMonthsFen[i] ? yuan(t.paidMonthsFen[i]) : '' })),
    items: items(t),
    standard: yuan(t.standardFen),
    balance: yuan(t.balanceFen),
  });
  return {
    ...l,
    stipendText: yuan(l.stipendPerYearFen),
    split: {
      ...l.stipendItems,
      work: yuan(l.stipendItems.workSubsidyFen),
      travel: yuan(l.stipendItems.travelFen),
      insurance: yuan(l.stipendItems.insuranceFen),
      perTrip: l.stipendItems.travelMode === 'PER_TRIP',
    },
    rows: l.rows.map((r) => {
      const m = new Map(r.months.map((x) => [x.month, x]));
      return {
        ...r,
        cells: l.months.map((month) => {
          const x = m.get(month);
          return { due: x ? yuan(x.dueFen) : '', paid: x?.paidFen ? yuan(x.paidFen) : '' };
        }),
        items: items(r),
      };
    }),
    counties: l.counties.map(totals),
    total: totals(l.total),
  };
}

/** The names of the rules on the form, for the messages of the ones refused. */
const RULE_LABELS: Record<string, string> = {
  minYearsOfService: '最低教龄',
  minTitle: '最低职称',
  kindergartenMinTitle: '幼儿园教师最低职称',
  minBackboneLevel: '骨干教师',
  maxAgeMale: '男教师年龄上限',
  maxAgeFemale: '女教师年龄上限',
  minPutonghua: '普通话等级',
};

/** The selection rules as typed on a form: an empty field or an unticked box turns the rule off. */
function typedRules(body: FormBody): Record<string, unknown> {
  const form = readForm(body, {
    homeNotReceiving: 'bool',
    minTitle: 'text',
    kindergartenMinTitle: 'text',
    minBackboneLevel: 'text',
    appraisalsQualified: 'bool',
    notOnProbation: 'bool',
    notSpecialPost: 'bool',
    minPutonghua: 'text',
  });
  // A number the DTO checks (a typed word becomes NaN and is refused there).
  const num = (key: string) => (field(body, key) === '' ? null : Number(field(body, key)));
  return {
    ...form,
    minTitle: form.minTitle || null,
    kindergartenMinTitle: form.kindergartenMinTitle || null,
    minBackboneLevel: form.minBackboneLevel || null,
    minPutonghua: form.minPutonghua || null,
    minYearsOfService: num('minYearsOfService'),
    maxAgeMale: num('maxAgeMale'),
    maxAgeFemale: num('maxAgeFemale'),
  };
}

function schemeView(s: SchemeDto) {
  return {
    ...s,
    stipendText: yuan(s.stipendPerYearFen),
    rulesText: rulesText(s),
    itemsText: stipendItemsText(s),
    rulesSource: rulesSource(s),
  };
}

/**
 * 人才支持计划: schemes (the city creates them and splits the places among counties), the
 * placement register with the city's review, the stipend ledger, the figures, and the county's
 * nomination of its teachers to 受援学校 (every failed selection rule shown at once).
 */
@WebController('app/schemes')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class SchemesPagesController {
  constructor(
    private readonly schemes: SchemesService,
    private readonly placements: PlacementsService,
    private readonly reports: TalentReportsService,
    private readonly teams: TeamsService,
    private readonly ruleDefaults_: RuleDefaultsService,
    private readonly teachers: TeachersService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, ['year', 'kind', 'page']);
    let error: string | null = null;
    let page = pageOf([] as SchemeDto[], 0, { page: 1, pageSize: 20 });
    try {
      page = await this.tx.read(async (em) =>
        this.schemes.list(em, actor, await validateInput(SchemeQuery, { ...filters, pageSize: 20 }, 'query')),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'talent-support/list',
      { title: '人才支持计划', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error,
        city: actor.role === 'CITY_ADMIN',
        kinds: SCHEME_KIND_OPTIONS,
        rows: page.items.map(schemeView),
        pager: pager('/app/schemes', page, keep),
      },
    );
  }

  // ——— 默认选派条件 ———

  @Get('rule-defaults')
  async ruleDefaults(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    return this.showRuleDefaults(req, reply, actor);
  }

  /** The office sets the 西部隆起带 defaults (the national ones are fixed). */
  @Post('rule-defaults')
  @Roles('CITY_ADMIN')
  @HttpCode(200)
  async saveRuleDefaults(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    const rules = typedRules(body);
    try {
      await this.ruleDefaults_.set(actor, 'WESTERN_BELT', await validateInput(SelectionRulesDto, rules));
      return this.pages.redirect(reply, '/app/schemes/rule-defaults', {
        tone: 'success',
        text: '已保存西部隆起带计划的默认选派条件，此后新建的计划将采用。',
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.showRuleDefaults(req, reply, actor, errors, mapError(e).status);
    }
  }

  private async showRuleDefaults(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const kinds = await this.tx.read((em) => this.ruleDefaults_.list(em));
    return this.pages.render(
      req,
      reply,
      'talent-support/rule-defaults',
      { title: '默认选派条件', status, crumbs: schemeCrumbs(undefined, [{ label: '默认选派条件' }]) },
      {
        kinds: kinds.map((k) => ({ ...k, rulesText: rulesText({ rules: k.rules } as SchemeDto) })),
        belt: kinds.find((k) => k.kind === 'WESTERN_BELT')!.rules,
        city: actor.role === 'CITY_ADMIN',
        titles: TITLE_MIN_OPTIONS,
        putonghua: PUTONGHUA_MIN_OPTIONS,
        backbone: BACKBONE_MIN_OPTIONS,
        errors,
      },
    );
  }

  @Get('new')
  @Roles('CITY_ADMIN')
  newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const year = new Date().getFullYear();
    return this.showForm(req, reply, {
      kind: 'THREE_DISTRICTS',
      year,
      termStart: `${year}-09-01`,
      termEnd: `${year + 1}-07-15`,
      stipendYuan: '20000',
      minYearsOfService: '5',
      customRules: false,
      minTitle: '一级教师',
      appraisalsQualified: true,
      notOnProbation: true,
      notSpecialPost: true,
      homeNotReceiving: true,
      minPutonghua: '二级乙等',
      travelMode: 'LUMP_SUM',
      travelYuan: '0',
      travelTrips: '0',
      insuranceYuan: '0',
    });
  }

  @Post('new')
  @Roles('CITY_ADMIN')
  @HttpCode(200)
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    const form: Record<string, unknown> & { stipendYuan: string; minYearsOfService: string } = {
      ...readForm(body, {
        kind: 'text',
        year: 'int',
        title: 'text',
        places: 'int',
        termStart: 'text',
        termEnd: 'text',
        minTitle: 'text',
        appraisalsQualified: 'bool',
        notOnProbation: 'bool',
        notSpecialPost: 'bool',
        homeNotReceiving: 'bool',
        customRules: 'bool',
        kindergartenMinTitle: 'text',
        minBackboneLevel: 'text',
        minPutonghua: 'text',
        travelMode: 'text',
      }),
      stipendYuan: field(body, 'stipendYuan'),
      minYearsOfService: field(body, 'minYearsOfService'),
      maxAgeMale: field(body, 'maxAgeMale'),
      maxAgeFemale: field(body, 'maxAgeFemale'),
      travelYuan: field(body, 'travelYuan'),
      travelTrips: field(body, 'travelTrips'),
      insuranceYuan: field(body, 'insuranceYuan'),
    };
    const fields: Record<string, string> = {};
    let stipendPerYearFen: number | undefined;
    if (form.stipendYuan !== '') {
      if (/^\d{1,7}(\.\d{1,2})?$/.test(form.stipendYuan))
        stipendPerYearFen = Math.round(Number(form.stipendYuan) * 100);
      else fields.stipendPerYearFen = '津贴标准须为金额（元，最多 2 位小数）';
    }
    const money = (key: string, label: string): number | undefined => {
      const text = String(form[key] ?? '');
      if (text === '') return undefined;
      if (/^\d{1,7}(\.\d{1,2})?$/.test(text)) return Math.round(Number(text) * 100);
      fields.stipendItems = `${label}须为金额（元，最多 2 位小数）`;
      return undefined;
    };
    const whole = (key: string, label: string): number | null => {
      const text = String(form[key] ?? '');
      if (text === '') return null;
      if (/^\d{1,2}$/.test(text)) return Number(text);
      fields.rules = `${label}须为 0–99 之间的整数（不限请留空）`;
      return null;
    };
    const minYears = whole('minYearsOfService', '最低教龄');
    const maxAgeMale = whole('maxAgeMale', '男教师年龄上限');
    const maxAgeFemale = whole('maxAgeFemale', '女教师年龄上限');
    const stipendItems = {
      travelMode: form.travelMode || 'LUMP_SUM',
      travelFen: money('travelYuan', '交通差旅费'),
      travelTrips: String(form.travelTrips ?? '') === '' ? undefined : Number(form.travelTrips),
      insuranceFen: money('insuranceYuan', '意外保险'),
    };
    if (Object.keys(fields).length)
      return this.showForm(req, reply, form, { summary: '提交未成功，请按提示修改标红的项目。', fields });
    const data = {
      kind: form.kind,
      year: form.year,
      title: form.title,
      places: form.places,
      termStart: form.termStart,
      termEnd: form.termEnd,
      stipendPerYearFen,
      stipendItems,
      // Unticked, the scheme takes its kind's defaults (national for 三区, the bureau's for 西部隆起带).
      rules: form.customRules
        ? {
            homeNotReceiving: form.homeNotReceiving,
            minYearsOfService: minYears,
            minTitle: form.minTitle || null,
            kindergartenMinTitle: form.kindergartenMinTitle || null,
            minBackboneLevel: form.minBackboneLevel || null,
            maxAgeMale,
            maxAgeFemale,
            appraisalsQualified: form.appraisalsQualified,
            notOnProbation: form.notOnProbation,
            notSpecialPost: form.notSpecialPost,
            minPutonghua: form.minPutonghua || null,
          }
        : undefined,
    };
    try {
      const s = await this.schemes.create(actor, await validateInput(CreateSchemeDto, data));
      return this.pages.redirect(reply, `/app/schemes/${s.id}`, {
        tone: 'success',
        text: `已新建「${s.title}」。请给各县区分配名额。`,
      });
    } catch (e) {
      const errors = formErrors(e, SCHEME_FIELDS, { TERM_INVALID: 'termEnd', STIPEND_SPLIT: 'stipendItems' });
      if (!errors) throw e;
      return this.showForm(req, reply, form, errors, mapError(e).status);
    }
  }

  private showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 400,
  ): Promise<void> {
    return this.pages.render(
      req,
      reply,
      'talent-support/form',
      { title: '新建人才支持计划', status: errors ? status : 200, crumbs: schemeCrumbs() },
      {
        kinds: SCHEME_KIND_OPTIONS,
        titles: TITLE_MIN_OPTIONS,
        putonghua: PUTONGHUA_MIN_OPTIONS,
        backbone: BACKBONE_MIN_OPTIONS,
        travelModes: [
          { value: 'LUMP_SUM', label: '一次性包干（到岗当月）' },
          { value: 'PER_TRIP', label: '按次（登记的往返）' },
        ],
        form,
        errors,
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
    return this.showDetail(req, reply, actor, id);
  }

  @Post(':id/quotas')
  @Roles('CITY_ADMIN')
  @HttpCode(200)
  async saveQuotas(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const counties = await countyOptions(this.organisations, this.tx, actor);
    const typed: Record<number, string> = {};
    const fields: Record<string, string> = {};
    const items: SchemeQuotaItemDto[] = [];
    for (const c of counties) {
      const countyId = Number(c.value);
      const text = field(body, `c${countyId}`);
      typed[countyId] = text;
      if (text === '') items.push(Object.assign(new SchemeQuotaItemDto(), { countyId, places: 0 }));
      else if (/^\d{1,6}$/.test(text))
        items.push(Object.assign(new SchemeQuotaItemDto(), { countyId, places: Number(text) }));
      else fields[`c${countyId}`] = '名额须为不小于 0 的整数';
    }
    if (Object.keys(fields).length)
      return this.showDetail(
        req,
        reply,
        actor,
        id,
        { typed, errors: { summary: '提交未成功，请按提示修改标红的项目。', fields } },
        400,
      );
    try {
      for (const it of items) await validateInput(SchemeQuotaItemDto, { ...it });
      const saved = await this.schemes.setQuotas(actor, id, items);
      return this.pages.redirect(reply, `/app/schemes/${id}`, {
        tone: 'success',
        text: `已保存各县区名额，合计 ${saved.reduce((s, q) => s + q.places, 0)} 人。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.showDetail(req, reply, actor, id, { typed, errors }, mapError(e).status);
    }
  }

  private async showDetail(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    failed?: { typed: Record<number, string>; errors: FormErrors },
    status = 200,
  ): Promise<void> {
    const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
    const quotas = await this.tx.read((em) => this.schemes.quotas(em, actor, id));
    const city = actor.role === 'CITY_ADMIN';
    const byCounty = new Map(quotas.map((q) => [q.countyId, q]));
    const rows = city
      ? (await countyOptions(this.organisations, this.tx, actor)).map((c) => {
          const q = byCounty.get(Number(c.value));
          const name = `c${c.value}`;
          return {
            countyName: c.label,
            places: q?.places ?? 0,
            used: q?.used ?? 0,
            name,
            value: failed ? failed.typed[Number(c.value)] : String(q?.places ?? 0),
            error: failed?.errors.fields[name],
          };
        })
      : quotas.map((q) => ({ countyName: q.countyName, places: q.places, used: q.used }));
    return this.pages.render(
      req,
      reply,
      'talent-support/detail',
      { title: s.title, status, crumbs: schemeCrumbs() },
      {
        scheme: schemeView(s),
        tabs: schemeTabs(actor, s, 'overview'),
        tabsLabel: '计划页面',
        city,
        rows,
        sum: rows.reduce((n, r) => n + r.places, 0),
        used: rows.reduce((n, r) => n + r.used, 0),
        errors: failed?.errors,
      },
    );
  }

  // ——— 本计划的选派条件 ———

  @Get(':id/rules')
  @Roles('CITY_ADMIN')
  async rulesPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
    return this.showRules(req, reply, actor, s, { ...s.rules });
  }

  /** Changes the scheme's own rules (each on or off with its parameter); later nominations are checked by them. */
  @Post(':id/rules')
  @Roles('CITY_ADMIN')
  @HttpCode(200)
  async saveRules(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const rules = typedRules(body);
    try {
      const s = await this.schemes.update(actor, id, await validateInput(UpdateSchemeDto, { rules }));
      return this.pages.redirect(reply, `/app/schemes/${id}`, {
        tone: 'success',
        text: `已修改「${s.title}」的选派条件，此后的推荐按新条件审核。`,
      });
    } catch (e) {
      // Every refused rule at once, in the summary (the rules are one fieldset), each named.
      const errors = formErrors(e, []);
      if (!errors) throw e;
      const list = (e as { details?: { errors?: { field?: string; message?: string }[] } }).details?.errors ?? [];
      if (Array.isArray(list) && list.length)
        errors.summary = list
          .map((x) => {
            const label =
              RULE_LABELS[
                String(x.field ?? '')
                  .split('.')
                  .pop() ?? ''
              ];
            return label ? `${label}：${x.message}` : String(x.message);
          })
          .join('；');
      const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
      // Show what was typed, numbers as typed (a refused word stays in its field).
      const typed = {
        ...rules,
        minYearsOfService: field(body, 'minYearsOfService'),
        maxAgeMale: field(body, 'maxAgeMale'),
        maxAgeFemale: field(body, 'maxAgeFemale'),
      };
      return this.showRules(req, reply, actor, s, typed, errors, mapError(e).status);
    }
  }

  private showRules(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    s: SchemeDto,
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    return this.pages.render(
      req,
      reply,
      'talent-support/rules',
      { title: '修改选派条件', status, crumbs: schemeCrumbs(s, [{ label: '修改选派条件' }]) },
      {
        scheme: schemeView(s),
        tabs: schemeTabs(actor, s, 'overview'),
        tabsLabel: '计划页面',
        form,
        errors,
        titles: TITLE_MIN_OPTIONS,
        putonghua: PUTONGHUA_MIN_OPTIONS,
        backbone: BACKBONE_MIN_OPTIONS,
      },
    );
  }

  // ——— 选派台账 ———

  @Get(':id/placements')
  async register(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
    const city = actor.role === 'CITY_ADMIN';
    const filters = pickFilters(query, ['countyId', 'status', 'page']);
    if (!city) delete filters.countyId;
    let error: string | null = null;
    let page = pageOf([] as PlacementDto[], 0, { page: 1, pageSize: 20 });
    try {
      page = await this.tx.read(async (em) =>
        this.placements.listForScheme(
          em,
          actor,
          id,
          await validateInput(PlacementQuery, { ...filters, pageSize: 20 }, 'query'),
        ),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'talent-support/placements',
      { title: '选派台账', crumbs: schemeCrumbs(s) },
      {
        scheme: s,
        tabs: schemeTabs(actor, s, 'placements'),
        tabsLabel: '计划页面',
        city,
        filters,
        error,
        counties: await countyOptions(this.organisations, this.tx, actor),
        statuses: PLACEMENT_STATUS_OPTIONS,
        rows: page.items.map((p) => ({ ...p, stipendText: yuan(p.stipendDueFen), pending: p.status === 'NOMINATED' })),
        teams: await this.tx.read((em) => this.teams.list(em, actor, id)),
        teamCandidates: await this.teamCandidates(actor, id, city ? filters.countyId : undefined),
        pager: pager(`/app/schemes/${id}/placements`, page, keep),
        back: `/app/schemes/${id}/placements${queryString(filters)}`,
        exportHref: `/api/v1/schemes/${id}/register/export${queryString({ countyId: filters.countyId })}`,
      },
    );
  }

  /** 批量通过 / 批量不通过 (one reason for all), placement by placement; failures listed. */
  @Post(':id/placements/batch')
  @Roles('CITY_ADMIN')
  async batch(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = safeBack(field(body, 'back'), `/app/schemes/${id}/placements`, `/app/schemes/${id}/placements`);
    const action = field(body, 'action');
    const ids = tickedIds(body);
    if (!ids.length || (action !== 'approve' && action !== 'reject'))
      return this.pages.redirect(reply, back, { tone: 'error', text: '请先勾选选派记录，再选择批量操作。' });
    let reject: RejectPlacementDto | null = null;
    if (action === 'reject') {
      try {
        reject = await validateInput(RejectPlacementDto, { reason: field(body, 'reason') });
      } catch (e) {
        const errors = formErrors(e, ['reason']);
        if (!errors) throw e;
        return this.pages.redirect(reply, back, {
          tone: 'error',
          text: `批量不通过须填写原因：${errors.fields.reason ?? errors.summary}`,
        });
      }
    }
    let done = 0;
    const failed: string[] = [];
    for (const pid of ids) {
      try {
        const p = await this.tx.read((em) => this.placements.get(em, actor, pid));
        if (p.schemeId !== id) throw new Error('other scheme');
        if (reject) await this.placements.reject(actor, pid, reject);
        else await this.placements.approve(actor, pid);
        done++;
      } catch (e) {
        const errors =
          e instanceof Error && e.message === 'other scheme'
            ? { summary: '不属于本计划的选派记录' }
            : formErrors(e, []);
        if (!errors) throw e;
        failed.push(errors.summary);
      }
    }
    const verb = action === 'approve' ? '审核通过' : '审核不通过';
    const text = failed.length
      ? `${done} 条已${verb}；${failed.length} 条未能处理：${[...new Set(failed)].join('；')}`
      : `${done} 条选派已${verb}。`;
    return this.pages.redirect(reply, back, { tone: failed.length ? 'error' : 'success', text });
  }

  // ——— 组团式选派 ———

  /**
   * The placements that may still join a team: active (已推荐、已批准、在岗支教), in no team, of the
   * county chosen (the city sees every county: a team mixing counties is refused by the service).
   */
  private async teamCandidates(actor: Actor, schemeId: number, countyId?: string) {
    const out: { id: number; label: string }[] = [];
    // A county filter typed wrong is refused on the register above; the team form then offers every county's.
    const county = countyId && /^\d{1,9}$/.test(countyId) && Number(countyId) >= 1 ? countyId : undefined;
    for (const status of ACTIVE_STATUSES) {
      const q = await validateInput(PlacementQuery, { status, countyId: county, pageSize: 200 }, 'query');
      const page = await this.tx.read((em) => this.placements.listForScheme(em, actor, schemeId, q));
      for (const p of page.items)
        if (p.teamId == null)
          out.push({
            id: p.id,
            label: `${p.teacherName}（${p.countyName} → ${p.receivingSchoolName}，${p.statusLabel}）`,
          });
    }
    return out.sort((a, b) => a.label.localeCompare(b.label, 'zh-CN') || a.id - b.id);
  }

  /** 组建团队: name, the ticked members and the leader among them; refusals come back as a message. */
  @Post(':id/teams')
  async createTeam(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const back = `/app/schemes/${id}/placements#s-teams`;
    const leader = field(body, 'leaderPlacementId');
    try {
      const dto = await validateInput(CreateTeamDto, {
        name: field(body, 'name'),
        placementIds: tickedIds(body, 'memberIds'),
        leaderPlacementId: /^\d{1,9}$/.test(leader) ? Number(leader) : undefined,
      });
      const team = await this.teams.create(actor, id, dto);
      return this.pages.redirect(reply, back, {
        tone: 'success',
        text: `已组建团队「${team.name}」（${team.members.length} 人，派往${team.receivingSchoolName}）。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: `未能组建团队：${errors.summary}` });
    }
  }

  @Post(':id/teams/:teamId/dissolve')
  async dissolveTeam(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('teamId', IdPipe) teamId: number,
  ): Promise<void> {
    const back = `/app/schemes/${id}/placements#s-teams`;
    try {
      await this.teams.dissolve(actor, teamId);
      return this.pages.redirect(reply, back, { tone: 'success', text: '团队已解散，成员的选派不变。' });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: errors.summary });
    }
  }

  // ——— 津贴台账、统计 ———

  @Get(':id/ledger')
  async ledger(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query('countyId') countyId?: string,
  ): Promise<void> {
    const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
    const city = actor.role === 'CITY_ADMIN';
    const county = city && /^\d+$/.test(countyId ?? '') ? Number(countyId) : undefined;
    const l = await this.tx.read((em) => this.reports.ledger(em, actor, id, county));
    return this.pages.render(
      req,
      reply,
      'talent-support/ledger',
      { title: '津贴台账', crumbs: schemeCrumbs(s) },
      {
        scheme: s,
        tabs: schemeTabs(actor, s, 'ledger'),
        tabsLabel: '计划页面',
        city,
        countyId: county,
        counties: await countyOptions(this.organisations, this.tx, actor),
        ledger: ledgerView(l),
        exportHref: `/api/v1/schemes/${id}/ledger/export${queryString({ countyId: county })}`,
      },
    );
  }

  @Get(':id/dashboard')
  async dashboard(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
    const d = await this.tx.read((em) => this.reports.dashboard(em, actor, id));
    return this.pages.render(
      req,
      reply,
      'talent-support/dashboard',
      { title: '计划统计', crumbs: schemeCrumbs(s) },
      {
        scheme: s,
        tabs: schemeTabs(actor, s, 'dashboard'),
        tabsLabel: '计划页面',
        rows: d.counties.map((c) => ({ ...c, stipendText: yuan(c.stipendDueFen) })),
        total: { ...d.total, stipendText: yuan(d.total.stipendDueFen) },
      },
    );
  }

  // ——— 县区推荐 ———

  @Get(':id/nominate')
  @Roles('COUNTY_ADMIN')
  async nominatePage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    return this.showNominate(req, reply, actor, id, pickFilters(query, TEACHER_FILTERS), {});
  }

  @Post(':id/nominate')
  @Roles('COUNTY_ADMIN')
  @HttpCode(200)
  async nominate(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const form = readForm(body, { teacherId: 'int', receivingSchoolId: 'int' });
    const filters = pickFilters(query, TEACHER_FILTERS);
    try {
      const p = await this.placements.nominate(actor, id, await validateInput(NominatePlacementDto, form));
      return this.pages.redirect(reply, `/app/schemes/${id}/placements`, {
        tone: 'success',
        text: `已推荐${p.teacherName}到${p.receivingSchoolName}支教，等待市级审核。`,
      });
    } catch (e) {
      const errors = formErrors(e, ['teacherId', 'receivingSchoolId']);
      if (!errors) throw e;
      // NOT_ELIGIBLE lists every failed selection rule: shown one per line.
      const details = (e as { details?: { reasons?: unknown } }).details;
      const reasons = Array.isArray(details?.reasons) ? (details.reasons as string[]) : [];
      return this.showNominate(req, reply, actor, id, filters, { form, errors, reasons }, mapError(e).status);
    }
  }

  private async showNominate(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    filters: Record<string, string>,
    failed: { form?: Record<string, unknown>; errors?: FormErrors; reasons?: string[] },
    status = 200,
  ): Promise<void> {
    const s = await this.tx.read((em) => this.schemes.get(em, actor, id));
    const [quota] = await this.tx.read((em) => this.schemes.quotas(em, actor, id));
    const schoolsQ = Object.assign(await validateInput(PageQuery, {}, 'query'), { pageSize: 2000 });
    const receiving = (await this.tx.read((em) => this.placements.receivingSchools(em, schoolsQ))).items.map((r) => ({
      value: r.id,
      label: `${r.countyName} · ${r.name}`,
    }));
    let error: string | null = null;
    let page = pageOf([] as TeacherDto[], 0, { page: 1, pageSize: 20 });
    try {
      page = await this.tx.read(async (em) =>
        this.teachers.list(em, actor, await validateInput(TeacherQuery, { ...filters, pageSize: 20 }, 'query')),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const names = await this.names.organisations(page.items.flatMap((t) => [t.schoolId, t.countyId]));
    const picked = failed.form?.teacherId;
    const failedRules = await this.tx.read((em) => this.placements.failedRulesFor(em, s, page.items));
    const rows = page.items.map((t) => ({
      ...teacherRow(t, names),
      failed: failedRules.get(t.id) ?? [],
      picked: String(t.id) === String(picked ?? ''),
    }));
    const { page: _p, ...keep } = filters;
    const pickedTeacher =
      picked && !rows.some((r) => r.picked)
        ? await this.tx.read((em) => this.teachers.get(em, actor, Number(picked))).catch(() => null)
        : null;
    return this.pages.render(
      req,
      reply,
      'talent-support/nominate',
      { title: '推荐支教教师', status, crumbs: schemeCrumbs(s) },
      {
        scheme: schemeView(s),
        tabs: schemeTabs(actor, s, 'nominate'),
        tabsLabel: '计划页面',
        quota: quota ? { ...quota, free: Math.max(0, quota.places - quota.used) } : null,
        receiving,
        filters,
        error,
        schools: await schoolOptions(this.organisations, this.tx, actor, actor.countyId),
        titleOptions: TITLE_OPTIONS,
        rows,
        pickedTeacher: pickedTeacher ? { id: pickedTeacher.id, name: pickedTeacher.name } : null,
        pickedName: rows.find((r) => r.picked)?.name ?? pickedTeacher?.name ?? '',
        form: failed.form ?? {},
        errors: failed.errors,
        reasons: failed.reasons ?? [],
        pager: pager(`/app/schemes/${id}/nominate`, page, keep),
        action: `/app/schemes/${id}/nominate${queryString(filters)}`,
      },
    );
  }
}
