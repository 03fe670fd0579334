import { Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, DomainError, Roles, xlsxUpload, TransactionRunner } from '@shipei/core';
import { OrganisationQuery, OrganisationsService, TeacherImportService } from '@shipei/people';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, validateInput } from '../shared/forms';
import { NameLookup } from '../shared/name-lookup.service';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

interface RowError {
  row: number;
  column: string;
  message: string;
}

/**
 * 导入教师, in three steps: 下载模板 → 上传文件 → the result: every bad row (第 N 行, 列, 原因) with
 * nothing written, or the numbers created and updated. The people lib's import use case is
 * all-or-nothing, so nothing is written unless every row is clean.
 */
@WebController('app/teachers/import')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class TeacherImportPageController {
  constructor(
    private readonly imports: TeacherImportService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly names: NameLookup,
    private readonly tx: TransactionRunner,
  ) {}

  @Get()
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query('countyId') countyId?: string,
  ): Promise<void> {
    return this.show(req, reply, actor, this.countyOf(actor, countyId), {});
  }

  @Post()
  @HttpCode(200)
  async upload(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Query('countyId') countyId?: string,
  ): Promise<void> {
    const county = this.countyOf(actor, countyId);
    try {
      const result = await this.tx.read(async (em) =>
        this.imports.import(em, actor, county ?? undefined, await xlsxUpload(req)),
      );
      return this.show(req, reply, actor, county, { result });
    } catch (e) {
      const rows =
        e instanceof DomainError && e.code === 'IMPORT_INVALID' && Array.isArray(e.details?.errors)
          ? (e.details.errors as RowError[])
          : null;
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.show(
        req,
        reply,
        actor,
        county,
        { message: rows ? e instanceof Error && e.message : errors.summary, rows },
        400,
      );
    }
  }

  private countyOf(actor: Actor, countyId: string | undefined): number | null {
    return actor.role === 'CITY_ADMIN' ? Number(countyId) || null : actor.countyId;
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    county: number | null,
    outcome: { result?: { created: number; updated: number }; message?: string | false; rows?: RowError[] | null },
    status = 200,
  ): Promise<void> {
    const city = actor.role === 'CITY_ADMIN';
    const counties = city
      ? (
          await this.tx.read(async (em) =>
            this.organisations.list(
              em,
              actor,
              await validateInput(OrganisationQuery, { type: 'COUNTY', pageSize: 100 }, 'query'),
            ),
          )
        ).items.map((c) => ({ value: c.id, label: c.name }))
      : [];
    const step = outcome.result || outcome.rows || outcome.message ? 3 : 2;
    return this.pages.render(
      req,
      reply,
      'teachers/import',
      {
        title: '导入教师',
        status,
        crumbs: [
          { label: '首页', href: '/app' },
          { label: '教师管理', href: '/app/teachers' },
        ],
      },
      {
        city,
        counties,
        countyId: county,
        countyName: county ? await this.names.organisation(county) : '',
        action: `/app/teachers/import${city && county ? `?countyId=${county}` : ''}`,
        step,
        ...outcome,
      },
    );
  }
}
