import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe } from '@shipei/core';
import { AnnouncementQuery, AnnouncementsService, AnnouncementSummaryDto } from '@shipei/notifications';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileSize } from '../shared/format';
import { formErrors, validateInput } from '../shared/forms';
import { pager, pickFilters } from '../shared/list';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const LIST = '/app/announcements';

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
        pager: pager(LIST, page, {}),
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
