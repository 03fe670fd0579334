import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { DeliveryDto, DeliveryPageDto, DeliveryQuery } from '../dto/notification.dto';
import { DeliveriesService } from './deliveries.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications/deliveries')
@Roles('CITY_ADMIN')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: '短信和邮件的发送记录（市级）：按渠道、状态、类型筛选；收件人脱敏' })
  @ApiOkResponse({ type: DeliveryPageDto })
  list(@Query() q: DeliveryQuery): Promise<DeliveryPageDto> {
    return this.deliveries.list(q);
  }

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({ summary: '重发一条发送失败的消息（市级）' })
  @ApiOkResponse({ type: DeliveryDto })
  resend(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<DeliveryDto> {
    return this.deliveries.resend(actor, id);
  }
}
