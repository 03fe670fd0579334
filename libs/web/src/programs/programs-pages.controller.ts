import { AssessmentService } from '@shipei/attendance';
import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, mapError, Roles, TransactionRunner } from '@shipei/core';
import { AccountSlips } from '@shipei/auth';
import { ProgramAccountsService, QuotaItemDto, QuotaListDto, QuotasService } from '@shipei/enrolment';
import {
  CreateProgramDto,
  PROGRAM_TRANSITIONS,
  ProgramAction,
  ProgramDto,
  ProgramQuery,
  ProgramsService,
  UpdateProgramDto,
} from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { pager, pickFilters } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { sendPdf } from '../trainer/training-view';
import {
  creatableKinds,
  decimal,
  hours,
  KIND_OPTIONS,
  kindLabel,
  mayNominate,
  MIN_BACKBONE_OPTIONS,
  ownsProgram,
  percent,
  programCrumbs,
  programTabs,
  shanghaiInstant,
  splitShanghai,
  STAGE_CHOICES,
  STATUS_OPTIONS,
} from './program-view';

const FILTERS = ['year', 'kind', 'status', 'page'];
const FORM_FIELDS = [
  'kind',
  'year',
  'title',
  'seats',
  'creditHours',
  'attendanceThreshold',
  'lateGraceMinutes',
  'nominationDeadline',
  'certificatePrefix',
  'minBackboneLevel',
  'stages',
  'subjects',
  'startDate',
  'endDate',
];

/** What each status change asks before it is made (none can be undone). */
const CONFIRM: Record<ProgramAction, string> = {
  open: '确定要开始推荐吗？开始后各县区即可推荐教师。',
  close: '确定要结束推荐吗？结束后县区不能再推荐教师。',
  start: '确定要开始培训吗？开始后不能再修改项目、名额，也不能撤回推荐。',
  finish: '确定要结束培训吗？结束后不能再建班、分班。',
};

