import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQuery } from '@shipei/core';
import { LEAVE_STATUSES, LEAVE_TYPES, LeaveStatus, LeaveType } from '../statuses';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateLeaveRequestDto {
  @ApiProperty({ type: [Number], description: '请假的课次（同一个班）' })
  @IsArray({ message: '请选择请假的课次' })
  @ArrayMinSize(1, { message: '请至少选择一个课次' })
  @ArrayMaxSize(100, { message: '一次最多 100 个课次' })
  @ArrayUnique({ message: '课次不能重复' })
  @IsInt({ each: true, message: '课次编号须为整数' })
  @Min(1, { each: true, message: '课次编号须为正整数' })
  sessionIds: number[];

  @ApiProperty({ enum: LEAVE_TYPES, description: 'SICK 病假 / PERSONAL 事假 / OFFICIAL 公假' })
  @IsIn(LEAVE_TYPES as unknown as string[], {
    message: '请假类型须为 SICK（病假）、PERSONAL（事假）或 OFFICIAL（公假）',
  })
  type: LeaveType;

  @ApiProperty({ example: '发烧就医' })
  @Transform(trim)
  @IsString({ message: '请假事由须为文本' })
  @MinLength(1, { message: '请填写请假事由' })
  @MaxLength(500, { message: '请假事由不能超过 500 个字符' })
  reason: string;
}

export class DecideLeaveRequestDto {
  @ApiPropertyOptional({ description: '审批意见（不批准时建议填写）' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '审批意见须为文本' })
  @MaxLength(500, { message: '审批意见不能超过 500 个字符' })
  note?: string;
}

export class LeaveQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) cohortId?: number;
  @ApiPropertyOptional({ enum: LEAVE_STATUSES })
  @IsOptional()
  @IsIn(LEAVE_STATUSES as unknown as string[])
  status?: LeaveStatus;
}

export class LeaveSessionDto {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
}

export class LeaveAttachmentDto {
  @ApiProperty({ description: '文件名' }) filename: string;
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'] })
  contentType: string;
  @ApiProperty({ description: '字节数' }) size: number;
}

export class LeaveRequestDto {
  @ApiProperty() id: number;
  @ApiProperty() enrolmentId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() teacherName: string;
  @ApiProperty() cohortId: number;
  @ApiProperty({ enum: LEAVE_TYPES }) type: LeaveType;
  @ApiProperty({ example: '病假' }) typeLabel: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: LEAVE_STATUSES }) status: LeaveStatus;
  @ApiProperty({ example: '待审批' }) statusLabel: string;
  @ApiProperty({ type: [LeaveSessionDto] }) sessions: LeaveSessionDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty({ nullable: true, type: LeaveAttachmentDto, description: '证明材料（如病历、假条），无则为 null' })
  attachment: LeaveAttachmentDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class LeaveRequestPageDto {
  @ApiProperty({ type: [LeaveRequestDto] }) items: LeaveRequestDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
