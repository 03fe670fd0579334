import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, NotFoundError, Roles, TransactionRunner } from '@shipei/core';
import {
  CreateOrganisationDto,
  OrganisationDto,
  OrganisationQuery,
  OrganisationsService,
  STAGES,
  UpdateOrganisationDto,
} from '@shipei/people';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { STAGE_OPTIONS, YES_NO_OPTIONS } from './teacher-view';

const FILTERS = ['q', 'countyId', 'povertyVillage', 'receivingSchool', 'page'];
const FORM_FIELDS = ['name', 'parentId', 'code', 'stages', 'povertyVillage', 'receivingSchool'];
const BATCH: Record<string, { patch: Partial<UpdateOrganisationDto>; done: string }> = {
  'poverty-on': { patch: { povertyVillage: true }, done: '设为贫困村学校' },
  'poverty-off': { patch: { povertyVillage: false }, done: '取消贫困村学校' },
  'receiving-on': { patch: { receivingSchool: true }, done: '设为受援学校' },
  'receiving-off': { patch: { receivingSchool: false }, done: '取消受援学校' },
};

/** 学校管理: list with filters, add, edit name/stages/flags, batch flags. City: every county; county: its own. */
@WebController('app/schools')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class SchoolsPagesController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  private async counties(actor: Actor): Promise<{ value: number; label: string }[]> {
    const q = await validateInput(OrganisationQuery, { type: 'COUNTY', pageSize: 100 }, 'query');
    const page = await this.tx.read((em) => this.organisations.list(em, actor, q));
    return page.items
      .filter((c) => actor.role === 'CITY_ADMIN' || c.id === actor.countyId)
      .map((c) => ({ value: c.id, label: c.name }));
  }

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, FILTERS);
    const city = actor.role === 'CITY_ADMIN';
    let error: string | null = null;
    let page = { items: [] as OrganisationDto[], total: 0, page: 1, pageSize: 20 };
    try {
      const q = await validateInput(
        OrganisationQuery,
        { ...filters, countyId: city ? filters.countyId : undefined, type: 'SCHOOL', pageSize: 20 },
        'query',
      );
      page = await this.tx.read((em) => this.organisations.list(em, actor, q));
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const names = await this.names.organisations(page.items.map((s) => s.countyId));
    const rows = page.items.map((s) => ({ ...s, countyName: names.get(s.countyId ?? 0) ?? '' }));
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'schools/list',
      { title: '学校管理', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error,
        city,
        counties: city ? await this.counties(actor) : [],
        yesNo: YES_NO_OPTIONS,
        rows,
        pager: pager('/app/schools', page, keep),
        back: `/app/schools${queryString(filters)}`,
      },
    );
  }

  @Get('new')
  async newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    return this.showForm(req, reply, actor, null, {
      parentId: actor.countyId ?? '',
      stages: [],
      povertyVillage: false,
      receivingSchool: false,
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
    const form = readForm(body, {
      name: 'text',
      parentId: 'int',
      code: 'text',
      stages: 'list',
      povertyVillage: 'bool',
      receivingSchool: 'bool',
    });
    if (actor.role !== 'CITY_ADMIN') form.parentId = actor.countyId;
    try {
      const dto = await validateInput(CreateOrganisationDto, { ...form, type: 'SCHOOL' });
      const school = await this.organisations.create(actor, dto);
      return this.pages.redirect(reply, '/app/schools', { tone: 'success', text: `已添加学校「${school.name}」。` });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS, { DUPLICATE: 'code' });
      if (!errors) throw e;
      return this.showForm(req, reply, actor, null, form, errors);
    }
  }

  @Get(':id/edit')
  async editForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const school = await this.school(actor, id);
    return this.showForm(req, reply, actor, school, { ...school, parentId: school.countyId });
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
    const school = await this.school(actor, id);
    const form = readForm(body, { name: 'text', stages: 'list', povertyVillage: 'bool', receivingSchool: 'bool' });
    try {
      const dto = await validateInput(UpdateOrganisationDto, form);
      await this.organisations.update(actor, id, dto);
      return this.pages.redirect(reply, '/app/schools', {
        tone: 'success',
        text: `已保存学校「${String(form.name ?? school.name)}」。`,
      });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS);
      if (!errors) throw e;
      return this.showForm(
        req,
        reply,
        actor,
        school,
        { ...form, code: school.code, parentId: school.countyId },
        errors,
      );
    }
  }

  @Post('batch')
  async batch(@Res() reply: FastifyReply, @CurrentActor() actor: Actor, @Body() body: FormBody): Promise<void> {
    const action = BATCH[String(body?.action ?? '')];
    const ids = [
      ...new Set(
        (Array.isArray(body?.ids) ? body.ids : body?.ids ? [body.ids] : [])
          .map(Number)
          .filter((n) => Number.isSafeInteger(n) && n > 0),
      ),
    ].slice(0, 200);
    const back = typeof body?.back === 'string' && body.back.startsWith('/app/schools') ? body.back : '/app/schools';
    if (!action || !ids.length)
      return this.pages.redirect(reply, back, { tone: 'error', text: '请先勾选学校，再选择批量操作。' });
    let done = 0;
    const failed: string[] = [];
    for (const id of ids) {
      try {
        await this.organisations.update(actor, id, Object.assign(new UpdateOrganisationDto(), action.patch));
        done++;
      } catch (e) {
        const errors = formErrors(e, []);
        if (!errors) throw e;
        failed.push(errors.summary);
      }
    }
    const text = failed.length
      ? `${done} 所学校已${action.done}；${failed.length} 所未能修改：${[...new Set(failed)].join('；')}`
      : `${done} 所学校已${action.done}。`;
    return this.pages.redirect(reply, back, { tone: failed.length ? 'error' : 'success', text });
  }

  /** A school this actor may see; other units are not handled by these pages. */
  private async school(actor: Actor, id: number): Promise<OrganisationDto> {
    const org = await this.tx.read((em) => this.organisations.get(em, actor, id));
    if (org.type !== 'SCHOOL') throw new NotFoundError('学校');
    return org;
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    school: OrganisationDto | null,
    form: Record<string, unknown>,
    errors?: FormErrors,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const counties = await this.counties(actor);
    const title = school ? `编辑学校：${school.name}` : '添加学校';
    return this.pages.render(
      req,
      reply,
      'schools/form',
      {
        title,
        status: errors ? 400 : 200,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '学校管理', href: '/app/schools' },
        ],
      },
      {
        editing: !!school,
        action: school ? `/app/schools/${school.id}/edit` : '/app/schools/new',
        city,
        counties,
        countyName: counties.find((c) => c.value === (form.parentId ?? actor.countyId))?.label ?? '',
        stageOptions: STAGE_OPTIONS,
        stages: STAGES,
        form,
        errors,
      },
    );
  }
}
