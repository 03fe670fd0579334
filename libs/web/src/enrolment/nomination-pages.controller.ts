import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, DomainError, IdPipe, pageOf, Roles, xlsxUpload, TransactionRunner } from '@shipei/core';
import {
  ENROLMENT_STATUS_LABELS,
  EnrolmentsService,
  NominationCandidatesService,
  NominationImportService,
  QuotaDto,
  QuotasService,
} from '@shipei/enrolment';
import { OrganisationsService, TeacherDto, TeacherQuery, TeachersService } from '@shipei/people';
import { ProgramDto, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { teacherRow } from '../people/teacher-view';
import { FormBody, formErrors, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { schoolOptions } from '../programs/county-options';
import { MIN_BACKBONE_OPTIONS, programCrumbs, programTabs, STAGE_CHOICES, tickedIds } from '../programs/program-view';

const FILTERS = ['q', 'schoolId', 'stage', 'subject', 'page'];

interface RowError {
  row: number;
  column: string;
  message: string;
}

interface NominationOutcome {
  teacherId: number;
  name: string;
  status?: string;
  error?: string;
}

/**
 * 推荐教师 (county): pick eligible teachers of the county not yet enrolled, from a filtered list, and
 * nominate them (within the county's quota NOMINATED, beyond it 候补); or nominate a whole list
 * from .xlsx (下载模板 → 上传 → every bad row, nothing written until the sheet is clean).
 */
@WebController('app/programs')
@Roles('COUNTY_ADMIN')
export class NominationPagesController {
  constructor(
    private readonly quotas: QuotasService,
    private readonly imports: NominationImportService,
    private readonly candidateList: NominationCandidatesService,
    private readonly programs: ProgramsService,
    private readonly enrolments: EnrolmentsService,
    private readonly teachers: TeachersService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  private async quotaOf(actor: Actor, programId: number): Promise<QuotaDto | null> {
    return (
      (await this.tx.read((em) => this.quotas.list(em, actor, programId))).find((q) => q.countyId === actor.countyId) ??
      null
    );
  }

  /** The county's teachers who may be nominated: eligible and not yet enrolled (enrolment's `NominationCandidatesService`). */
  private async candidates(actor: Actor, program: ProgramDto, filters: Record<string, string>) {
    const q = await validateInput(TeacherQuery, { ...filters, pageSize: 20 }, 'query');
    return this.tx.read((em) => this.candidateList.list(em, actor, program, q));
  }

  @Get(':id/nominate')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    return this.show(req, reply, actor, id, pickFilters(query, FILTERS));
  }

  @Post(':id/nominate')
  @HttpCode(200)
  async nominate(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const ids = tickedIds(body, 'ids', 200);
    if (!ids.length)
      return this.pages.redirect(reply, `/app/programs/${id}/nominate`, {
        tone: 'error',
        text: '请先勾选要推荐的教师。',
      });
    const outcomes: NominationOutcome[] = [];
    // One at a time, in the order shown: each takes a quota seat if one is free, else joins the waitlist.
    for (const teacherId of ids) {
      try {
        const e = await this.enrolments.nominate(actor, id, teacherId);
        outcomes.push({ teacherId, name: e.teacherName, status: e.status });
      } catch (err) {
        const errors = formErrors(err, []);
        if (!errors) throw err;
        const t = await this.tx.read((em) => this.teachers.get(em, actor, teacherId)).catch(() => null);
        outcomes.push({ teacherId, name: t?.name ?? `教师 ${teacherId}`, error: errors.summary });
      }
    }
    return this.show(req, reply, actor, id, pickFilters(query, FILTERS), outcomes);
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    filters: Record<string, string>,
    outcomes?: NominationOutcome[],
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const quota = await this.quotaOf(actor, id);
    let error: string | null = null;
    let page = pageOf([] as TeacherDto[], 0, { page: 1, pageSize: 20 });
    try {
      page = await this.candidates(actor, program, filters);
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const names = await this.names.organisations(page.items.flatMap((t) => [t.schoolId, t.countyId]));
    const { page: _p, ...keep } = filters;
    const open = program.status === 'OPEN';
    return this.pages.render(
      req,
      reply,
      'enrolment/nominate',
      { title: '推荐教师', crumbs: programCrumbs(program) },
      {
        program,
        tabs: programTabs(actor, program, 'nominate'),
        open,
        quota: quota ? { ...quota, free: Math.max(0, quota.seats - quota.nominatedCount) } : null,
        rules: {
          povertyVillage: program.requirePovertyVillage,
          backbone: MIN_BACKBONE_OPTIONS.find((o) => o.value === program.minBackboneLevel)?.label ?? '',
          stages: program.stages,
          subjects: program.subjects,
        },
        outcomes: outcomes?.map((o) => ({
          ...o,
          label: o.status ? ENROLMENT_STATUS_LABELS[o.status as keyof typeof ENROLMENT_STATUS_LABELS] : '',
        })),
        nominated: outcomes?.filter((o) => o.status === 'NOMINATED').length ?? 0,
        waitlisted: outcomes?.filter((o) => o.status === 'WAITLISTED').length ?? 0,
        failed: outcomes?.filter((o) => o.error).length ?? 0,
        filters,
        error,
        schools: await schoolOptions(this.organisations, this.tx, actor, actor.countyId),
        stageOptions: STAGE_CHOICES,
        rows: page.items.map((t) => teacherRow(t, names)),
        pager: pager(`/app/programs/${id}/nominate`, page, keep),
        action: `/app/programs/${id}/nominate${queryString(filters)}`,
      },
    );
  }

  // ——— 批量推荐 ———

  @Get(':id/nominate/import')
  async importPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.showImport(req, reply, actor, id, {});
  }

  @Post(':id/nominate/import')
  @HttpCode(200)
  async upload(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const result = await this.imports.import(actor, id, await xlsxUpload(req));
      return this.showImport(req, reply, actor, id, { result });
    } catch (e) {
      const rows =
        e instanceof DomainError && e.code === 'IMPORT_INVALID' && Array.isArray(e.details?.errors)
          ? (e.details.errors as RowError[])
          : null;
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.showImport(
        req,
        reply,
        actor,
        id,
        { message: rows ? (e as Error).message : errors.summary, rows },
        400,
      );
    }
  }

  private async showImport(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    outcome: { result?: { nominated: number; waitlisted: number }; message?: string; rows?: RowError[] | null },
    status = 200,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const quota = await this.quotaOf(actor, id);
    return this.pages.render(
      req,
      reply,
      'enrolment/import',
      {
        title: '批量推荐',
        status,
        crumbs: programCrumbs(program, [{ label: '推荐教师', href: `/app/programs/${id}/nominate` }]),
      },
      {
        program,
        open: program.status === 'OPEN',
        quota: quota ? { ...quota, free: Math.max(0, quota.seats - quota.nominatedCount) } : null,
        step: outcome.result || outcome.rows || outcome.message ? 3 : 2,
        ...outcome,
      },
    );
  }
}
