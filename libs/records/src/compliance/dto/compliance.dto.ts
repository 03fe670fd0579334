import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '@shipei/core';

export class ComplianceQuery extends PageQuery {
  @ApiPropertyOptional({ description: '年度（与 cycle 二选一；都不填为当前年度）', example: 2019 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1990)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({
    description: '五年周期的起始年，如 2016 表示 2016–2020 周期（须为周期起始年）',
    example: 2016,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1990)
  @Max(2100)
  cycle?: number;

  @ApiPropertyOptional({ description: '县区（县区管理员只能是本县区）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  countyId?: number;

  @ApiPropertyOptional({ description: '学校' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  schoolId?: number;
}

export class ComplianceExportQuery extends OmitType(ComplianceQuery, ['page', 'pageSize'] as const) {}

export class CompliancePeriodDto {
  @ApiProperty({ enum: ['YEAR', 'CYCLE'] }) kind: 'YEAR' | 'CYCLE';
  @ApiProperty({ example: '2019年' }) label: string;
  @ApiProperty({ example: '2019-01-01' }) from: string;
  @ApiProperty({ example: '2019-12-31' }) to: string;
  @ApiProperty({ example: 48, description: '要求学时' }) required: number;
}

export class ShortfallDto {
  @ApiProperty() teacherId: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: '身份证号（脱敏）' }) idNumber: string;
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
  @ApiProperty() schoolId: number;
  @ApiProperty() schoolName: string;
  @ApiProperty({ description: '该期间已获学时（系统内 + 校外）' }) credits: number;
  @ApiProperty() required: number;
  @ApiProperty({ description: '差额（学时）' }) shortfall: number;
}

export class ComplianceListDto {
  @ApiProperty({ type: CompliancePeriodDto }) period: CompliancePeriodDto;
  @ApiProperty({ type: [ShortfallDto] }) items: ShortfallDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ComplianceSummaryRowDto {
  @ApiProperty({ description: '县区或学校 id' }) organisationId: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: '教师数' }) teachers: number;
  @ApiProperty({ description: '未达标教师数' }) short: number;
  @ApiProperty({ description: '未达标教师所差学时合计' }) shortfallHours: number;
}

export class ComplianceSummaryDto {
  @ApiProperty({ type: CompliancePeriodDto }) period: CompliancePeriodDto;
  @ApiProperty({ enum: ['COUNTY', 'SCHOOL'], description: '按县区（市级，未指定县区）或按学校汇总' }) by:
    'COUNTY' | 'SCHOOL';
  @ApiProperty({ type: [ComplianceSummaryRowDto] }) rows: ComplianceSummaryRowDto[];
}
