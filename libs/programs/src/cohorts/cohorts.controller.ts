import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, PageQuery, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { CreateSessionDto, SessionDto, SessionListDto } from '../sessions/dto/session.dto';
import { SessionsService } from '../sessions/sessions.service';
import { CohortsService } from './cohorts.service';
import { CohortDto, CohortPageDto, CreateCohortDto, SetTrainersDto, UpdateCohortDto } from './dto/cohort.dto';

@ApiTags('cohorts')
@ApiBearerAuth()
@Controller('v1')
export class CohortsController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly sessions: SessionsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post('programs/:id/cohorts')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '建班（主办单位）：名称、容量、日期、地点、培训教师' })
  @ApiCreatedResponse({ type: CohortDto })
  create(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) programId: number,
    @Body() dto: CreateCohortDto,
  ): Promise<CohortDto> {
    return this.cohorts.create(actor, programId, dto);
  }

  @Get('programs/:id/cohorts')
  @ApiOperation({ summary: '项目的班级列表' })
  @ApiOkResponse({ type: CohortPageDto })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) programId: number, @Query() q: PageQuery) {
    return this.cohorts.list(this.em, actor, programId, q);
  }

  @Get('cohorts/:id')
  @ApiOperation({ summary: '班级详情（含课次学时合计与项目学时对照）' })
  @ApiOkResponse({ type: CohortDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CohortDto> {
    return this.cohorts.get(this.em, actor, id);
  }

  @Patch('cohorts/:id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '修改班级（容量不少于已分入人数；有学员时不能改日期）' })
  @ApiOkResponse({ type: CohortDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateCohortDto,
  ): Promise<CohortDto> {
    return this.cohorts.update(actor, id, dto);
  }

  @Put('cohorts/:id/trainers')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '设置班级培训教师与班主任' })
  @ApiOkResponse({ type: CohortDto })
  setTrainers(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: SetTrainersDto,
  ): Promise<CohortDto> {
    return this.cohorts.setTrainers(actor, id, dto);
  }

  @Post('cohorts/:id/sessions')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '排课（主办单位）：同一班级的课次不得重叠' })
  @ApiCreatedResponse({ type: SessionDto })
  createSession(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) cohortId: number,
    @Body() dto: CreateSessionDto,
  ): Promise<SessionDto> {
    return this.sessions.create(actor, cohortId, dto);
  }

  @Get('cohorts/:id/sessions')
  @ApiOperation({ summary: '班级课表（含学时合计）' })
  @ApiOkResponse({ type: SessionListDto })
  listSessions(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) cohortId: number,
    @Query() q: PageQuery,
  ): Promise<SessionListDto> {
    return this.sessions.list(this.em, actor, cohortId, q);
  }
}
