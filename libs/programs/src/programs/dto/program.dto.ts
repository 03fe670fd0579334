import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQuery } from '@shipei/core';
import { BACKBONE_LEVELS, STAGES } from '@shipei/people';
import { PROGRAM_KINDS, PROGRAM_STATUSES, type ProgramKind, type ProgramStatus } from '../program.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateProgramDto {
  @ApiProperty({
    enum: PROGRAM_KINDS,
    description: 'BACKBONE_SUMMER 市级暑期骨干教师培训 / COUNTY_THEMATIC 县区专题培训 / OTHER',
  })
  @IsIn(PROGRAM_KINDS as unknown as string[], { message: '项目类型须为 BACKBONE_SUMMER、COUNTY_THEMATIC 或 OTHER' })
  kind: ProgramKind;

  @ApiProperty({ example: 2019 }) @IsInt({ message: '年度须为整数' }) @Min(2000) @Max(2100) year: number;

  @ApiProperty({ example: '2019年全市贫困村学校骨干教师暑期培训' })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: '项目名称至少 2 个字' })
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 400, description: '总名额' })
  @IsInt({ message: '名额须为整数' })
  @Min(1, { message: '名额至少为 1' })
  @Max(100000)
  seats: number;

  @ApiProperty({ example: 48, description: '学时（1 学时 = 1 学分）' })
  @IsNumber({ maxDecimalPlaces: 1 }, { message: '学时须为数字（最多 1 位小数）' })
  @Min(0)
  @Max(10000)
  creditHours: number;

  @ApiPropertyOptional({ example: 0.8, default: 0.8, description: '结业出勤率门槛，0–1 之间的小数' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 }, { message: '出勤率门槛须为 0–1 之间的小数' })
  @Min(0, { message: '出勤率门槛须为 0–1 之间的小数' })
  @Max(1, { message: '出勤率门槛须为 0–1 之间的小数' })
  attendanceThreshold?: number;

  @ApiPropertyOptional({ example: 15, default: 15, description: '迟到宽限（分钟）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  lateGraceMinutes?: number;

  @ApiPropertyOptional({ example: '2019-06-30T09:00:00.000Z', description: '推荐截止时间（ISO 8601）' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: '推荐截止时间须为 ISO 8601 日期时间' })
  nominationDeadline?: string;

  @ApiProperty({ example: 'LYGG', description: '证书编号前缀（字母数字，1–12 位）' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9]{1,12}$/, { message: '证书编号前缀须为 1–12 位字母或数字' })
  certificatePrefix: string;

  @ApiPropertyOptional({ description: '证书模板（Handlebars）；不填用默认模板' })
  @IsOptional()
  @IsString()
  @MaxLength(100000)
  certificateTemplate?: string;

  @ApiPropertyOptional({ default: true, description: '资格：须为贫困村学校教师' })
  @IsOptional()
  @IsBoolean()
  requirePovertyVillage?: boolean;

  @ApiPropertyOptional({ enum: BACKBONE_LEVELS, nullable: true, description: '资格：骨干教师最低级别' })
  @IsOptional()
  @IsIn([...BACKBONE_LEVELS], { message: '骨干教师级别须为 NONE/COUNTY/CITY/PROVINCE' })
  minBackboneLevel?: string | null;

  @ApiPropertyOptional({ enum: STAGES, isArray: true, description: '资格：学段（空 = 不限）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsIn([...STAGES], { each: true, message: '学段须为 幼儿园/小学/初中/高中/中职/特殊教育 之一' })
  stages?: string[];

  @ApiPropertyOptional({ type: [String], example: ['语文', '数学'], description: '资格：学科（空 = 不限）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(30, { each: true })
  @Matches(/^[^,]+$/, { each: true, message: '学科名称不能含逗号' })
  subjects?: string[];

  @ApiPropertyOptional({ example: '2019-07-15' })
  @IsOptional()
  @Matches(DATE, { message: '开始日期格式应为 YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: '开始日期无效' })
  startDate?: string;
  @ApiPropertyOptional({ example: '2019-08-15' })
  @IsOptional()
  @Matches(DATE, { message: '结束日期格式应为 YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: '结束日期无效' })
  endDate?: string;
}

export class UpdateProgramDto extends PartialType(OmitType(CreateProgramDto, ['kind'] as const)) {}

export class ProgramQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() year?: number;
  @ApiPropertyOptional({ enum: PROGRAM_KINDS })
  @IsOptional()
  @IsIn(PROGRAM_KINDS as unknown as string[])
  kind?: ProgramKind;
  @ApiPropertyOptional({ enum: PROGRAM_STATUSES })
  @IsOptional()
  @IsIn(PROGRAM_STATUSES as unknown as string[])
  status?: ProgramStatus;
}

export class ProgramDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: PROGRAM_KINDS }) kind: ProgramKind;
  @ApiProperty() year: number;
  @ApiProperty() title: string;
  @ApiProperty() ownerOrganisationId: number;
  @ApiProperty({ nullable: true, type: Number, description: '县区专题培训的所属县区；市级项目为 null' }) ownerCountyId:
    number | null;
  @ApiProperty() seats: number;
  @ApiProperty({ description: '已审核通过（占用名额）的人数' }) approvedCount: number;
  @ApiProperty() creditHours: number;
  @ApiProperty({ description: '0–1 之间的小数' }) attendanceThreshold: number;
  @ApiProperty() lateGraceMinutes: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nominationDeadline: string | null;
  @ApiProperty({ enum: PROGRAM_STATUSES }) status: ProgramStatus;
  @ApiProperty() requirePovertyVillage: boolean;
  @ApiProperty({ nullable: true, type: String }) minBackboneLevel: string | null;
  @ApiProperty({ type: [String] }) stages: string[];
  @ApiProperty({ type: [String] }) subjects: string[];
  @ApiProperty() certificatePrefix: string;
  @ApiProperty({ description: '是否设置了自定义证书模板' }) hasCertificateTemplate: boolean;
  @ApiProperty({ nullable: true, type: String }) startDate: string | null;
  @ApiProperty({ nullable: true, type: String }) endDate: string | null;
}

export class ProgramPageDto {
  @ApiProperty({ type: [ProgramDto] }) items: ProgramDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
