import { Get, Query, Req, Res } from '@nestjs/common';
import { AuditEntry, AuditQuery, AuditService } from '@shipei/audit';
import { Actor, CurrentActor, Roles, TransactionRunner } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shanghaiDayStart } from '../shared/format';
import { formErrors, validateInput } from '../shared/forms';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, roleLabel } from '../shared/labels';
import { pager, pickFilters } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const FILTERS = ['entity', 'action', 'entityId', 'actor', 'from', 'to', 'page'];
const DAY = 86_400_000;

/** 审计日志 (CITY_ADMIN): who did what, when, on which record, from where; field names only. */
@WebController('app/audit')
@Roles('CITY_ADMIN')
export class AuditPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() _actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, FILTERS);
    const problems: string[] = [];
    const from = filters.from ? shanghaiDayStart(filters.from) : null;
    const to = filters.to ? shanghaiDayStart(filters.to) : null;
    if (filters.from && !from) problems.push('起始日期格式应为 YYYY-MM-DD');
    if (filters.to && !to) problems.push('截止日期格式应为 YYYY-MM-DD');
    let actorId: number | undefined;
    if (filters.actor) {
      actorId = (await this.names.staffUserId(filters.actor)) ?? undefined;
      if (actorId === undefined) problems.push(`没有用户名为「${filters.actor}」的工作人员账号`);
    }
    let page = { items: [] as AuditEntry[], total: 0, page: 1, pageSize: 20 };
    if (!problems.length) {
      try {
        const q = await validateInput(
          AuditQuery,
          {
            entity: filters.entity,
            action: filters.action,
            entityId: filters.entityId,
            actorId,
            from: from?.toISOString(),
            // The "to" day is included: up to the start of the next day.
            to: to ? new Date(to.getTime() + DAY).toISOString() : undefined,
            page: filters.page,
            pageSize: 20,
          },
          'query',
        );
        page = await this.tx.read((em) => this.audit.list(em, q, q));
      } catch (e) {
        const errors = formErrors(e, []);
        if (!errors) throw e;
        problems.push(errors.summary);
      }
    }
    const users = await this.names.users(page.items.map((a) => a.actorId));
    const rows = page.items.map((a) => {
      const u = a.actorId ? users.get(a.actorId) : undefined;
      return {
        ...a,
        actorName: a.actorId ? (u?.displayName ?? `#${a.actorId}`) : '系统',
        actorUsername: u?.username ?? '',
        actorRoleLabel: roleLabel(a.actorRole),
      };
    });
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'audit/list',
      { title: '审计日志', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error: problems.join('；') || null,
        entities: Object.entries(AUDIT_ENTITIES).map(([value, label]) => ({ value, label })),
        actions: Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label })),
        rows,
        pager: pager('/app/audit', page, keep),
      },
    );
  }
}
