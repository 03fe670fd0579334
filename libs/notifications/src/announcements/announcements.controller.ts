import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import type { FastifyRequest } from 'fastify';
import { readAnnouncementFile } from './announcement-attachment';
import { AnnouncementDto, AnnouncementPageDto, AnnouncementQuery, CreateAnnouncementDto } from './announcement.dto';
import { AnnouncementsService } from './announcements.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/announcements')
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementsService) {}

  @Post()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '发布通知公告（市级；县区只能发给本县区的教体局、教师和本县区的参训教师）：对象为县区、某项目的参训教师或某班学员',
  })
  @ApiCreatedResponse({ type: AnnouncementDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateAnnouncementDto): Promise<AnnouncementDto> {
    return this.announcements.post(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: '通知公告列表：发给本人的，以及本单位发布的（附已读人数）' })
  @ApiOkResponse({ type: AnnouncementPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: AnnouncementQuery): Promise<AnnouncementPageDto> {
    return this.announcements.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '通知公告详情；发布单位与市级另见已读人数 reads、收件人数 recipients 和未读名单 unread' })
  @ApiOkResponse({ type: AnnouncementDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AnnouncementDto> {
    return this.announcements.get(actor, id);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标为已读（收件人打开时）；首次打开的时间计入已读' })
  @ApiOkResponse({ type: AnnouncementDto })
  read(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AnnouncementDto> {
    return this.announcements.read(actor, id);
  }

  @Post(':id/attachments')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '上传附件（发布单位）：PDF、Word、Excel、PowerPoint 或图片，≤ 10 MB，按内容识别格式，每条最多 10 个',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: AnnouncementDto })
  async attach(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Req() req: FastifyRequest,
  ): Promise<AnnouncementDto> {
    return this.announcements.attach(actor, id, await readAnnouncementFile(req));
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({ summary: '下载附件（收件人、发布单位、市级）' })
  @ApiProduces('application/pdf', 'application/octet-stream', 'image/jpeg', 'image/png', 'image/webp')
  async attachment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('attachmentId', IdPipe) attachmentId: number,
  ): Promise<StreamableFile> {
    const f = await this.announcements.attachment(actor, id, attachmentId);
    // Office files are downloaded, never shown inline: only PDFs and images open in the browser.
    const inline = f.contentType === 'application/pdf' || f.contentType.startsWith('image/');
    return new StreamableFile(f.content, {
      type: f.contentType,
      length: f.content.length,
      disposition: `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
    });
  }
}