/** The program form as typed (strings), and the DTO shape built from it. */
function readProgramForm(
  body: FormBody | undefined,
  editing = false,
): { form: Record<string, unknown>; data: Record<string, unknown> } {
  // Editing: a field left empty is sent as null, which clears what may be cleared (deadline, dates,
  // backbone level) and is refused under its field for what may not (title, seats…).
  const spec = {
    kind: 'text',
    year: 'int',
    title: 'text',
    seats: 'int',
    lateGraceMinutes: 'int',
    certificatePrefix: 'text',
    requirePovertyVillage: 'bool',
    minBackboneLevel: 'text',
    stages: 'list',
    startDate: 'text',
    endDate: 'text',
  } as const;
  const base = readForm(
    body,
    spec,
    editing
      ? {
          emptyAsNull: [
            'year',
            'title',
            'seats',
            'lateGraceMinutes',
            'certificatePrefix',
            'minBackboneLevel',
            'startDate',
            'endDate',
          ],
        }
      : {},
  );
  const orNull = (v: unknown) => (v === undefined && editing ? null : v);
  const form: Record<string, unknown> = {
    ...base,
    creditHours: field(body, 'creditHours'),
    attendanceThreshold: field(body, 'attendanceThreshold'),
    nominationDeadline: field(body, 'nominationDeadline'),
    nominationDeadlineTime: field(body, 'nominationDeadlineTime'),
    subjects: field(body, 'subjects'),
  };
  const pct = decimal(form.attendanceThreshold as string);
  const data: Record<string, unknown> = {
    ...base,
    creditHours: orNull(decimal(form.creditHours as string)),
    // Typed as a percentage (80), stored as a fraction (0.8).
    attendanceThreshold: orNull(typeof pct === 'number' ? Math.round(pct * 100) / 10000 : pct),
    nominationDeadline: orNull(
      shanghaiInstant(form.nominationDeadline as string, form.nominationDeadlineTime as string),
    ),
    subjects: (form.subjects as string)
      .split(/[,，、;；\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    minBackboneLevel: base.minBackboneLevel ?? null,
  };
  return { form, data };
}

/** 培训项目: list, create, view, edit, status changes and the county quotas (owner). City and county. */
@WebController('app/programs')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class ProgramsPagesController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly quotas: QuotasService,
    private readonly programAccounts: ProgramAccountsService,
    private readonly slips: AccountSlips,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
    private readonly assessment: AssessmentService,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, FILTERS);
    let error: string | null = null;
    let page = { items: [] as ProgramDto[], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.tx.read(async (em) =>
        this.programs.list(em, actor, await validateInput(ProgramQuery, { ...filters, pageSize: 20 }, 'query')),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const owners = await this.names.organisations(page.items.map((p) => p.ownerOrganisationId));
    const rows = page.items.map((p) => ({
      ...p,
      kindLabel: kindLabel(p.kind),
      ownerName: owners.get(p.ownerOrganisationId) ?? '',
      owner: ownsProgram(actor, p),
      nominate: mayNominate(actor, p),
      deadline: p.nominationDeadline,
      creditHoursText: hours(p.creditHours),
    }));
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'programs/list',
      { title: '培训项目', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error,
        kinds: KIND_OPTIONS,
        statuses: STATUS_OPTIONS,
        county: actor.role === 'COUNTY_ADMIN',
        rows,
        pager: pager('/app/programs', page, keep),
      },
    );
  }

  @Get('new')
  newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    const kinds = creatableKinds(actor);
    return this.showForm(req, reply, actor, null, {
      kind: kinds[0]?.value,
      year: new Date().getFullYear(),
      attendanceThreshold: '80',
      lateGraceMinutes: 15,
      requirePovertyVillage: true,
      stages: [],
    });
  }

  @Post('new')
  @HttpCode(200)
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    const { form, data } = readProgramForm(body);
    if (actor.role === 'COUNTY_ADMIN') data.kind = form.kind = 'COUNTY_THEMATIC';
    try {
      const program = await this.programs.create(actor, await validateInput(CreateProgramDto, data));
      return this.pages.redirect(reply, `/app/programs/${program.id}`, {
        tone: 'success',
        text: `已创建培训项目「${program.title}」（草稿）。请分配名额后开始推荐。`,
      });
    } catch (e) {
      return this.formFailed(req, reply, actor, null, form, e);
    }
  }

  @Get(':id')
  async detail(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const p = await this.tx.read((em) => this.programs.get(em, actor, id));
    const owner = ownsProgram(actor, p);
    const assessment = await this.assessment.items(actor, id);
    const next = (
      Object.entries(PROGRAM_TRANSITIONS) as [ProgramAction, (typeof PROGRAM_TRANSITIONS)[ProgramAction]][]
    ).find(([, t]) => t.from === p.status);
    return this.pages.render(
      req,
      reply,
      'programs/detail',
      { title: p.title, crumbs: programCrumbs() },
      {
        program: {
          ...p,
          kindLabel: kindLabel(p.kind),
          ownerName: await this.names.organisation(p.ownerOrganisationId),
          thresholdText: percent(p.attendanceThreshold),
          creditHoursText: hours(p.creditHours),
          backboneText: MIN_BACKBONE_OPTIONS.find((o) => o.value === p.minBackboneLevel)?.label ?? '不限',
        },
        tabs: programTabs(actor, p, 'overview'),
        owner,
        editable: owner && p.status !== 'RUNNING' && p.status !== 'FINISHED',
        next: owner && next ? { action: next[0], label: next[1].label, confirm: CONFIRM[next[0]] } : null,
        nominate: mayNominate(actor, p),
        openAccounts: p.approvedCount > 0,
        city: actor.role === 'CITY_ADMIN',
        assessmentText: assessment.items.length
          ? assessment.items.map((i) => `${i.name}（满分 ${i.maxScore}，及格 ${i.passMark}）`).join('；')
          : '无（结业只看出勤）',
      },
    );
  }

  /** 为学员开通账号: the approved trainees' accounts (county: its own teachers), answered with the slips (PDF). */
  @Post(':id/accounts')
  @HttpCode(200)
  async openAccounts(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const opened = await this.programAccounts.open(actor, id);
      return sendPdf(reply, '账号开通通知单.pdf', await this.slips.render(opened));
    } catch (e) {
      const errors = mapError(e).status === 404 ? null : formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, `/app/programs/${id}`, { tone: 'error', text: errors.summary });
    }
  }

  @Post(':id/status')
  async transition(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const action = field(body, 'action') as ProgramAction;
    if (!PROGRAM_TRANSITIONS[action])
      return this.pages.redirect(reply, `/app/programs/${id}`, { tone: 'error', text: '未知的操作。' });
    try {
      const p = await this.programs.transition(actor, id, action);
      return this.pages.redirect(reply, `/app/programs/${id}`, {
        tone: 'success',
        text: `已${PROGRAM_TRANSITIONS[action].label}：项目「${p.title}」。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, `/app/programs/${id}`, { tone: 'error', text: errors.summary });
    }
  }

  @Get(':id/edit')
  async editForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const p = await this.tx.read((em) => this.programs.get(em, actor, id));
    const deadline = splitShanghai(p.nominationDeadline);
    return this.showForm(req, reply, actor, p, {
      ...p,
      creditHours: hours(p.creditHours),
      attendanceThreshold: String(Number((p.attendanceThreshold * 100).toFixed(2))),
      nominationDeadline: deadline.date,
      nominationDeadlineTime: deadline.time,
      subjects: p.subjects.join('、'),
    });
  }

  @Post(':id/edit')
  @HttpCode(200)
  async update(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const p = await this.tx.read((em) => this.programs.get(em, actor, id));
    const { form, data } = readProgramForm(body, true);
    const { kind: _kind, ...patch } = data;
    form.kind = p.kind;
    try {
      const saved = await this.programs.update(actor, id, await validateInput(UpdateProgramDto, patch));
      return this.pages.redirect(reply, `/app/programs/${id}`, {
        tone: 'success',
        text: `已保存培训项目「${saved.title}」。`,
      });
    } catch (e) {
      return this.formFailed(req, reply, actor, p, form, e);
    }
  }

  private async formFailed(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    p: ProgramDto | null,
    form: Record<string, unknown>,
    e: unknown,
  ): Promise<void> {
    const errors = formErrors(e, FORM_FIELDS, {
      SEATS_BELOW_QUOTAS: 'seats',
      SEATS_BELOW_TAKEN: 'seats',
      KIND_NOT_ALLOWED: 'kind',
    });
    if (!errors) throw e;
    // The DTO speaks of a fraction; the form asks for a percentage.
    if (errors.fields.attendanceThreshold)
      errors.fields.attendanceThreshold = '出勤率要求须为 0–100 之间的数（百分比，最多 2 位小数）';
    return this.showForm(req, reply, actor, p, form, errors, mapError(e).status);
  }

  private showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    p: ProgramDto | null,
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 400,
  ): Promise<void> {
    const kinds = creatableKinds(actor);
    return this.pages.render(
      req,
      reply,
      'programs/form',
      {
        title: p ? `编辑项目：${p.title}` : '新建培训项目',
        status: errors ? status : 200,
        crumbs: programCrumbs(p ?? undefined),
      },
      {
        editing: !!p,
        action: p ? `/app/programs/${p.id}/edit` : '/app/programs/new',
        cancel: p ? `/app/programs/${p.id}` : '/app/programs',
        kinds,
        kindFixed: p ? kindLabel(p.kind) : kinds.length === 1 ? kinds[0].label : null,
        stageOptions: STAGE_CHOICES,
        backboneOptions: MIN_BACKBONE_OPTIONS,
        form,
        errors,
      },
    );
  }

  // ——— 名额分配 ———

  @Get(':id/quotas')
  async quotaPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query('use') use?: string,
  ): Promise<void> {
    return this.showQuotas(req, reply, actor, id, use === 'suggestion' ? 'suggestion' : 'current');
  }

  @Post(':id/quotas')
  @HttpCode(200)
  async saveQuotas(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const suggestion = await this.tx.read((em) => this.quotas.suggestion(em, actor, id));
    const typed: Record<number, string> = {};
    const fields: Record<string, string> = {};
    const items: QuotaItemDto[] = [];
    for (const c of suggestion.items) {
      const text = field(body, `c${c.countyId}`);
      typed[c.countyId] = text;
      if (text === '') items.push({ countyId: c.countyId, seats: 0 });
      else if (/^\d{1,6}$/.test(text)) items.push({ countyId: c.countyId, seats: Number(text) });
      else fields[`c${c.countyId}`] = '名额须为不小于 0 的整数';
    }
    if (Object.keys(fields).length)
      return this.showQuotas(
        req,
        reply,
        actor,
        id,
        typed,
        { summary: '提交未成功，请按提示修改标红的项目。', fields },
        400,
      );
    try {
      const dto = await validateInput(QuotaListDto, { items });
      await this.quotas.replace(actor, id, dto.items);
      const sum = dto.items.reduce((s, i) => s + i.seats, 0);
      return this.pages.redirect(reply, `/app/programs/${id}/quotas`, {
        tone: 'success',
        text: `已保存各县区名额，合计 ${sum} 人（总名额 ${suggestion.seats} 人）。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.showQuotas(req, reply, actor, id, typed, errors, mapError(e).status);
    }
  }

  /**
   * The split: each county's eligible teachers, the suggested seats (largest remainder), what is
   * set now and what it holds; the inputs hold the current quotas, or the suggestion when asked
   * for (or when nothing is set yet), or what was typed after a failed save.
   */
  private async showQuotas(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    values: 'current' | 'suggestion' | Record<number, string>,
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const p = await this.tx.read((em) => this.programs.get(em, actor, id));
    const [suggestion, current] = await Promise.all([
      this.tx.read((em) => this.quotas.suggestion(em, actor, id)),
      this.tx.read((em) => this.quotas.list(em, actor, id)),
    ]);
    const now = new Map(current.map((q) => [q.countyId, q]));
    const fromSuggestion = values === 'suggestion' || (values === 'current' && current.length === 0);
    const rows = suggestion.items.map((c) => {
      const q = now.get(c.countyId);
      const value =
        typeof values === 'object' ? values[c.countyId] : fromSuggestion ? String(c.seats) : String(q?.seats ?? 0);
      return {
        ...c,
        current: q?.seats ?? 0,
        nominated: q?.nominatedCount ?? 0,
        value,
        name: `c${c.countyId}`,
        error: errors?.fields[`c${c.countyId}`],
      };
    });
    const typedSum = rows.reduce((s, r) => s + (/^\d+$/.test(r.value) ? Number(r.value) : 0), 0);
    return this.pages.render(
      req,
      reply,
      'programs/quotas',
      { title: '名额分配', status, crumbs: programCrumbs(p) },
      {
        program: p,
        tabs: programTabs(actor, p, 'quotas'),
        rows,
        errors,
        fromSuggestion,
        editable: p.status !== 'RUNNING' && p.status !== 'FINISHED',
        seats: suggestion.seats,
        eligibleTeachers: suggestion.eligibleTeachers,
        suggestedSum: rows.reduce((s, r) => s + r.seats, 0),
        currentSum: rows.reduce((s, r) => s + r.current, 0),
        nominatedSum: rows.reduce((s, r) => s + r.nominated, 0),
        typedSum,
        over: typedSum > suggestion.seats,
      },
    );
  }
}
