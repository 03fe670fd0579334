import { Get, Req, Res } from '@nestjs/common';
import { UserQuery, UsersService } from '@shipei/auth';
import { Actor, CurrentActor, NotFoundError, TransactionRunner } from '@shipei/core';
import { OrganisationQuery, OrganisationsService, TeacherQuery, TeachersService } from '@shipei/people';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { teacherRow } from '../people/teacher-view';
import { validateInput } from '../shared/forms';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { TeacherHome } from '../teacher/teacher-home';

/** Each role's home page (`/app`); `/` redirects here (web-setup.ts). */
@WebController()
export class HomeController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly organisations: OrganisationsService,
    private readonly teachers: TeachersService,
    private readonly users: UsersService,
    private readonly tx: TransactionRunner,
    private readonly teacherHomeView: TeacherHome,
  ) {}

  @Get('app')
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    switch (actor.role) {
      case 'TEACHER':
        return this.teacherHome(req, reply, actor);
      case 'TRAINER':
        return this.pages.render(req, reply, 'home/trainer', { title: '工作台' });
      default:
        return this.staffHome(req, reply, actor);
    }
  }

  /**
   * Any other path under /app (up to four segments): a page, not JSON, saying it does not exist.
   * The router prefers every more specific route. Named segments rather than a wildcard, which
   * Nest 12 would log a path-to-regexp warning for at every start.
   */
  @Get(['app/:p1', 'app/:p1/:p2', 'app/:p1/:p2/:p3', 'app/:p1/:p2/:p3/:p4'])
  notFound(): never {
    throw new NotFoundError('页面');
  }

  private async count<T extends object>(
    dto: new () => T,
    list: (q: T) => Promise<{ total: number }>,
    filters: Record<string, unknown>,
  ): Promise<number> {
    return (await list(await validateInput(dto, { ...filters, pageSize: 1 }, 'query'))).total;
  }

  private async staffHome(req: FastifyRequest, reply: FastifyReply, actor: Actor): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const [counties, schools, teachers, users] = await Promise.all([
      city
        ? this.count(OrganisationQuery, (q) => this.tx.read((em) => this.organisations.list(em, actor, q)), {
            type: 'COUNTY',
          })
        : Promise.resolve(null),
      this.count(OrganisationQuery, (q) => this.tx.read((em) => this.organisations.list(em, actor, q)), {
        type: 'SCHOOL',
        countyId: city ? undefined : actor.countyId,
      }),
      this.count(TeacherQuery, (q) => this.tx.read((em) => this.teachers.list(em, actor, q)), {}),
      city
        ? this.count(UserQuery, (q) => this.tx.read((em) => this.users.list(em, actor, q)), {})
        : Promise.resolve(null),
    ]);
    const countyName = city ? '' : await this.names.organisation(actor.countyId);
    return this.pages.render(
      req,
      reply,
      'home/staff',
      { title: '工作台' },
      { city, countyName, counts: { counties, schools, teachers, users } },
    );
  }

  private async teacherHome(req: FastifyRequest, reply: FastifyReply, actor: Actor): Promise<void> {
    const teacherId = actor.teacherId;
    const teacher = teacherId ? await this.tx.read((em) => this.teachers.get(em, actor, teacherId)) : null;
    const names = teacher ? await this.names.organisations([teacher.schoolId, teacher.countyId]) : new Map();
    // The next step first (issue 19): today's sessions, a place to confirm, a form, leave, notices; then 学时.
    const home = teacher ? await this.teacherHomeView.view(actor) : null;
    return this.pages.render(
      req,
      reply,
      'home/teacher',
      { title: '我的首页', phone: true },
      { teacher: teacher ? teacherRow(teacher, names) : null, home },
    );
  }
}
