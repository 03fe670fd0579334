import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@shipei/core';
import { TITLES, type Title } from '@shipei/people';
import { IsCalendarDate } from '../../validation';
import { DEFAULT_STIPEND_FEN, SCHEME_KINDS, type SchemeKind } from '../scheme.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const ROUNDING_NOTE =
  '津贴按天折算：服务天数与服务期天数均按自然日计（首尾两天都算）；应发合计 = 年津贴 × 服务天数 ÷ 服务期天数，四舍五入到分' +
  '（服务满整个服务期即为全年津贴）；再按各月服务天数用最大余数法分到各月，各月之和恰好等于合计。' +
  '在岗支教的选派计至今日（北京时间）或服务期末，以先到者为准。';

export class SelectionRulesDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    default: 5,
    description: '最低教龄（年）：服务期开始年份 − 开始任教年份；null 为不限',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  minYearsOfService?: number | null;

  @ApiPropertyOptional({
    enum: TITLES,
    nullable: true,
    default: '一级教师',
    description: '最低职称（含）；null 为不限',
  })
  @IsOptional()
  @IsIn(TITLES as unknown as string[], {
    message: '职称须为 正高级教师/高级教师/一级教师/二级教师/三级教师/未定级 之一',
  })
  minTitle?: Title | null;

  @ApiPropertyOptional({ default: true, description: '须近三年年度考核合格' })
  @IsOptional()
  @IsBoolean()
  appraisalsQualified?: boolean;
  @ApiPropertyOptional({ default: true, description: '试用期内教师不得选派' })
  @IsOptional()
  @IsBoolean()
  notOnProbation?: boolean;
  @ApiPropertyOptional({ default: true, description: '特岗教师不得选派' })
  @IsOptional()
  @IsBoolean()
  notSpecialPost?: boolean;
}

export class CreateSchemeDto {
  @ApiProperty({
    enum: SCHEME_KINDS,
    description:
      'THREE_DISTRICTS 国家"三区"人才支持计划教师专项计划 / WESTERN_BELT 西部经济隆起带和省扶贫开发重点地区人才支持计划',
  })
  @IsIn(SCHEME_KINDS as unknown as string[], { message: '计划类型须为 THREE_DISTRICTS 或 WESTERN_BELT' })
  kind: SchemeKind;

  @ApiProperty({ example: 2019 }) @IsInt() @Min(2000) @Max(2100) year: number;

  @ApiPropertyOptional({ description: '名称；省略时为「<年度>年<计划类型>」' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  title?: string;

  @ApiProperty({ example: 40, description: '选派名额' }) @IsInt() @Min(1) @Max(100000) places: number;

  @ApiProperty({ example: '2019-09-01', description: '服务期开始（一个学年，最长 366 天）' })
  @IsCalendarDate()
  termStart: string;

  @ApiProperty({ example: '2020-07-15', description: '服务期结束（含当日）' }) @IsCalendarDate() termEnd: string;

  @ApiPropertyOptional({
    default: DEFAULT_STIPEND_FEN,
    description: '每人每年津贴，单位：分（默认 2,000,000 分 = 2 万元）',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  stipendPerYearFen?: number;

  @ApiPropertyOptional({ type: SelectionRulesDto, description: '选派条件；省略的项取国家默认值' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SelectionRulesDto)
  rules?: SelectionRulesDto;
}

export class UpdateSchemeDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(2) @MaxLength(100) title?: string;
  @ApiPropertyOptional({ description: '不能少于已分配的县区名额合计' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  places?: number;
  @ApiPropertyOptional({ description: '已有教师到岗后不能修改' }) @IsOptional() @IsCalendarDate() termStart?: string;
  @ApiPropertyOptional({ description: '已有教师到岗后不能修改' }) @IsOptional() @IsCalendarDate() termEnd?: string;
  @ApiPropertyOptional({ description: '单位：分；已有教师到岗后不能修改' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  stipendPerYearFen?: number;
  @ApiPropertyOptional({ type: SelectionRulesDto, description: '只影响此后的推荐' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SelectionRulesDto)
  rules?: SelectionRulesDto;
}

export class SchemeQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ enum: SCHEME_KINDS })
  @IsOptional()
  @IsIn(SCHEME_KINDS as unknown as string[])
  kind?: SchemeKind;
}

export class SelectionRulesViewDto {
  @ApiProperty({ type: Number, nullable: true }) minYearsOfService: number | null;
  @ApiProperty({ enum: TITLES, nullable: true }) minTitle: Title | null;
  @ApiProperty() appraisalsQualified: boolean;
  @ApiProperty() notOnProbation: boolean;
  @ApiProperty() notSpecialPost: boolean;
}

export class SchemeDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: SCHEME_KINDS }) kind: SchemeKind;
  @ApiProperty() kindLabel: string;
  @ApiProperty() year: number;
  @ApiProperty() title: string;
  @ApiProperty() places: number;
  @ApiProperty({ description: '已分配给各县区的名额合计' }) allocated: number;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty({ description: '服务期天数（含首尾）' }) daysInTerm: number;
  @ApiProperty({ description: '每人每年津贴（分）' }) stipendPerYearFen: number;
  @ApiProperty({ type: SelectionRulesViewDto }) rules: SelectionRulesViewDto;
}

export class SchemeQuotaItemDto {
  @ApiProperty() @IsInt() @Min(1) countyId: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) places: number;
}

export class SchemeQuotaDto {
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
  @ApiProperty() places: number;
  @ApiProperty({ description: '已占用（推荐后未被退回的人数）' }) used: number;
}
