import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  CertificateDto,
  CertificateIssuer,
  CertificateQuery,
  CertificatesService,
  RevokeCertificateDto,
} from '@shipei/certificates';
import { Actor, CurrentActor, IdPipe, mapError, NotFoundError, Roles, TransactionRunner } from '@shipei/core';
import { EnrolmentQuery, EnrolmentsService } from '@shipei/enrolment';
import { CohortsService, ProgramQuery, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, FormErrors, formErrors, safeBack, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { hours, ownsProgram, programCrumbs, programTabs } from '../programs/program-view';

const FILTERS = ['programId', 'status', 'number', 'page'];
const STATUS_OPTIONS = [
  { value: 'VALID', label: '有效' },
  { value: 'REVOKED', label: '已撤销' },
];

function certificateRow(c: CertificateDto) {
  return { ...c, creditHoursText: hours(c.creditHours) };
}

/** 结业证书 of a cohort (owner): issue for every completed trainee, print the cohort's PDF, revoke one. */
@WebController('app/programs')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class CohortCertificatesPagesController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly enrolments: EnrolmentsService,
    private readonly certificates: CertificatesService,
    private readonly issuer: CertificateIssuer,
    private readonly pages: PageRenderer,
    private readonly tx: TransactionRunner,
  ) {}

  @Get(':id/cohorts/:cid/certificates')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, cid));
    if (cohort.programId !== program.id) throw new NotFoundError('班级');
    const count = async (status: string) =>
      (
        await this.tx.read(async (em) =>
          this.enrolments.list(
            em,
            actor,
            await validateInput(EnrolmentQuery, { programId: id, cohortId: cid, status, pageSize: 1 }, 'query'),
          ),
        )
      ).total;
    const [completed, notCompleted, list] = await Promise.all([
      count('COMPLETED'),
      count('NOT_COMPLETED'),
      this.certificates.list(actor, await validateInput(CertificateQuery, { cohortId: cid, pageSize: 200 }, 'query')),
    ]);
    const valid = list.items.filter((c) => c.status === 'VALID').length;
    const base = `/app/programs/${id}/cohorts/${cid}`;
    return this.pages.render(
      req,
      reply,
      'certificates/cohort',
      {
        title: `结业证书：${cohort.name}`,
        crumbs: programCrumbs(program, [
          { label: '班级与分班', href: `/app/programs/${id}/cohorts` },
          { label: cohort.name, href: base },
        ]),
      },
      {
        program,
        cohort,
        tabs: programTabs(actor, program, 'cohorts'),
        owner: ownsProgram(actor, program),
        base,
        completed,
        notCompleted,
        valid,
        missing: Math.max(0, completed - valid),
        rows: list.items.map(certificateRow),
        more: list.total > list.items.length ? list.total - list.items.length : 0,
        back: encodeURIComponent(`${base}/certificates`),
      },
    );
  }

  @Post(':id/cohorts/:cid/certificates')
  async issue(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
  ): Promise<void> {
    const back = `/app/programs/${id}/cohorts/${cid}/certificates`;
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, cid));
    if (cohort.programId !== id) throw new NotFoundError('班级');
    try {
      const outcomes = await this.issuer.issueForCohort(actor, cid);
      const created = outcomes.filter((o) => o.created).length;
      return this.pages.redirect(reply, back, {
        tone: 'success',
        text: created
          ? `已颁发 ${created} 份证书（本班共 ${outcomes.length} 份有效证书）。`
          : `本班已结业学员均已有证书（共 ${outcomes.length} 份），未重复颁发。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, back, { tone: 'error', text: errors.summary });
    }
  }
}

/** 证书登记: every certificate the actor may see, filtered; the register export of a program; revocation with a reason. */
@WebController('app/certificate-register')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class CertificateRegisterPagesController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly certificates: CertificatesService,
    private readonly issuer: CertificateIssuer,
    private readonly pages: PageRenderer,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const filters = pickFilters(query, FILTERS);
    let error: string | null = null;
    let page = { items: [] as CertificateDto[], total: 0, page: 1, pageSize: 20 };
    try {
      page = await this.certificates.list(
        actor,
        await validateInput(CertificateQuery, { ...filters, pageSize: 20 }, 'query'),
      );
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const programs = (
      await this.tx.read(async (em) =>
        this.programs.list(em, actor, await validateInput(ProgramQuery, { pageSize: 200 }, 'query')),
      )
    ).items;
    const chosen = programs.find((p) => String(p.id) === filters.programId);
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'certificates/register',
      { title: '证书登记', crumbs: [{ label: '首页', href: '/app' }] },
      {
        filters,
        error,
        programs: programs.map((p) => ({ value: p.id, label: `${p.year} ${p.title}` })),
        statuses: STATUS_OPTIONS,
        rows: page.items.map((c) => ({
          ...certificateRow(c),
          revocable:
            c.status === 'VALID' &&
            !!c.programId &&
            !!programs.find((p) => p.id === c.programId && ownsProgram(actor, p)),
        })),
        chosen: chosen ? { id: chosen.id, title: chosen.title, owner: ownsProgram(actor, chosen) } : null,
        pager: pager('/app/certificate-register', page, keep),
        back: encodeURIComponent(`/app/certificate-register${queryString(filters)}`),
      },
    );
  }

  @Get(':id/revoke')
  async revokeForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query('back') back?: string,
  ): Promise<void> {
    return this.showRevoke(req, reply, actor, id, { back: safeBack(back, '/app/', '/app/certificate-register') });
  }

  @Post(':id/revoke')
  @HttpCode(200)
  async revoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const form = {
      reason: field(body, 'reason'),
      back: safeBack(field(body, 'back'), '/app/', '/app/certificate-register'),
    };
    try {
      const dto = await validateInput(RevokeCertificateDto, { reason: form.reason });
      const c = await this.issuer.revoke(actor, id, dto.reason);
      return this.pages.redirect(reply, form.back, {
        tone: 'success',
        text: `已撤销证书 ${c.number}（${c.holderName}）。验证页面将显示「已撤销」。`,
      });
    } catch (e) {
      const errors = formErrors(e, ['reason']);
      if (!errors) throw e;
      return this.showRevoke(req, reply, actor, id, form, errors, mapError(e).status);
    }
  }

  private async showRevoke(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    form: { reason?: string; back: string },
    errors?: FormErrors,
    status = 400,
  ): Promise<void> {
    const c = await this.certificates.get(actor, id);
    return this.pages.render(
      req,
      reply,
      'certificates/revoke',
      {
        title: '撤销证书',
        status: errors ? status : 200,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '证书登记', href: '/app/certificate-register' },
        ],
      },
      {
        certificate: certificateRow(c),
        form,
        errors,
      },
    );
  }
}
