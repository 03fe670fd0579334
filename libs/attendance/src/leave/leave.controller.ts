import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, StreamableFile } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readAttachment } from './leave-attachment';
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
import {
  CreateLeaveRequestDto,
  DecideLeaveRequestDto,
  LeaveQuery,
  LeaveRequestDto,
  LeaveRequestPageDto,
} from '../dto/leave.dto';
import { LeaveService } from './leave.service';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/leave-requests')
export class LeaveController {
  constructor(private readonly leave: LeaveService) {}

  @Post()
  @Roles('TEACHER')
  @ApiOperation({ summary: '请假（教师本人，本班课次）：类型 SICK 病假 / PERSONAL 事假 / OFFICIAL 公假，须填写事由' })
  @ApiCreatedResponse({ type: LeaveRequestDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateLeaveRequestDto): Promise<LeaveRequestDto> {
    return this.leave.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: '请假列表：教师看本人的，培训教师看本班的，主办单位与县区按范围' })
  @ApiOkResponse({ type: LeaveRequestPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: LeaveQuery) {
    return this.leave.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '请假详情' })
  @ApiOkResponse({ type: LeaveRequestDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<LeaveRequestDto> {
    return this.leave.get(actor, id);
  }

  @Put(':id/attachment')
  @Roles('TEACHER')
  @ApiOperation({
    summary:
      '上传请假证明材料（教师本人，待审批时）：图片（JPG/PNG/WEBP/HEIC）或 PDF，≤ 5 MB，按内容识别格式；再次上传即替换',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: LeaveRequestDto })
  async attach(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Req() req: FastifyRequest,
  ): Promise<LeaveRequestDto> {
    return this.leave.attach(actor, id, await readAttachment(req));
  }

  @Get(':id/attachment')
  @ApiOperation({ summary: '请假证明材料（教师本人、本班培训教师、主办单位；其他人不可见）' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf')
  async attachment(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    const f = await this.leave.attachment(actor, id);
    return new StreamableFile(f.content, {
      type: f.contentType,
      length: f.content.length,
      // Shown in the browser (a photo or PDF), never run: the type is the one sniffed at upload.
      disposition: `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
    });
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '批准请假（本班培训教师、主办单位）：所请课次记为请假' })
  @ApiOkResponse({ type: LeaveRequestDto })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: DecideLeaveRequestDto,
  ): Promise<LeaveRequestDto> {
    return this.leave.approve(actor, id, dto);
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '不批准请假（本班培训教师、主办单位）' })
  @ApiOkResponse({ type: LeaveRequestDto })
  refuse(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: DecideLeaveRequestDto,
  ): Promise<LeaveRequestDto> {
    return this.leave.refuse(actor, id, dto);
  }
}
