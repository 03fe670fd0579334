import { Body, Controller, Get, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, BadInputError, CurrentActor, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { RuleDefaultsDto, SelectionRulesDto } from './dto/scheme.dto';
import { RuleDefaultsService } from './rule-defaults.service';
import { SCHEME_KINDS, type SchemeKind } from './scheme.entity';

/** The kind in the path, refused with a Chinese 400 when unknown. */
function kindPipe(): ParseEnumPipe {
  return new ParseEnumPipe(Object.fromEntries(SCHEME_KINDS.map((k) => [k, k])), {
    exceptionFactory: () => new BadInputError('INVALID_KIND', '计划类型须为 THREE_DISTRICTS 或 WESTERN_BELT'),
  });
}

@ApiTags('talent-support')
@ApiBearerAuth()
@Controller('v1/scheme-rule-defaults')
export class RuleDefaultsController {
  constructor(
    private readonly defaults: RuleDefaultsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '各类计划的默认选派条件（“三区”为国家通知规定；西部隆起带由本局自定）' })
  @ApiOkResponse({ type: [RuleDefaultsDto] })
  list(): Promise<RuleDefaultsDto[]> {
    return this.defaults.list(this.em);
  }

  @Put(':kind')
  @Roles('CITY_ADMIN')
  @ApiOperation({
    summary:
      '修改西部隆起带计划的默认选派条件（只影响此后新建的计划）；“三区”的默认条件不能修改 → 409 NATIONAL_DEFAULTS',
  })
  @ApiParam({ name: 'kind', enum: SCHEME_KINDS })
  @ApiOkResponse({ type: RuleDefaultsDto })
  set(
    @CurrentActor() actor: Actor,
    @Param('kind', kindPipe()) kind: SchemeKind,
    @Body() dto: SelectionRulesDto,
  ): Promise<RuleDefaultsDto> {
    return this.defaults.set(actor, kind, dto);
  }
}
