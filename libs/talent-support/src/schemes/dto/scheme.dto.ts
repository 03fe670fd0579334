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
import { BACKBONE_LEVELS, PUTONGHUA_LEVELS, TITLES, type Title } from '@shipei/people';
import { IsCalendarDate } from '../../validation';
import { DEFAULT_STIPEND_FEN, SCHEME_KINDS, TRAVEL_MODES, type SchemeKind, type TravelMode } from '../scheme.entity';

const BACKBONE_MINIMA = BACKBONE_LEVELS.filter((l) => l !== 'NONE');
const TITLE_MESSAGE = '职称须为 正高级教师/高级教师/一级教师/二级教师/三级教师/未定级 之一';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const ROUNDING_NOTE =
  '经费标准分为工作补助、交通差旅费、意外保险三项（构成由本地确定）。工作补助按天折算：服务天数与服务期天数均按自然日计（首尾两天都算）；' +
  '工作补助合计 = 年工作补助 × 服务天数 ÷ 服务期天数，四舍五入到分（服务满整个服务期即为全年工作补助）；再按各月服务天数用最大余数法分到各月，' +
  '各月之和恰好等于合计。交通差旅费包干的在到岗当月一次计发，按次的按登记的往返日期所在月计发（不超过预算次数）；' +
  '意外保险在到岗当月付给保险公司，不计入应发。应发 = 工作补助 + 交通差旅费；实发为登记的发放记录。' +
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

  @ApiPropertyOptional({ default: true, description: '所在学校本身是受援学校的教师不得选派' })
  @IsOptional()
  @IsBoolean()
  homeNotReceiving?: boolean;

  @ApiPropertyOptional({
    enum: TITLES,
    nullable: true,
    default: null,
    description: '幼儿园教师的最低职称（可放宽）；null 为与一般要求相同',
  })
  @IsOptional()
  @IsIn(TITLES as unknown as string[], { message: TITLE_MESSAGE })
  kindergartenMinTitle?: Title | null;

  @ApiPropertyOptional({
    enum: BACKBONE_MINIMA,
    nullable: true,
    default: null,
    description: '最低骨干教师级别（COUNTY 县级及以上 / CITY 市级及以上 / PROVINCE 省级）；null 为不要求',
  })
  @IsOptional()
  @IsIn(BACKBONE_MINIMA, { message: '骨干教师级别须为 COUNTY/CITY/PROVINCE 之一' })
  minBackboneLevel?: 'COUNTY' | 'CITY' | 'PROVINCE' | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    default: null,
    description: '男教师年龄上限（服务期开始时周岁）；null 为不限',
  })
  @IsOptional()
  @IsInt()
  @Min(18)
  @Max(70)
  maxAgeMale?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    default: null,
    description: '女教师年龄上限（服务期开始时周岁）；null 为不限',
  })
  @IsOptional()
  @IsInt()
  @Min(18)
  @Max(70)
  maxAgeFemale?: number | null;

  @ApiPropertyOptional({
    enum: PUTONGHUA_LEVELS,
    nullable: true,
    default: '二级乙等',
    description: '最低普通话等级，只对已登记等级的教师检查；null 为不检查',
  })
  @IsOptional()
  @IsIn(PUTONGHUA_LEVELS as unknown as string[], { message: `普通话等级须为 ${PUTONGHUA_LEVELS.join('/')} 之一` })
  minPutonghua?: (typeof PUTONGHUA_LEVELS)[number] | null;
}

export class StipendItemsDto {
  @ApiPropertyOptional({
    enum: TRAVEL_MODES,
    description: '交通差旅费：LUMP_SUM 一次性包干（到岗当月）/ PER_TRIP 按次（登记的往返次数）',
  })
  @IsOptional()
  @IsIn(TRAVEL_MODES as unknown as string[], { message: '交通差旅费方式须为 LUMP_SUM 或 PER_TRIP' })
  travelMode?: TravelMode;

  @ApiPropertyOptional({ description: '交通差旅费（分）：包干总额，或每次金额', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  travelFen?: number;

  @ApiPropertyOptional({ description: '按次报销时每年预算的往返次数（包干时为 0）', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(52)
  travelTrips?: number;

  @ApiPropertyOptional({ description: '意外保险（分，每人每年，付给保险公司）', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  insuranceFen?: number;
}

export class StipendSplitDto {
  @ApiProperty({ description: '每人每年经费标准（分）' }) stipendPerYearFen: number;
  @ApiProperty({ description: '工作补助（分，每人每年）= 标准 − 交通差旅费预算 − 意外保险；按在岗天数按月折算' })
  workSubsidyFen: number;
  @ApiProperty({ enum: TRAVEL_MODES }) travelMode: TravelMode;
  @ApiProperty() travelModeLabel: string;
  @ApiProperty({ description: '交通差旅费（分）：包干总额或每次金额' }) travelFen: number;
  @ApiProperty({ description: '按次报销时每年预算的次数' }) travelTrips: number;
  @ApiProperty({ description: '交通差旅费预算（分，每人每年）' }) travelBudgetFen: number;
  @ApiProperty({ description: '意外保险（分，每人每年，付给保险公司）' }) insuranceFen: number;
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

  @ApiPropertyOptional({
    type: StipendItemsDto,
    description: '经费构成（本地确定）；省略时全部为工作补助，交通差旅费与意外保险为 0',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StipendItemsDto)
  stipendItems?: StipendItemsDto;

  @ApiPropertyOptional({
    type: SelectionRulesDto,
    description: '选派条件；省略的项取该类计划的默认值（“三区”为国家通知，西部隆起带为本局自定）',
  })
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
  @ApiPropertyOptional({ type: StipendItemsDto, description: '经费构成；已有教师到岗后不能修改' })
  @IsOptional()
  @ValidateNested()
  @Type(() => StipendItemsDto)
  stipendItems?: StipendItemsDto;
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
  @ApiProperty() homeNotReceiving: boolean;
  @ApiProperty({ enum: TITLES, nullable: true, description: 'null 为与一般要求相同' })
  kindergartenMinTitle: Title | null;
  @ApiProperty({ enum: BACKBONE_MINIMA, nullable: true }) minBackboneLevel: 'COUNTY' | 'CITY' | 'PROVINCE' | null;
  @ApiProperty({ type: Number, nullable: true }) maxAgeMale: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxAgeFemale: number | null;
  @ApiProperty({ enum: PUTONGHUA_LEVELS, nullable: true }) minPutonghua: (typeof PUTONGHUA_LEVELS)[number] | null;
}

export class RuleDefaultsDto {
  @ApiProperty({ enum: SCHEME_KINDS }) kind: SchemeKind;
  @ApiProperty() kindLabel: string;
  @ApiProperty({ description: '可否修改（只有西部隆起带的默认条件由本局自定）' }) editable: boolean;
  @ApiProperty({ description: '默认条件的来源' }) source: string;
  @ApiProperty({ type: SelectionRulesViewDto }) rules: SelectionRulesViewDto;
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
  @ApiProperty({ description: '每人每年经费标准（分）' }) stipendPerYearFen: number;
  @ApiProperty({ type: StipendSplitDto, description: '经费构成' }) stipendItems: StipendSplitDto;
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
