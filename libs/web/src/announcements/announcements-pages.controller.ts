import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, PageQuery, Roles, TransactionRunner } from '@shipei/core';
import {
  AnnouncementQuery,
  AnnouncementsService,
  AnnouncementSummaryDto,
  CreateAnnouncementDto,
  readAnnouncementFile,
} from '@shipei/notifications';
import { OrganisationQuery, OrganisationsService } from '@shipei/people';
import { CohortsService, ProgramQuery, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileSize } from '../shared/format';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { pager, pickFilters } from '../shared/list';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { idOf, refusal } from '../trainer/training-view';

const LIST = '/app/announcements';
const FORM_FIELDS = ['title', 'body', 'audience'];
/** The newest programs offered as an audience (and their cohorts). */
const PROGRAM_CHOICES = 30;

/** "已读 312 / 400" and the share for the bar, for the organisation that posted it. */
const readShare = (a: Pick<AnnouncementSummaryDto, 'reads' | 'recipients'>) =>
  a.recipients === null
    ? null
    : {
        reads: a.reads ?? 0,
        recipients: a.recipients,
        percent: a.recipients ? Math.round(((a.reads ?? 0) * 100) / a.recipients) : 0,
      };

/**
 * 通知公告 (everyone signed in): the notices addressed to them — and, for the city and the posting
 * county, their own with read counts. Opening one is reading it: its read mark (and its inbox
 * message's) is set by that visit, the author's count is of people who opened it.
 */
@WebController('app/announcements')
export class AnnouncementsPagesController {
  constructor(
    private readonly announcements: AnnouncementsService,
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, ['page']);
    let error: string | null = null;
    let page = { items: [] as AnnouncementSummaryDto[], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.announcements.list(
        actor,
        await validateInput(AnnouncementQuery, { ...filters, pageSize: 20 }, 'query'),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    return this.pages.render(
      req,
      reply,
      'announcements/list',
      { title: '通知公告', crumbs: [{ label: '首页', href: '/app' }], phone: actor.role === 'TEACHER' },
      {
        error,
        rows: page.items.map((a) => ({ ...a, unread: a.addressed && a.readAt === null, share: readShare(a) })),
        mayPost: actor.role === 'CITY_ADMIN' || actor.role === 'COUNTY_ADMIN',
        pager: pager(LIST, page, {}),
      },
    );
  }

  @Get('new')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  async newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    return this.showForm(req, reply, actor, { title: '', body: '', countyIds: [], programId: '', cohortId: '' });
  }

  @Post()
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
  ): Promise<void> {
    const form = readForm(body, {
      title: 'text',
      body: 'text',
      countyIds: 'list',
      programId: 'text',
      cohortId: 'text',
    });
    const countyIds = ((form.countyIds as string[]) ?? []).map((v) => idOf(v) ?? v);
    const programId = form.programId ? (idOf(String(form.programId)) ?? form.programId) : undefined;
    const cohortId = form.cohortId ? (idOf(String(form.cohortId)) ?? form.cohortId) : undefined;
    try {
      const dto = await validateInput(CreateAnnouncementDto, {
        title: form.title ?? '',
        body: form.body ?? '',
        audience: { ...(countyIds.length ? { countyIds } : {}), programId, cohortId },
      });
      const a = await this.announcements.post(actor, dto);
      return this.pages.redirect(reply, `${LIST}/${a.id}`, {
        tone: 'success',
        text: `通知已发布，已发送给 ${a.recipients} 人。`,
      });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS, {
        ANNOUNCEMENT_AUDIENCE_FORBIDDEN: 'audience',
        ANNOUNCEMENT_NO_RECIPIENTS: 'audience',
        NOT_FOUND: 'audience',
      });
      if (!errors) throw e;
      for (const f of ['audience.countyIds', 'audience.programId', 'audience.cohortId'])
        if (errors.fields[f]) errors.fields.audience ??= errors.fields[f];
      return this.showForm(
        req,
        reply,
        actor,
        {
          title: String(form.title ?? ''),
          body: String(form.body ?? ''),
          countyIds: countyIds.filter((v): v is number => typeof v === 'number'),
          programId: String(form.programId ?? ''),
          cohortId: String(form.cohortId ?? ''),
        },
        errors,
        400,
      );
    }
  }

  /** The posting organisation adds a file (PDF, Office or image, by content); back to the notice. */
  @Post(':id/attachments')
  @HttpCode(303)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  async attach(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const a = await this.announcements.attach(actor, id, await readAnnouncementFile(req));
      return this.pages.redirect(reply, `${LIST}/${id}`, {
        tone: 'success',
        text: `附件已上传（共 ${a.attachments.length} 个）。`,
      });
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, `${LIST}/${id}`, flash);
    }
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    form: { title: string; body: string; countyIds: number[]; programId: string; cohortId: string },
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const choices = await this.choices(actor);
    return this.pages.render(
      req,
      reply,
      'announcements/form',
      {
        title: '发布通知',
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '通知公告', href: LIST },
        ],
        status,
      },
      {
        form,
        errors,
        counties: choices.counties.map((c) => ({ ...c, checked: form.countyIds.includes(c.id) })),
        programs: choices.programs,
        cohorts: choices.cohorts,
        county: actor.role === 'COUNTY_ADMIN',
      },
    );
  }

  /** Whom the poster may choose: counties (a county: its own), the programs it sees (not drafts) and their cohorts. */
  private async choices(actor: Actor) {
    return this.tx.read(async (em) => {
      const counties = await this.organisations.list(
        em,
        actor,
        await validateInput(OrganisationQuery, { type: 'COUNTY', pageSize: 100 }, 'query'),
      );
      const programs = (
        await this.programs.list(em, actor, await validateInput(ProgramQuery, { pageSize: PROGRAM_CHOICES }, 'query'))
      ).items.filter((p) => p.status !== 'DRAFT');
      const cohorts: { value: number; label: string }[] = [];
      for (const p of programs)
        for (const c of (
          await this.cohorts.list(em, actor, p.id, await validateInput(PageQuery, { pageSize: 100 }, 'query'))
        ).items)
          cohorts.push({ value: c.id, label: `${p.title} · ${c.name}` });
      return {
        counties: counties.items
          .filter((c) => actor.role === 'CITY_ADMIN' || c.id === actor.countyId)
          .map((c) => ({ id: c.id, name: c.name })),
        programs: programs.map((p) => ({ value: p.id, label: p.title })),
        cohorts,
      };
    });
  }

  @Get(':id')
  async detail(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const a = await this.announcements.read(actor, id);
    return this.pages.render(
      req,
      reply,
      'announcements/detail',
      {
        title: a.title,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '通知公告', href: LIST },
        ],
        phone: actor.role === 'TEACHER',
      },
      {
        a,
        share: readShare(a),
        files: a.attachments.map((f) => ({
          ...f,
          size: fileSize(f.size),
          href: `/api/v1/announcements/${a.id}/attachments/${f.id}`,
        })),
        unreadMore:
          a.unread && a.recipients !== null ? Math.max(0, (a.recipients ?? 0) - (a.reads ?? 0) - a.unread.length) : 0,
      },
    );
  }
}
