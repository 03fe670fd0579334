import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@shipei/core';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CHANNELS, DELIVERY_STATUSES, type Channel, type DeliveryStatus } from '../outbox/delivery.entity';

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true：只看未读' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread 须为 true 或 false' })
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty() id: number;
  @ApiProperty({ description: '消息类型，如 enrolment.approved' }) type: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String, description: '相关页面的路径' }) link: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readAt: string | null;
}

export class InboxPageDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty() total: number;
  @ApiProperty({ description: '未读条数（全部，不受筛选影响）' }) unread: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ReadResultDto {
  @ApiProperty({ description: '剩余未读条数' }) unread: number;
}

export class DeliveryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[], { message: 'channel 须为 SMS 或 EMAIL' })
  channel?: Channel;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES as unknown as string[], { message: 'status 须为 PENDING、SENT、FAILED 或 SKIPPED' })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: '消息类型，如 enrolment.approved' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  @Matches(/^[a-z.-]+$/, { message: 'type 须为消息类型，如 enrolment.approved' })
  type?: string;
}

export class DeliveryDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ description: '收件人（脱敏）' }) recipient: string;
  @ApiProperty() type: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, description: '最近一次失败时网关的答复' }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
