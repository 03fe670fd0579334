import { Body, Controller, Get, Param, Patch, Post, Put, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Page, PageQuery, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import {
  SchemeCountyFilter,
  NominatePlacementDto,
  PlacementDto,
  PlacementQuery,
} from '../placements/dto/placement.dto';
import { ReceivingSchoolDto } from '../placements/dto/placement.dto';
import { PlacementsService } from '../placements/placements.service';
import { SchemeDashboardDto, StipendLedgerDto } from '../reports/dto/report.dto';
import { TalentReportsService } from '../reports/talent-reports.service';
import { XLSX_MIME, xlsxFile } from '../reports/xlsx';
import {
  CreateSchemeDto,
  SchemeQuotaDto,
  SchemeQuotaItemDto,
  ROUNDING_NOTE,
  SchemeDto,
  SchemeQuery,
  UpdateSchemeDto,
} from './dto/scheme.dto';
import { SchemesService } from './schemes.service';
import { ArrayBodyPipe } from '../validation';

@ApiTags('talent-support')
@ApiBearerAuth()
@Controller('v1/schemes')
export class SchemesController {
  constructor(
    private readonly schemes: SchemesService,
    private readonly placements: PlacementsService,
    private readonly reports: TalentReportsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post()
  @Roles('CITY_ADMIN')
  @ApiOperation({
    summary: '新建人才支持计划（三区 / 西部隆起带）：名额、服务期、津贴标准（分）、选派条件（默认国家标准）',
  })
  @ApiCreatedResponse({ type: SchemeDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSchemeDto): Promise<SchemeDto> {
    return this.schemes.create(actor, dto);
  }

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '人才支持计划列表' })
  list(@CurrentActor() actor: Actor, @Query() q: SchemeQuery): Promise<Page<SchemeDto>> {
    return this.schemes.list(this.em, actor, q);
  }

  @Get('receiving-schools')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '可选的受援学校（全市，含其他县区）' })
  receivingSchools(@Query() q: PageQuery): Promise<Page<ReceivingSchoolDto>> {
    return this.placements.receivingSchools(this.em, q);
  }

  @Get(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '人才支持计划详情' })
  @ApiOkResponse({ type: SchemeDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<SchemeDto> {
    return this.schemes.get(this.em, actor, id);
  }

  @Patch(':id')
  @Roles('CITY_ADMIN')
  @ApiOperation({
    summary: '修改计划：名额不少于已分配合计；已有教师到岗后不能改服务期与津贴标准；选派条件只影响此后的推荐',
  })
  @ApiOkResponse({ type: SchemeDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateSchemeDto,
  ): Promise<SchemeDto> {
    return this.schemes.update(actor, id, dto);
  }

  @Get(':id/quotas')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '县区名额（县区管理员只看本县区）' })
  @ApiOkResponse({ type: [SchemeQuotaDto] })
  quotas(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<SchemeQuotaDto[]> {
    return this.schemes.quotas(this.em, actor, id);
  }

  @Put(':id/quotas')
  @Roles('CITY_ADMIN')
  @ApiOperation({
    summary:
      '设定县区名额（整体替换；未列出的县区为 0）：合计超过计划名额 → 409 QUOTA_EXCEEDS_PLACES；少于已推荐人数 → 409 QUOTA_BELOW_USED',
  })
  @ApiBody({ type: SchemeQuotaItemDto, isArray: true })
  @ApiOkResponse({ type: [SchemeQuotaDto] })
  setQuotas(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body(new ArrayBodyPipe(SchemeQuotaItemDto)) items: SchemeQuotaItemDto[],
  ): Promise<SchemeQuotaDto[]> {
    return this.schemes.setQuotas(actor, id, items);
  }

  @Post(':id/placements')
  @Roles('COUNTY_ADMIN')
  @ApiOperation({
    summary: '县区推荐本县区教师到受援学校（选派）',
    description:
      '不符合选派条件 → 409 NOT_ELIGIBLE，`reasons` 列出全部不符合的条件；已有进行中的选派 → 409 ALREADY_PLACED；' +
      '本县区名额已满 → 409 QUOTA_FULL；其他县区的教师 → 404；所选学校不是受援学校 → 400 NOT_RECEIVING_SCHOOL。',
  })
  @ApiCreatedResponse({ type: PlacementDto })
  nominate(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: NominatePlacementDto,
  ): Promise<PlacementDto> {
    return this.placements.nominate(actor, id, dto);
  }

  @Get(':id/placements')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '选派台账（本计划；县区管理员只看本县区）' })
  listPlacements(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: PlacementQuery,
  ): Promise<Page<PlacementDto>> {
    return this.placements.listForScheme(this.em, actor, id, q);
  }

  @Get(':id/register/export')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '导出选派台账（.xlsx，身份证号脱敏，文本单元格）' })
  @ApiProduces(XLSX_MIME)
  async registerExport(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: SchemeCountyFilter,
  ): Promise<StreamableFile> {
    return xlsxFile(await this.reports.registerWorkbook(this.em, actor, id, q.countyId));
  }

  @Get(':id/ledger')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '津贴台账：逐月应发、县区与计划合计（金额单位：分）', description: ROUNDING_NOTE })
  @ApiOkResponse({ type: StipendLedgerDto })
  ledger(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: SchemeCountyFilter,
  ): Promise<StipendLedgerDto> {
    return this.reports.ledger(this.em, actor, id, q.countyId);
  }

  @Get(':id/ledger/export')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '导出津贴台账（.xlsx，金额单位：元）', description: ROUNDING_NOTE })
  @ApiProduces(XLSX_MIME)
  async ledgerExport(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: SchemeCountyFilter,
  ): Promise<StreamableFile> {
    return xlsxFile(await this.reports.ledgerWorkbook(this.em, actor, id, q.countyId));
  }

  @Get(':id/dashboard')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '计划统计：各县区与合计的名额、各状态人数、应发津贴（分）' })
  @ApiOkResponse({ type: SchemeDashboardDto })
  dashboard(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<SchemeDashboardDto> {
    return this.reports.dashboard(this.em, actor, id);
  }
}
