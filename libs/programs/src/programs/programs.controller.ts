import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { CreateProgramDto, ProgramDto, ProgramPageDto, ProgramQuery, UpdateProgramDto } from './dto/program.dto';
import { ProgramsService } from './programs.service';

@ApiTags('programs')
@ApiBearerAuth()
@Controller('v1/programs')
export class ProgramsController {
  constructor(
    private readonly programs: ProgramsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '创建培训项目（市级：暑期骨干/其他；县区：本县区专题培训）' })
  @ApiCreatedResponse({ type: ProgramDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProgramDto): Promise<ProgramDto> {
    return this.programs.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: '培训项目列表（按权限范围）' })
  @ApiOkResponse({ type: ProgramPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: ProgramQuery) {
    return this.programs.list(this.em, actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '培训项目详情' })
  @ApiOkResponse({ type: ProgramDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgramDto> {
    return this.programs.get(this.em, actor, id);
  }

  @Patch(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '修改培训项目（主办单位；开始培训前）' })
  @ApiOkResponse({ type: ProgramDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateProgramDto,
  ): Promise<ProgramDto> {
    return this.programs.update(actor, id, dto);
  }

  @Post(':id/open')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '开始推荐：DRAFT → OPEN' })
  @ApiOkResponse({ type: ProgramDto })
  open(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgramDto> {
    return this.programs.transition(actor, id, 'open');
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '结束推荐：OPEN → CLOSED' })
  @ApiOkResponse({ type: ProgramDto })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgramDto> {
    return this.programs.transition(actor, id, 'close');
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '开始培训：CLOSED → RUNNING' })
  @ApiOkResponse({ type: ProgramDto })
  start(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgramDto> {
    return this.programs.transition(actor, id, 'start');
  }

  @Post(':id/finish')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '结束培训：RUNNING → FINISHED' })
  @ApiOkResponse({ type: ProgramDto })
  finish(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgramDto> {
    return this.programs.transition(actor, id, 'finish');
  }
}
