import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Page, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import {
  AllPlacementsQuery,
  ArrivePlacementDto,
  CompletePlacementDto,
  PlacementDto,
  RejectPlacementDto,
  TerminatePlacementDto,
} from './dto/placement.dto';
import { PlacementsService } from './placements.service';
import { PlacementStipendDto, RecordPaymentDto, RecordTripDto } from '../stipend/dto/stipend-records.dto';
import { StipendRecordsService } from '../stipend/stipend-records.service';

const ILLEGAL = '当前状态不允许此操作 → 409 ILLEGAL_TRANSITION。';

@ApiTags('talent-support')
@ApiBearerAuth()
@Controller('v1/placements')
export class PlacementsController {
  constructor(
    private readonly placements: PlacementsService,
    private readonly stipends: StipendRecordsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TEACHER')
  @ApiOperation({ summary: '选派记录（市级全部；县区本县区教师；教师本人）' })
  list(@CurrentActor() actor: Actor, @Query() q: AllPlacementsQuery): Promise<Page<PlacementDto>> {
    return this.placements.list(this.em, actor, q);
  }

  @Get(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TEACHER')
  @ApiOperation({ summary: '选派详情（含应发津贴）' })
  @ApiOkResponse({ type: PlacementDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PlacementDto> {
    return this.placements.get(this.em, actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('CITY_ADMIN')
  @ApiOperation({ summary: '市级审核通过（已推荐 → 已批准）', description: ILLEGAL })
  @ApiOkResponse({ type: PlacementDto })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PlacementDto> {
    return this.placements.approve(actor, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('CITY_ADMIN')
  @ApiOperation({ summary: '市级审核不通过（须填原因；名额退回县区）', description: ILLEGAL })
  @ApiOkResponse({ type: PlacementDto })
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: RejectPlacementDto,
  ): Promise<PlacementDto> {
    return this.placements.reject(actor, id, dto);
  }

  @Post(':id/arrive')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '登记到岗（已批准 → 在岗支教）：到岗日期在服务期内且不晚于今天', description: ILLEGAL })
  @ApiOkResponse({ type: PlacementDto })
  arrive(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArrivePlacementDto,
  ): Promise<PlacementDto> {
    return this.placements.arrive(actor, id, dto);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '服务期满考核（在岗支教 → 服务期满）：优秀/合格/基本合格/不合格与评语；服务期结束后才能登记（409 TERM_NOT_ENDED）',
    description: ILLEGAL,
  })
  @ApiOkResponse({ type: PlacementDto })
  complete(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CompletePlacementDto,
  ): Promise<PlacementDto> {
    return this.placements.complete(actor, id, dto);
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '提前结束（在岗支教 → 提前终止）：原因与最后在岗日；津贴按实际服务天数折算',
    description: ILLEGAL,
  })
  @ApiOkResponse({ type: PlacementDto })
  terminate(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: TerminatePlacementDto,
  ): Promise<PlacementDto> {
    return this.placements.terminate(actor, id, dto);
  }

  @Get(':id/stipend')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TEACHER')
  @ApiOperation({ summary: '选派的津贴：各月工作补助、交通差旅费、意外保险，应发与实发，往返与发放记录' })
  @ApiOkResponse({ type: PlacementStipendDto })
  stipend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PlacementStipendDto> {
    return this.stipends.stipend(this.em, actor, id);
  }

  @Post(':id/trips')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '登记一次往返（交通差旅费按次报销的计划）：日期在服务期间内；超过预算次数 → 409 TRIPS_EXCEEDED；包干的计划 → 409 TRAVEL_LUMP_SUM',
  })
  @ApiCreatedResponse({ type: PlacementStipendDto })
  recordTrip(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: RecordTripDto,
  ): Promise<PlacementStipendDto> {
    return this.stipends.recordTrip(actor, id, dto);
  }

  @Post(':id/payments')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '登记发放（实发）：所属月份、金额（分）、发放日期；实发合计不能超过应发合计 → 409 OVERPAID',
  })
  @ApiCreatedResponse({ type: PlacementStipendDto })
  recordPayment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: RecordPaymentDto,
  ): Promise<PlacementStipendDto> {
    return this.stipends.recordPayment(actor, id, dto);
  }
}
