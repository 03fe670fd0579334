import { Body, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { CreateUserDto, UserQuery, UsersService } from '@shipei/auth';
import { Actor, CurrentActor, ROLES, Roles, TransactionRunner } from '@shipei/core';
import { OrganisationQuery, OrganisationsService } from '@shipei/people';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { roleLabel } from '../shared/labels';
import { pager, pickFilters } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const FORM_FIELDS = ['username', 'password', 'role', 'organisationId', 'displayName', 'email'];
/** Staff roles created here; teacher accounts are opened from the teacher's page. */
const STAFF_ROLES = ROLES.filter((r) => r !== 'TEACHER').map((r) => ({ value: r, label: roleLabel(r) }));

/** 账号管理 (CITY_ADMIN): accounts list by role, new staff account with a one-time password. */
@WebController('app/users')
@Roles('CITY_ADMIN')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
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
    const filters = pickFilters(query, ['role', 'page']);
    let error: string | null = null;
    let page = { items: [] as Awaited<ReturnType<UsersService['list']>>['items'], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.tx.read(async (em) =>
        this.users.list(em, actor, await validateInput(UserQuery, { ...filters, pageSize: 20 }, 'query')),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const names = await this.names.organisations(page.items.map((u) => u.organisationId));
    const rows = page.items.map((u) => ({
      ...u,
      roleLabel: roleLabel(u.role),
      unitName: names.get(u.organisationId ?? 0) ?? '',
    }));
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'users/list',
      { title: '账号管理', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error,
        roles: ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
        rows,
        pager: pager('/app/users', page, keep),
      },
    );
  }

  @Get('new')
  newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    return this.showForm(req, reply, actor, { role: 'COUNTY_ADMIN' });
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
      username: 'text',
      role: 'text',
      organisationId: 'int',
      displayName: 'text',
      email: 'text',
    });
    form.password = typeof body?.password === 'string' ? body.password : '';
    try {
      const user = await this.users.create(actor, await validateInput(CreateUserDto, form));
      return this.pages.redirect(reply, '/app/users', {
        tone: 'success',
        text: `已创建账号「${user.username}」。请将初始密码告知使用人，首次登录须修改密码。`,
      });
    } catch (e) {
      const errors = formErrors(e, FORM_FIELDS, { USERNAME_TAKEN: 'username' });
      if (!errors) throw e;
      return this.showForm(req, reply, actor, { ...form, password: '' }, errors);
    }
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    form: Record<string, unknown>,
    errors?: FormErrors,
  ): Promise<void> {
    const group = async (type: string) => {
      const q = Object.assign(await validateInput(OrganisationQuery, { type }, 'query'), { pageSize: 500 });
      return (await this.tx.read((em) => this.organisations.list(em, actor, q))).items.map((o) => ({
        value: o.id,
        label: o.name,
      }));
    };
    const units = [
      { label: '市级', options: await group('CITY') },
      { label: '县区', options: await group('COUNTY') },
      { label: '承训机构', options: await group('INSTITUTION') },
      { label: '合作单位', options: await group('PARTNER') },
    ].filter((g) => g.options.length);
    return this.pages.render(
      req,
      reply,
      'users/form',
      {
        title: '新建账号',
        status: errors ? 400 : 200,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '账号管理', href: '/app/users' },
        ],
      },
      { roles: STAFF_ROLES, units, form, errors },
    );
  }
}
