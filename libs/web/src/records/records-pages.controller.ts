import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { Actor, AppConfig, CurrentActor, IdPipe, Roles, TransactionRunner } from '@shipei/core';
import { OrganisationsService, TeacherDto, TeacherQuery, TeachersService } from '@shipei/people';
import {
  ComplianceListDto,
  ComplianceQuery,
  ComplianceService,
  ComplianceSummaryDto,
  ComplianceExportQuery,
  TeacherFileService,
} from '@shipei/records';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { teacherRow } from '../people/teacher-view';
import { countyOptions, schoolOptions } from '../programs/county-options';
import { hours, percent } from '../programs/program-view';
import { formErrors, validateInput } from '../shared/forms';
import { pager, pickFilters, queryString } from '../shared/list';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

const CRUMBS = [{ label: '首页', href: '/app' }];

/**
 * 培训档案: a teacher's file (一人一档: trainings, results, credit hours per year and five-year cycle,
 * certificates, placements) and the credit-hour compliance list with its export. City: every county;
 * county: its own teachers.
 */
@WebController('app/records')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class RecordsPagesController {
  constructor(
    private readonly files: TeacherFileService,
    private readonly compliance: ComplianceService,
    private readonly teachers: TeachersService,
    private readonly organisations: OrganisationsService,
    private readonly config: AppConfig,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  /** The five-year cycles to choose from: from the configured start to the one running now. */
  private cycles(): { value: number; label: string }[] {
    const start = this.config.creditCycleStartYear;
    const now = new Date().getFullYear();
    const out = [];
    for (let y = start; y <= now; y += 5) out.push({ value: y, label: `${y}–${y + 4}` });
    return out.reverse();
  }

  @Get('compliance')
  async complianceList(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const filters = pickFilters(query, ['period', 'year', 'cycle', 'countyId', 'schoolId', 'page']);
    if (!city) delete filters.countyId;
    const byCycle = filters.period === 'cycle';
    const periodQuery = byCycle
      ? { cycle: filters.cycle ?? String(this.cycles()[0]?.value ?? '') }
      : { year: filters.year };
    const scope = { ...periodQuery, countyId: filters.countyId, schoolId: filters.schoolId };
    let error: string | null = null;
    let list: ComplianceListDto | null = null;
    let summary: ComplianceSummaryDto | null = null;
    try {
      [list, summary] = await Promise.all([
        this.compliance.list(
          actor,
          await validateInput(ComplianceQuery, { ...scope, page: filters.page, pageSize: 20 }, 'query'),
        ),
        this.compliance.summary(actor, await validateInput(ComplianceExportQuery, scope, 'query')),
      ]);
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      error = errors.summary;
    }
    const { page: _p, ...keep } = filters;
    const page = list ?? { items: [], total: 0, page: 1, pageSize: 20 };
    return this.pages.render(
      req,
      reply,
      'records/compliance',
      { title: '学时达标', crumbs: CRUMBS },
      {
        city,
        filters: { ...filters, period: byCycle ? 'cycle' : 'year', cycle: byCycle ? periodQuery.cycle : filters.cycle },
        error,
        period: list?.period ?? summary?.period ?? null,
        cycles: this.cycles(),
        counties: await countyOptions(this.organisations, this.tx, actor),
        schools: await schoolOptions(this.organisations, this.tx, actor, Number(filters.countyId) || null),
        summary: summary
          ? {
              ...summary,
              byCounty: summary.by === 'COUNTY',
              rows: summary.rows.map((r) => ({ ...r, shortfallText: hours(r.shortfallHours) })),
            }
          : null,
        rows: page.items.map((r) => ({ ...r, creditsText: hours(r.credits), shortfallText: hours(r.shortfall) })),
        pager: pager('/app/records/compliance', page, keep),
        exportHref: `/api/v1/credit-compliance/export${queryString(scope)}`,
      },
    );
  }

  @Get('teachers')
  async teacherSearch(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string>,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const filters = pickFilters(query, ['q', 'countyId', 'schoolId', 'page']);
    if (!city) delete filters.countyId;
    let error: string | null = null;
    let page = { items: [] as TeacherDto[], total: 0, page: 1, pageSize: 20 };
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
    const { page: _p, ...keep } = filters;
    return this.pages.render(
      req,
      reply,
      'records/teachers',
      { title: '教师培训档案', crumbs: CRUMBS },
      {
        city,
        filters,
        error,
        counties: await countyOptions(this.organisations, this.tx, actor),
        schools: await schoolOptions(this.organisations, this.tx, actor, Number(filters.countyId) || null),
        rows: page.items.map((t) => teacherRow(t, names)),
        pager: pager('/app/records/teachers', page, keep),
      },
    );
  }

  @Get('teachers/:id')
  async teacherFile(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const f = await this.files.file(actor, id);
    return this.pages.render(
      req,
      reply,
      'records/file',
      {
        title: `培训档案：${f.teacher.name}`,
        crumbs: [...CRUMBS, { label: '教师培训档案', href: '/app/records/teachers' }],
      },
      {
        f: {
          ...f,
          trainings: f.trainings.map((t) => ({
            ...t,
            rateText: percent(t.attendanceRate),
            attendedText: hours(t.attendedHours),
            creditText: hours(t.creditHours),
          })),
          years: f.years.map((y) => ({
            ...y,
            internalText: hours(y.internalHours),
            externalText: hours(y.externalHours),
            totalText: hours(y.totalHours),
            shortfallText: hours(y.shortfall),
          })),
          cycles: f.cycles.map((c) => ({ ...c, totalText: hours(c.totalHours), shortfallText: hours(c.shortfall) })),
          externalCredits: f.externalCredits.map((x) => ({ ...x, hoursText: hours(x.hours) })),
        },
        genderLabel: f.teacher.gender === 'F' ? '女' : '男',
      },
    );
  }
}
