import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { SessionDto, UpdateSessionDto } from './dto/session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('v1/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: '课次详情' })
  @ApiOkResponse({ type: SessionDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<SessionDto> {
    return this.sessions.get(this.em, actor, id);
  }

  @Patch(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '调整课次（主办单位）' })
  @ApiOkResponse({ type: SessionDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateSessionDto,
  ): Promise<SessionDto> {
    return this.sessions.update(actor, id, dto);
  }
}
