import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@shipei/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class AnnouncementAudienceDto {
  @ApiPropertyOptional({ type: [Number], description: '县区（组织）id；县区只能是本县区' })
  @IsOptional()
  @IsArray({ message: 'countyIds 须为数组' })
  @ArrayMinSize(1, { message: 'countyIds 不能为空数组' })
  @ArrayMaxSize(50)
  @IsInt({ each: true, message: 'countyIds 须为县区 id' })
  @Min(1, { each: true })
  countyIds?: number[];

  @ApiPropertyOptional({ description: '培训项目 id：该项目的参训教师（已通过审核）' })
  @IsOptional()
  @IsInt({ message: 'programId 须为项目 id' })
  @Min(1)
  programId?: number;

  @ApiPropertyOptional({ description: '班级 id：该班的学员' })
  @IsOptional()
  @IsInt({ message: 'cohortId 须为班级 id' })
  @Min(1)
  cohortId?: number;
}

export class CreateAnnouncementDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty({ message: '请填写标题' })
  @MaxLength(200, { message: '标题不能超过 200 字' })
  title: string;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @IsNotEmpty({ message: '请填写正文' })
  @MaxLength(10000, { message: '正文不能超过 10000 字' })
  body: string;

  @ApiProperty({
    type: AnnouncementAudienceDto,
    description: '对象：县区（其教体局和教师）、某项目的参训教师、某班学员；同时给出时取交集',
  })
  @ValidateNested()
  @Type(() => AnnouncementAudienceDto)
  audience: AnnouncementAudienceDto;
}

export class AnnouncementAttachmentDto {
  @ApiProperty() id: number;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
}

export class AnnouncementAudienceViewDto {
  @ApiProperty({ type: [Number] }) countyIds: number[];
  @ApiProperty({ nullable: true, type: Number }) programId: number | null;
  @ApiProperty({ nullable: true, type: Number }) cohortId: number | null;
}

export class AnnouncementSummaryDto {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
  @ApiProperty({ description: '发布单位' }) from: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: '本人阅读时间；非收件人或未读为 null',
  })
  readAt: string | null;
  @ApiProperty({ description: '本人是否为收件人' }) addressed: boolean;
  @ApiProperty({ nullable: true, type: Number, description: '已读人数（仅发布单位与市级可见）' }) reads: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '收件人数（仅发布单位与市级可见）' })
  recipients: number | null;
}

export class AnnouncementUnreadDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: '单位（学校或县区）' }) organisation: string;
  @ApiProperty({ enum: ['TEACHER', 'STAFF'] }) kind: 'TEACHER' | 'STAFF';
}

export class AnnouncementDto extends AnnouncementSummaryDto {
  @ApiProperty() body: string;
  @ApiProperty({ description: '本人单位发布的（可上传附件）' }) editable: boolean;
  @ApiProperty({ type: AnnouncementAudienceViewDto }) audience: AnnouncementAudienceViewDto;
  @ApiProperty({ type: [AnnouncementAttachmentDto] }) attachments: AnnouncementAttachmentDto[];
  @ApiProperty({
    nullable: true,
    type: [AnnouncementUnreadDto],
    description: '未读的收件人（仅发布单位与市级可见，最多 500 人）',
  })
  unread: AnnouncementUnreadDto[] | null;
}

export class AnnouncementPageDto {
  @ApiProperty({ type: [AnnouncementSummaryDto] }) items: AnnouncementSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class AnnouncementQuery extends PageQuery {}
