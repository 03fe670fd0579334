import { Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe } from '@shipei/core';
import { InboxQuery, InboxService, NotificationDto } from '@shipei/notifications';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, validateInput } from '../shared/forms';
import { pager, pickFilters } from '../shared/list';
import { safeNext } from '../shared/page-exception.filter';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const LIST = '/app/messages';

/** 消息 (every signed-in user): their own inbox, newest first; opening one marks it read. */
@WebController('app/messages')
export class MessagesPagesController {
  constructor(
    private readonly inbox: InboxService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, ['unread', 'page']);
    let error: string | null = null;
    let page = { items: [] as NotificationDto[], total: 0, unread: 0, page: 1, pageSize: 20 };
    try {
      const q = await validateInput(InboxQuery, { ...filters, pageSize: 20 }, 'query');
      page = await this.inbox.list(actor, q);
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'messages/list',
      { title: '消息', crumbs: [{ label: '首页', href: '/app' }], phone: actor.role === 'TEACHER' },
      {
        error,
        onlyUnread: filters.unread === 'true',
        unread: page.unread,
        rows: page.items.map((m) => ({ ...m, unread: m.readAt === null, hasLink: !!safeNext(m.link) })),
        pager: pager(LIST, page, keep),
      },
    );
  }

  /** Marks the message read and goes to the page it is about (or back to the list). */
  @Post(':id/open')
  @HttpCode(303)
  async open(@Res() reply: FastifyReply, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    const message = await this.inbox.one(actor, id);
    await this.inbox.read(actor, id);
    this.pages.redirect(reply, safeNext(message.link) ?? LIST);
  }

  @Post('read-all')
  @HttpCode(303)
  async readAll(@Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    await this.inbox.readAll(actor);
    this.pages.redirect(reply, LIST, { tone: 'success', text: '已全部标为已读' });
  }
}
