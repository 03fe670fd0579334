import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, ConflictError, CurrentActor, IdPipe, Roles } from '@shipei/core';
import {
  CHANNEL_LABELS,
  DeliveriesService,
  DELIVERY_STATUS_LABELS,
  DeliveryDto,
  DeliveryQuery,
  MESSAGE_TYPE_LABELS,
  messageTypeLabel,
} from '@shipei/notifications';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, formErrors, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const LIST = '/app/deliveries';
const FILTERS = ['channel', 'status', 'type', 'page'];
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** 发送记录 (CITY_ADMIN): every SMS and e-mail, what failed and the gateway's answer; 重发 a failed one. */
@WebController('app/deliveries')
@Roles('CITY_ADMIN')
export class DeliveriesPagesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const filters = pickFilters(query, FILTERS);
    let error: string | null = null;
    let page = { items: [] as DeliveryDto[], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.deliveries.list(await validateInput(DeliveryQuery, { ...filters, pageSize: 20 }, 'query'));
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'deliveries/list',
      { title: '发送记录', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error,
        channels: options(CHANNEL_LABELS),
        statuses: options(DELIVERY_STATUS_LABELS),
        types: options(MESSAGE_TYPE_LABELS),
        back: `${LIST}${queryString(filters)}`,
        rows: page.items.map((d) => ({
          ...d,
          channelLabel: CHANNEL_LABELS[d.channel],
          statusLabel: DELIVERY_STATUS_LABELS[d.status],
          typeLabel: messageTypeLabel(d.type),
          failed: d.status === 'FAILED',
        })),
        pager: pager(LIST, page, keep),
      },
    );
  }

  @Post(':id/resend')
  @HttpCode(303)
  async resend(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    // Back to the list as it was filtered; only ever this list.
    const back = field(body, 'back');
    const kept = back.startsWith(`${LIST}?`)
      ? Object.fromEntries(new URLSearchParams(back.slice(LIST.length + 1)))
      : {};
    const to = `${LIST}${queryString(pickFilters(kept, FILTERS))}`;
    try {
      await this.deliveries.resend(actor, id);
      this.pages.redirect(reply, to, { tone: 'success', text: '已重新排入发送队列' });
    } catch (e) {
      // Resent meanwhile by someone else (no longer FAILED): say so on the list, not on an error page.
      if (!(e instanceof ConflictError)) throw e;
      this.pages.redirect(reply, to, { tone: 'error', text: e.message });
    }
  }
}
