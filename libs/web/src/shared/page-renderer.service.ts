import { Injectable } from '@nestjs/common';
import { AuthService } from '@shipei/auth';
import { Actor, AppConfig } from '@shipei/core';
import { InboxService } from '@shipei/notifications';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { navigationFor } from '../layout/navigation';
import { roleLabel } from './labels';
import { NameLookup } from './name-lookup.service';
import { Flash, setFlash, takeFlash } from './session-cookie';

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageOptions {
  /** The page's title (also the <h1> and the last breadcrumb). */
  title: string;
  /** Breadcrumbs above the content, before the title. */
  crumbs?: Crumb[];
  /** `app`: the frame with top bar and navigation; `bare`: a centred card (login, public pages). */
  layout?: 'app' | 'bare';
  /** Phone-first: one narrow column, large controls (teacher pages, the check-in landing page). */
  phone?: boolean;
  status?: number;
}

export type SessionActor = Actor & { mustChangePassword?: boolean };

type ViewReply = FastifyReply & { viewAsync(page: string, data: object, opts?: object): Promise<string> };

/** The signed-in user as pages show them in the top bar. */
export interface FrameUser {
  displayName: string;
  roleLabel: string;
  unitName: string;
  /** Unread messages, shown on 消息 in the top bar. */
  unread: number;
}

/**
 * Renders a page inside the frame of ui.md (top bar with platform, 消息 and its unread count, user, role, unit,
 * 修改密码 and 退出登录; navigation by role; breadcrumbs; a one-time message), and does post-redirect-get.
 */
@Injectable()
export class PageRenderer {
  constructor(
    private readonly auth: AuthService,
    private readonly names: NameLookup,
    private readonly config: AppConfig,
    private readonly inbox: InboxService,
  ) {}

  actorOf(req: FastifyRequest): SessionActor | undefined {
    return (req as FastifyRequest & { user?: SessionActor }).user;
  }

  async frameUser(actor: Actor): Promise<FrameUser> {
    const [me, unread] = await Promise.all([this.auth.me(actor), this.inbox.unread(actor.userId)]);
    return {
      displayName: me.displayName || me.username,
      roleLabel: roleLabel(me.role),
      unitName: await this.names.organisation(me.organisationId),
      unread,
    };
  }

  async render(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    opts: PageOptions,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    const html = await this.html(req, reply, view, opts, data);
    reply
      .code(opts.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      // Pages hold personal data: never kept by shared computers or proxies.
      .header('cache-control', 'no-store')
      .send(html);
  }

  async html(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    opts: PageOptions,
    data: Record<string, unknown> = {},
  ): Promise<string> {
    const actor = this.actorOf(req);
    const path = req.url.split('?')[0];
    const layout = opts.layout ?? (actor ? 'app' : 'bare');
    let frame: { user: FrameUser; nav: ReturnType<typeof navigationFor>; role: string } | null = null;
    if (actor && layout === 'app') {
      frame = {
        user: await this.frameUser(actor),
        nav: actor.mustChangePassword ? [] : navigationFor(actor.role, path),
        role: actor.role,
      };
    }
    const flash = takeFlash(req, reply, this.config);
    const context = {
      ...data,
      page: { title: opts.title, crumbs: opts.crumbs ?? [], phone: !!opts.phone, path },
      frame,
      flash,
    };
    return (reply as ViewReply).viewAsync(view, context, { layout: `layouts/${layout}` });
  }

  /** 303 See Other to a GET page, with an optional one-time message. */
  redirect(reply: FastifyReply, url: string, flash?: Flash): void {
    if (flash) setFlash(reply, this.config, flash);
    reply.header('cache-control', 'no-store').redirect(url, 303);
  }
}
