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
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@shipei/core';
import { ENROLMENT_STATUSES, type EnrolmentStatus } from '../enrolment.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class NominateDto {
  @ApiProperty({ description: '被推荐的教师（本县区）' })
  @IsInt({ message: '教师编号须为整数' })
  @Min(1)
  teacherId: number;
}

export class ReasonDto {
  @ApiProperty({ example: '不符合学科要求' })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: '请填写原因（至少 2 个字）' })
  @MaxLength(500)
  reason: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ example: '工作冲突' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AssignDto {
  @ApiProperty({ type: [Number], description: '分入本班的报名记录（审核通过或已报到）' })
  @IsArray()
  @ArrayMinSize(1, { message: '请选择要分班的学员' })
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsInt({ each: true })
  enrolmentIds: number[];
}

export class QuotaItemDto {
  @ApiProperty() @IsInt({ message: '县区编号须为整数' }) @Min(1) countyId: number;
  @ApiProperty({ example: 30 })
  @IsInt({ message: '名额须为整数' })
  @Min(0, { message: '名额不能为负数' })
  seats: number;
}

/** The body of PUT …/quotas: a JSON array, validated element by element. */
export class QuotaListDto {
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => QuotaItemDto) items: QuotaItemDto[];
}

export class EnrolmentQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() programId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() countyId?: number;
  @ApiPropertyOptional({ enum: ENROLMENT_STATUSES })
  @IsOptional()
  @IsIn(ENROLMENT_STATUSES as unknown as string[])
  status?: EnrolmentStatus;
  @ApiPropertyOptional({ description: '班级；0 = 未分班' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  cohortId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() teacherId?: number;
  @ApiPropertyOptional({ description: '教师姓名（前缀）' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  q?: string;
}

export class RosterQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() countyId?: number;
  @ApiPropertyOptional({ enum: ENROLMENT_STATUSES })
  @IsOptional()
  @IsIn(ENROLMENT_STATUSES as unknown as string[])
  status?: EnrolmentStatus;
  @ApiPropertyOptional({ description: '班级；0 = 未分班' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  cohortId?: number;
}

export class EnrolmentDto {
  @ApiProperty() id: number;
  @ApiProperty() programId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() teacherName: string;
  @ApiProperty({ description: '身份证号（脱敏）' }) idNumber: string;
  @ApiProperty() schoolId: number;
  @ApiProperty() schoolName: string;
  @ApiProperty() countyId: number;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ enum: ENROLMENT_STATUSES }) status: EnrolmentStatus;
  @ApiProperty({ nullable: true, type: Number }) cohortId: number | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: Number }) attendedHours: number | null;
  @ApiProperty({ nullable: true, type: Number }) attendanceRate: number | null;
  @ApiProperty({ nullable: true, type: Number }) creditHours: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nominatedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) approvedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) confirmedAt: string | null;
}

export class EnrolmentPageDto {
  @ApiProperty({ type: [EnrolmentDto] }) items: EnrolmentDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ImportResultDto {
  @ApiProperty({ description: '名额内推荐人数' }) nominated: number;
  @ApiProperty({ description: '超出名额列为候补的人数' }) waitlisted: number;
  @ApiProperty({ type: [Number] }) enrolmentIds: number[];
}

export class QuotaDto {
  @ApiProperty() countyId: number;
  @ApiProperty({ nullable: true, type: String }) countyCode: string | null;
  @ApiProperty() countyName: string;
  @ApiProperty() seats: number;
  @ApiProperty({ description: '占用名额的推荐人数' }) nominatedCount: number;
}

export class QuotaSuggestionItemDto {
  @ApiProperty() countyId: number;
  @ApiProperty({ nullable: true, type: String }) countyCode: string | null;
  @ApiProperty() countyName: string;
  @ApiProperty({ description: '符合条件的教师数' }) eligibleTeachers: number;
  @ApiProperty({ description: '建议名额（最大余额法）' }) seats: number;
}

export class QuotaSuggestionDto {
  @ApiProperty() seats: number;
  @ApiProperty() eligibleTeachers: number;
  @ApiProperty({ type: [QuotaSuggestionItemDto] }) items: QuotaSuggestionItemDto[];
}

export class AssignmentResultDto {
  @ApiProperty() cohortId: number;
  @ApiProperty({ description: '本次分入人数' }) assigned: number;
  @ApiProperty() assignedCount: number;
  @ApiProperty() capacity: number;
}

export class AutoAssignCohortDto {
  @ApiProperty() cohortId: number;
  @ApiProperty() name: string;
  @ApiProperty() assigned: number;
  @ApiProperty() assignedCount: number;
  @ApiProperty() capacity: number;
}

export class AutoAssignResultDto {
  @ApiProperty() assigned: number;
  @ApiProperty({ description: '因容量或日期冲突未能分班的人数' }) unassigned: number;
  @ApiProperty({ type: [AutoAssignCohortDto] }) cohorts: AutoAssignCohortDto[];
}

export class CountyFiguresDto {
  @ApiProperty() countyId: number;
  @ApiProperty({ nullable: true, type: String }) countyCode: string | null;
  @ApiProperty() countyName: string;
  @ApiProperty() quota: number;
  @ApiProperty({ description: '占用名额的推荐（含审核通过、已报到、已结业）' }) nominated: number;
  @ApiProperty() waitlisted: number;
  @ApiProperty({ description: '审核通过（含已报到、已结业）' }) approved: number;
  @ApiProperty({ description: '已报到（含已结业与未结业）' }) confirmed: number;
  @ApiProperty() completed: number;
  @ApiProperty() rejected: number;
  @ApiProperty() withdrawn: number;
  @ApiProperty() declined: number;
}

export class ProgramFiguresDto {
  @ApiProperty() programId: number;
  @ApiProperty() seats: number;
  @ApiProperty() approvedCount: number;
  @ApiProperty({ type: [CountyFiguresDto] }) counties: CountyFiguresDto[];
  @ApiProperty({ type: CountyFiguresDto, description: '合计（countyId 为 0）' }) total: CountyFiguresDto;
}
