import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { CreateTeamDto, TeamDto } from './dto/team.dto';
import { TeamsService } from './teams.service';

@ApiTags('talent-support')
@ApiBearerAuth()
@Controller('v1')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post('schemes/:id/teams')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '组团式选派：把同一县区派往同一受援学校的选派组成团队并指定队长（409 TEAM_MIXED_SCHOOLS / TEAM_MIXED_COUNTIES / ALREADY_IN_TEAM / TEAM_MEMBER_INACTIVE）',
  })
  @ApiCreatedResponse({ type: TeamDto })
  create(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: CreateTeamDto): Promise<TeamDto> {
    return this.teams.create(actor, id, dto);
  }

  @Get('schemes/:id/teams')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '计划中的选派团队（县区只看本县区）' })
  @ApiOkResponse({ type: [TeamDto] })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<TeamDto[]> {
    return this.teams.list(this.em, actor, id);
  }

  @Delete('teams/:id')
  @HttpCode(204)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '解散团队（成员的选派不变）' })
  @ApiNoContentResponse()
  dissolve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    return this.teams.dissolve(actor, id);
  }
}
