import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '@shipei/core';
import { IsCalendarDate } from '../../validation';
import { ASSESSMENTS, PLACEMENT_STATUSES, type Assessment, type PlacementStatus } from '../placement.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class NominatePlacementDto {
  @ApiProperty({ description: '本县区教师' }) @IsInt() @Min(1) teacherId: number;
  @ApiProperty({ description: '受援学校（单位标记为受援学校的学校）' }) @IsInt() @Min(1) receivingSchoolId: number;
}

export class RejectPlacementDto {
  @ApiProperty({ example: '材料不全' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '请填写不通过的原因' })
  @MaxLength(200)
  reason: string;
}

export class ArrivePlacementDto {
  @ApiProperty({ example: '2019-09-02', description: '到岗日期：在服务期内，且不晚于今天' })
  @IsCalendarDate()
  arrivalDate: string;
}

export class CompletePlacementDto {
  @ApiProperty({ enum: ASSESSMENTS, description: '考核结果' })
  @IsIn(ASSESSMENTS as unknown as string[], { message: '考核结果须为 优秀/合格/基本合格/不合格 之一' })
  assessment: Assessment;
  @ApiProperty({ example: '工作认真，成效明显', description: '考核评语' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '请填写考核评语' })
  @MaxLength(500)
  comment: string;
}

export class TerminatePlacementDto {
  @ApiProperty({ example: '2020-01-10', description: '最后在岗日（含当日）：不早于到岗日期，不晚于服务期末和今天' })
  @IsCalendarDate()
  date: string;
  @ApiProperty({ example: '因病提前返回' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: '请填写提前结束的原因' })
  @MaxLength(200)
  reason: string;
}

export class PlacementQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) countyId?: number;
  @ApiPropertyOptional({ enum: PLACEMENT_STATUSES })
  @IsOptional()
  @IsIn(PLACEMENT_STATUSES as unknown as string[])
  status?: PlacementStatus;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) teacherId?: number;
}

export class AllPlacementsQuery extends PlacementQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) schemeId?: number;
}

export class SchemeCountyFilter {
  @ApiPropertyOptional({ description: '只看一个县区（县区管理员总是只看本县区）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  countyId?: number;
}

/** One placement as the register (台账) shows it: no full 身份证号. */
export class PlacementDto {
  @ApiProperty() id: number;
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeTitle: string;
  @ApiProperty() teacherId: number;
  @ApiProperty() teacherName: string;
  @ApiProperty({ description: '身份证号（脱敏）' }) teacherIdNumber: string;
  @ApiProperty({ description: '派出县区' }) countyId: number;
  @ApiProperty() countyName: string;
  @ApiProperty({ description: '派出学校（人事关系所在单位，不变）' }) homeSchoolId: number;
  @ApiProperty() homeSchoolName: string;
  @ApiProperty() receivingSchoolId: number;
  @ApiProperty() receivingSchoolName: string;
  @ApiProperty() receivingCountyName: string;
  @ApiProperty({ enum: PLACEMENT_STATUSES }) status: PlacementStatus;
  @ApiProperty() statusLabel: string;
  @ApiProperty() nominatedAt: string;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason: string | null;
  @ApiProperty({ nullable: true, type: String }) arrivalDate: string | null;
  @ApiProperty({ nullable: true, type: String, description: '最后在岗日（期满为服务期末）' }) endDate: string | null;
  @ApiProperty({ nullable: true, enum: ASSESSMENTS }) assessment: Assessment | null;
  @ApiProperty({ nullable: true, type: String }) assessmentComment: string | null;
  @ApiProperty({ nullable: true, type: String }) terminationReason: string | null;
  @ApiProperty({ description: '服务天数（在岗中的计至今日或服务期末）' }) daysServed: number;
  @ApiProperty({
    description: '应发教师本人的工作补助与交通差旅费（分，不含付给保险公司的意外保险），折算规则见津贴台账',
  })
  stipendDueFen: number;
  @ApiProperty({ type: Number, nullable: true, description: '组团式选派的团队' }) teamId: number | null;
  @ApiProperty({ type: String, nullable: true }) teamName: string | null;
  @ApiProperty({ description: '是否为团队负责人（队长）' }) teamLeader: boolean;
}

/** What a service certificate (支教证明) shows for a COMPLETED placement: no 身份证号 (minimisation). */
export class ServiceCertificateData {
  @ApiProperty() placementId: number;
  @ApiProperty() schemeId: number;
  @ApiProperty() schemeKind: string;
  @ApiProperty() schemeKindLabel: string;
  @ApiProperty() schemeTitle: string;
  @ApiProperty() schemeYear: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() teacherName: string;
  @ApiProperty() gender: 'M' | 'F';
  @ApiProperty() homeCountyName: string;
  @ApiProperty() homeSchoolName: string;
  @ApiProperty() receivingCountyName: string;
  @ApiProperty() receivingSchoolName: string;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty() arrivalDate: string;
  @ApiProperty() endDate: string;
  @ApiProperty() daysServed: number;
  @ApiProperty({ enum: ASSESSMENTS }) assessment: Assessment;
}

export class ReceivingSchoolDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
}
