import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { EnrolmentDto, EnrolmentPageDto, EnrolmentQuery, OptionalReasonDto, ReasonDto } from './dto/enrolment.dto';
import { EnrolmentsService } from './enrolments.service';

@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('v1/enrolments')
export class EnrolmentsController {
  constructor(
    private readonly enrolments: EnrolmentsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get()
  @ApiOperation({ summary: '报名记录列表（按权限范围；可按项目、县区、状态、班级筛选；教师：本人的）' })
  @ApiOkResponse({ type: EnrolmentPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: EnrolmentQuery) {
    return this.enrolments.list(this.em, actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '报名记录详情' })
  @ApiOkResponse({ type: EnrolmentDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<EnrolmentDto> {
    return this.enrolments.get(this.em, actor, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '审核通过（主办单位）：仅「待审核」可通过；不超过项目总名额' })
  @ApiOkResponse({ type: EnrolmentDto })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<EnrolmentDto> {
    return this.enrolments.approve(actor, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '审核不通过（主办单位，须填原因）；空出的名额给本县区第一位候补' })
  @ApiOkResponse({ type: EnrolmentDto })
  reject(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ReasonDto): Promise<EnrolmentDto> {
    return this.enrolments.reject(actor, id, dto.reason);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('TEACHER')
  @ApiOperation({ summary: '本人报到：审核通过 → 已报到' })
  @ApiOkResponse({ type: EnrolmentDto })
  confirm(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<EnrolmentDto> {
    return this.enrolments.confirm(actor, id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles('TEACHER')
  @ApiOperation({ summary: '本人放弃（培训开始前）；空出的名额给本县区第一位候补' })
  @ApiOkResponse({ type: EnrolmentDto })
  decline(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: OptionalReasonDto,
  ): Promise<EnrolmentDto> {
    return this.enrolments.decline(actor, id, dto.reason);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('COUNTY_ADMIN')
  @ApiOperation({ summary: '县区撤回推荐（培训开始前）；空出的名额给本县区第一位候补' })
  @ApiOkResponse({ type: EnrolmentDto })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: OptionalReasonDto,
  ): Promise<EnrolmentDto> {
    return this.enrolments.withdraw(actor, id, dto.reason);
  }
}
