import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  AccountSlips,
  AccountsService,
  accountState,
  CreateUserDto,
  OpenAccountsDto,
  UsersService,
} from '@shipei/auth';
import { Actor, CurrentActor, IdPipe, Roles, TransactionRunner } from '@shipei/core';
import {
  CreateTeacherDto,
  OrganisationQuery,
  OrganisationsService,
  TeacherDto,
  TeacherQuery,
  TeachersService,
  UpdateTeacherDto,
} from '@shipei/people';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { backTo, field, FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { cursorPager, CursorPage, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { sendPdf } from '../trainer/training-view';
import {
  BACKBONE_OPTIONS,
  PUTONGHUA_OPTIONS,
  STAGE_OPTIONS,
  teacherRow,
  TITLE_OPTIONS,
  YES_NO_OPTIONS,
} from './teacher-view';

const FILTERS = [
  'q',
  'countyId',
  'schoolId',
  'stage',
  'subject',
  'title',
  'backboneLevel',
  'povertyVillage',
  'receivingSchool',
  'page',
  'after',
  'before',
];

/** Form fields → the JSON types of CreateTeacherDto / UpdateTeacherDto. */
const SPEC = {
  name: 'text',
  idNumber: 'text',
  phone: 'text',
  schoolId: 'int',
  stage: 'text',
  subject: 'text',
  title: 'text',
  backboneLevel: 'text',
  teachingStartYear: 'int',
  qualificationCertNo: 'text',
  putonghuaLevel: 'text',
  appraisalsQualified: 'bool',
  onProbation: 'bool',
  specialPost: 'bool',
} as const;
const FORM_FIELDS = Object.keys(SPEC);
/** Optional fields an edit may clear. */
const CLEARABLE = ['stage', 'subject', 'title', 'teachingStartYear', 'qualificationCertNo', 'putonghuaLevel'];
/** Conflicts that belong to one field. */
const FIELD_OF_CODE = { DUPLICATE_ID_NUMBER: 'idNumber', DUPLICATE_PHONE: 'phone', NOT_A_SCHOOL: 'schoolId' };

type Option = { value: number | string; label: string };

/** 教师管理: list with filters (masked), add, edit, detail, open a login account. City: all; county: its own. */
@WebController('app/teachers')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class TeachersPagesController {
  constructor(
    private readonly teachers: TeachersService,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly slips: AccountSlips,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  private async counties(actor: Actor): Promise<Option[]> {
    if (actor.role !== 'CITY_ADMIN') return [];
    const page = await this.tx.read(async (em) =>
      this.organisations.list(
        em,
        actor,
        await validateInput(OrganisationQuery, { type: 'COUNTY', pageSize: 100 }, 'query'),
      ),
    );
    return page.items.map((c) => ({ value: c.id, label: c.name }));
  }

  /** The schools of one county (a county admin: its own), for the school selects. */
  private async schools(actor: Actor, countyId: number | null | undefined): Promise<Option[]> {
    const county = actor.role === 'CITY_ADMIN' ? countyId : actor.countyId;
    if (!county) return [];
    const q = await validateInput(OrganisationQuery, { type: 'SCHOOL', countyId: county }, 'query');
    q.pageSize = 5000; // every school of one county for the select (the API's pages stop at 200)
    const page = await this.tx.read((em) => this.organisations.list(em, actor, q));
    return page.items.map((s) => ({ value: s.id, label: s.name }));
  }

  private crumbs(extra: { label: string; href?: string }[] = []) {
    return [{ label: '首页', href: '/app' }, { label: '教师管理', href: '/app/teachers' }, ...extra];
  }

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const filters = pickFilters(query, FILTERS);
    if (!city) delete filters.countyId;
    let error: string | null = null;
    let page: CursorPage<TeacherDto> = {
      items: [],
      total: 0,
      totalExact: true,
      page: 1,
      pageSize: 20,
      next: null,
      prev: null,
    };
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
    const accounts = await this.tx.read((em) =>
      this.users.ofTeachers(
        em,
        actor,
        page.items.map((t) => t.id),
      ),
    );
    const { page: _p, after: _a, before: _b, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'teachers/list',
      { title: '教师管理', crumbs: [{ label: '首页', href: '/app' }] },
      {
        city,
        filters,
        error,
        counties: await this.counties(actor),
        schools: await this.schools(actor, Number(filters.countyId) || null),
        stageOptions: STAGE_OPTIONS,
        titleOptions: TITLE_OPTIONS,
        putonghuaOptions: PUTONGHUA_OPTIONS,
        backboneOptions: BACKBONE_OPTIONS,
        yesNo: YES_NO_OPTIONS,
        rows: page.items.map((t) => {
          const account = accounts.get(t.id);
          return { ...teacherRow(t, names), accountState: account ? accountState(account) : null };
        }),
        pager: cursorPager('/app/teachers', page, keep),
        back: req.url,
        exportHref: `/api/v1/teachers/export${queryString(keep)}`,
      },
    );
  }

  @Get('new')
  async newForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query('countyId') countyId?: string,
  ): Promise<void> {
    return this.showForm(req, reply, actor, null, {
      countyId: actor.role === 'CITY_ADMIN' ? Number(countyId) || null : actor.countyId,
      backboneLevel: 'NONE',
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
    const form = readForm(body, SPEC);
    try {
      const teacher = await this.teachers.create(actor, await validateInput(CreateTeacherDto, form));
      return this.pages.redirect(reply, `/app/teachers/${teacher.id}`, {
        tone: 'success',
        text: `已添加教师「${teacher.name}」。`,
      });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS, FIELD_OF_CODE);
      if (!errors) throw e;
      return this.showForm(
        req,
        reply,
        actor,
        null,
        { ...form, countyId: Number(field(body, 'countyId')) || actor.countyId },
        errors,
      );
    }
  }

  /**
   * 批量开通账号: the ticked teachers' accounts (username = phone, a one-time password each), answered
   * with the printable slips (PDF, in a new tab); those who had an account keep their password.
   */
  @Post('accounts')
  @HttpCode(200)
  async openAccounts(@Res() reply: FastifyReply, @CurrentActor() actor: Actor, @Body() body: FormBody): Promise<void> {
    const back = backTo(body, '/app/teachers');
    const ids = readForm(body, { teacherIds: 'list' }).teacherIds as string[];
    if (!ids.length) return this.pages.redirect(reply, back, { tone: 'error', text: '请先勾选要开通账号的教师。' });
    try {
      const dto = await validateInput(OpenAccountsDto, {
        teacherIds: ids.map((v) => (/^\d{1,15}$/.test(v) ? Number(v) : v)),
      });
      const opened = await this.accounts.openForTeachers(actor, dto.teacherIds);
      return sendPdf(reply, '账号开通通知单.pdf', await this.slips.render(opened));
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: errors.summary });
    }
  }

  @Get(':id')
  async detail(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query('full') full?: string,
  ): Promise<void> {
    return this.showDetail(req, reply, actor, id, full === 'true');
  }

  private async showDetail(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    full: boolean,
    account?: { form: Record<string, unknown>; errors: FormErrors },
  ): Promise<void> {
    const teacher = await this.tx.read((em) => this.teachers.get(em, actor, id, full));
    const names = await this.names.organisations([teacher.schoolId, teacher.countyId]);
    const login = (await this.tx.read((em) => this.users.ofTeachers(em, actor, [id]))).get(id);
    return this.pages.render(
      req,
      reply,
      'teachers/detail',
      { title: teacher.name, crumbs: this.crumbs(), status: account ? 400 : 200 },
      {
        teacher: teacherRow(teacher, names),
        city: actor.role === 'CITY_ADMIN',
        revealed: full && actor.role === 'CITY_ADMIN',
        account: account ?? { form: {}, errors: null },
        login: login ? { ...login, state: accountState(login) } : null,
        back: `/app/teachers/${id}`,
      },
    );
  }

  @Post(':id/account')
  @HttpCode(200)
  async openAccount(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const form = {
      username: field(body, 'username'),
      password: typeof body?.password === 'string' ? body.password : '',
    };
    try {
      const dto = await validateInput(CreateUserDto, { ...form, role: 'TEACHER', teacherId: id });
      await this.users.create(actor, dto);
      return this.pages.redirect(reply, `/app/teachers/${id}`, {
        tone: 'success',
        text: '已开通登录账号。请将手机号和初始密码告知本人，首次登录须修改密码。',
      });
    } catch (e) {
      const errors = formErrors(e, ['username', 'password'], { USERNAME_TAKEN: 'username' });
      if (!errors) throw e;
      return this.showDetail(req, reply, actor, id, false, { form: { username: form.username }, errors });
    }
  }

  @Get(':id/edit')
  async editForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query('countyId') countyId?: string,
  ): Promise<void> {
    const teacher = await this.tx.read((em) => this.teachers.get(em, actor, id));
    const county = actor.role === 'CITY_ADMIN' && Number(countyId) ? Number(countyId) : teacher.countyId;
    // The phone is shown masked; left blank it stays as it is.
    return this.showForm(req, reply, actor, teacher, {
      ...teacher,
      phone: '',
      countyId: county,
      schoolId: county === teacher.countyId ? teacher.schoolId : null,
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
    const teacher = await this.tx.read((em) => this.teachers.get(em, actor, id));
    const { idNumber: _ignored, ...form } = readForm(body, SPEC, { emptyAsNull: CLEARABLE });
    try {
      const saved = await this.teachers.update(actor, id, await validateInput(UpdateTeacherDto, form));
      return this.pages.redirect(reply, `/app/teachers/${id}`, {
        tone: 'success',
        text: `已保存教师「${saved.name}」的信息。`,
      });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS, FIELD_OF_CODE);
      if (!errors) throw e;
      return this.showForm(
        req,
        reply,
        actor,
        teacher,
        { ...form, countyId: Number(field(body, 'countyId')) || teacher.countyId },
        errors,
      );
    }
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    teacher: TeacherDto | null,
    form: Record<string, unknown>,
    errors?: FormErrors,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const countyId = (form.countyId as number | null) ?? null;
    const counties = await this.counties(actor);
    const title = teacher ? `编辑教师：${teacher.name}` : '添加教师';
    const base = teacher ? `/app/teachers/${teacher.id}/edit` : '/app/teachers/new';
    return this.pages.render(
      req,
      reply,
      'teachers/form',
      {
        title,
        status: errors ? 400 : 200,
        crumbs: this.crumbs(teacher ? [{ label: teacher.name, href: `/app/teachers/${teacher.id}` }] : []),
      },
      {
        teacher,
        action: base,
        cancel: teacher ? `/app/teachers/${teacher.id}` : '/app/teachers',
        city,
        countyId,
        countyName: city
          ? (counties.find((c) => c.value === countyId)?.label ?? '')
          : await this.names.organisation(actor.countyId),
        counties,
        schools: await this.schools(actor, countyId),
        stageOptions: STAGE_OPTIONS,
        titleOptions: TITLE_OPTIONS,
        putonghuaOptions: PUTONGHUA_OPTIONS,
        backboneOptions: BACKBONE_OPTIONS,
        form,
        errors,
      },
    );
  }
}
