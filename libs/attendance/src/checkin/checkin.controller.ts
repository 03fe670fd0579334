import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, JsonSchemaPipe, Roles } from '@shipei/core';
import type { FastifyReply } from 'fastify';
import { CHECKIN_BODY, CheckinBody, CheckinCodeDto, CheckinResultDto } from '../dto/attendance.dto';
import { CheckinService } from './checkin.service';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/sessions')
export class CheckinController {
  constructor(private readonly checkin: CheckinService) {}

  @Get(':id/checkin-code')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '当前签到二维码（本班培训教师、项目主办单位）：每 30 秒更换；教师不可获取' })
  @ApiOkResponse({ type: CheckinCodeDto })
  code(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CheckinCodeDto> {
    return this.checkin.code(actor, id);
  }

  @Post(':id/checkins')
  @Roles('TEACHER')
  @ApiOperation({
    summary:
      '教师扫码签到（本人）：开始前 30 分钟开放，开始后超过宽限时间为迟到，结束时关闭；重复签到返回原记录（200）',
  })
  @ApiBody({ schema: CHECKIN_BODY })
  @ApiCreatedResponse({ type: CheckinResultDto, description: '签到成功' })
  @ApiOkResponse({ type: CheckinResultDto, description: '此前已签到，返回原记录' })
  async checkIn(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body(new JsonSchemaPipe<CheckinBody>(CHECKIN_BODY)) body: CheckinBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CheckinResultDto> {
    const result = await this.checkin.checkIn(actor, id, body.code);
    reply.status(result.alreadyCheckedIn ? 200 : 201);
    return result;
  }
}
