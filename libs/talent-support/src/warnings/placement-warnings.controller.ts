import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { PlacementWarningDto, PlacementWarningsService } from './placement-warnings.service';

@ApiTags('talent-support')
@ApiBearerAuth()
@Controller('v1/programs')
export class PlacementWarningsController {
  constructor(
    private readonly warnings: PlacementWarningsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get(':id/placement-warnings')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '支教冲突提醒：本项目学员中，培训日期（班级，未分班时为项目）落在其支教服务期内的教师（项目主办单位）',
  })
  @ApiOkResponse({ type: [PlacementWarningDto] })
  @ApiForbiddenResponse({ description: 'NOT_PROGRAM_OWNER 非项目主办单位' })
  @ApiNotFoundResponse()
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PlacementWarningDto[]> {
    return this.warnings.forProgram(this.em, actor, id);
  }
}
