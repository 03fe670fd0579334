import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe } from '@shipei/core';
import { InboxPageDto, InboxQuery, ReadResultDto } from '../dto/notification.dto';
import { InboxService } from './inbox.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/me/notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: '我的消息（站内信），新的在前；unread=true 只看未读' })
  @ApiOkResponse({ type: InboxPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: InboxQuery): Promise<InboxPageDto> {
    return this.inbox.list(actor, q);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部标为已读' })
  @ApiOkResponse({ type: ReadResultDto })
  readAll(@CurrentActor() actor: Actor): Promise<ReadResultDto> {
    return this.inbox.readAll(actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标为已读（本人的消息；他人的为 404）' })
  @ApiOkResponse({ type: ReadResultDto })
  read(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ReadResultDto> {
    return this.inbox.read(actor, id);
  }
}
