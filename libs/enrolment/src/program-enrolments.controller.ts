import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, contentDisposition, CurrentActor, IdPipe, Roles, XLSX_MIME, xlsxUpload } from '@shipei/core';
import type { FastifyRequest } from 'fastify';
import { EntityManager } from 'typeorm';
import { AssignmentsService } from './assignments/assignments.service';
import {
  AutoAssignResultDto,
  EnrolmentDto,
  EnrolmentPageDto,
  EnrolmentQuery,
  ImportResultDto,
  NominateDto,
  ProgramFiguresDto,
  QuotaDto,
  QuotaItemDto,
  QuotaSuggestionDto,
  RosterQuery,
} from './dto/enrolment.dto';
import { QuotaListPipe } from './dto/quota-list.pipe';
import { EnrolmentsService } from './enrolments.service';
import { NominationImportService } from './nominations/nomination-import.service';
import { nominationTemplate } from './nominations/nomination-template';
import { QuotasService } from './quotas/quotas.service';
import { RosterService, XlsxDownload } from './roster/roster.service';

/** A streamed .xlsx: no length, as it is written while it is sent. */
function download(file: XlsxDownload): StreamableFile {
  return new StreamableFile(file.stream, { type: XLSX_MIME, disposition: contentDisposition(file.filename) });
}

/** Nominations, quotas, automatic 分班, roster and figures of one program. */
@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('v1/programs')
export class ProgramEnrolmentsController {
  constructor(
    private readonly enrolments: EnrolmentsService,
    private readonly imports: NominationImportService,
    private readonly quotas: QuotasService,
    private readonly assignments: AssignmentsService,
    private readonly rosters: RosterService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post(':id/enrolments')
  @Roles('COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '县区推荐本县区教师：名额内为 NOMINATED，超出为 WAITLISTED（候补）；不符合条件 409 NOT_ELIGIBLE；截止后 409',
  })
  @ApiCreatedResponse({ type: EnrolmentDto })
  nominate(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) programId: number,
    @Body() dto: NominateDto,
  ): Promise<EnrolmentDto> {
    return this.enrolments.nominate(actor, programId, dto.teacherId);
  }

  @Get(':id/enrolments')
  @ApiOperation({ summary: '项目的报名名单（可按县区、状态、班级筛选）' })
  @ApiOkResponse({ type: EnrolmentPageDto })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) programId: number, @Query() q: EnrolmentQuery) {
    return this.enrolments.list(this.em, actor, { ...q, programId, offset: q.offset });
  }

  @Post(':id/enrolments/import')
  @Roles('COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '从 Excel（.xlsx，字段 file）批量推荐：以「身份证号」或「手机号」列识别教师；全部通过才推荐，按行序占用名额',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({ description: 'IMPORT_INVALID：{errors:[{row, column, message}]}，未推荐任何人' })
  async import(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) programId: number,
    @Req() req: FastifyRequest,
  ): Promise<ImportResultDto> {
    return this.imports.import(actor, programId, await xlsxUpload(req));
  }

  @Get(':id/enrolments/import-template')
  @Roles('COUNTY_ADMIN', 'CITY_ADMIN')
  @ApiOperation({ summary: '下载批量推荐模板（.xlsx）' })
  @ApiProduces(XLSX_MIME)
  async template(@Param('id', IdPipe) _programId: number): Promise<StreamableFile> {
    const t = await nominationTemplate();
    return new StreamableFile(t.body, {
      type: XLSX_MIME,
      length: t.body.length,
      disposition: contentDisposition(t.filename),
    });
  }

  @Get(':id/quotas')
  @ApiOperation({ summary: '各县区名额' })
  @ApiOkResponse({ type: [QuotaDto] })
  listQuotas(@CurrentActor() actor: Actor, @Param('id', IdPipe) programId: number): Promise<QuotaDto[]> {
    return this.quotas.list(this.em, actor, programId);
  }

  @Put(':id/quotas')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '设置各县区名额（主办单位）：合计不超过总名额，否则 409；未列出的县区为 0；增加的名额给候补',
  })
  @ApiBody({ type: [QuotaItemDto] })
  @ApiOkResponse({ type: [QuotaDto] })
  setQuotas(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) programId: number,
    @Body(QuotaListPipe) items: QuotaItemDto[],
  ): Promise<QuotaDto[]> {
    return this.quotas.replace(actor, programId, items);
  }

  @Get(':id/quotas/suggestion')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '建议名额：按各县区符合条件的教师数，最大余额法分配（同余额按县区代码）' })
  @ApiOkResponse({ type: QuotaSuggestionDto })
  suggestion(@CurrentActor() actor: Actor, @Param('id', IdPipe) programId: number): Promise<QuotaSuggestionDto> {
    return this.quotas.suggestion(this.em, actor, programId);
  }

  @Post(':id/cohort-assignments/auto')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '自动分班（主办单位）：审核通过且未分班的学员，按县区、再按学科均衡分入各班' })
  @ApiOkResponse({ type: AutoAssignResultDto })
  auto(@CurrentActor() actor: Actor, @Param('id', IdPipe) programId: number): Promise<AutoAssignResultDto> {
    return this.assignments.auto(actor, programId);
  }

  @Get(':id/roster')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '导出花名册（.xlsx；身份证号、手机号脱敏，文本格式）' })
  @ApiProduces(XLSX_MIME)
  async roster(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) programId: number,
    @Query() q: RosterQuery,
  ): Promise<StreamableFile> {
    return download(await this.rosters.roster(this.em, actor, programId, q));
  }

  @Get(':id/figures')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '分县区统计：名额、推荐、候补、审核通过、报到、结业' })
  @ApiOkResponse({ type: ProgramFiguresDto })
  figures(@CurrentActor() actor: Actor, @Param('id', IdPipe) programId: number): Promise<ProgramFiguresDto> {
    return this.rosters.figures(this.em, actor, programId);
  }
}
