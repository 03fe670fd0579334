import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import {
  CreateOrganisationDto,
  OrganisationDto,
  OrganisationQuery,
  UpdateOrganisationDto,
} from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@ApiBearerAuth()
@Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get()
  @ApiOperation({ summary: '单位树（按权限范围）：?type=COUNTY|SCHOOL&parentId=' })
  list(@CurrentActor() actor: Actor, @Query() q: OrganisationQuery) {
    return this.organisations.list(this.em, actor, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganisationDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<OrganisationDto> {
    return this.organisations.get(this.em, actor, id);
  }

  @Post()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '新建学校（市级：任意县区；县区：本县区）或承训机构（市级）' })
  @ApiCreatedResponse({ type: OrganisationDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return this.organisations.create(actor, dto);
  }

  @Patch(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOkResponse({ type: OrganisationDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.update(actor, id, dto);
  }
}
