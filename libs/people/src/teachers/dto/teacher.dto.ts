import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '@shipei/core';
import { IsPersonName, IsResidentIdNumber, MOBILE } from '../../identity/resident-id';
import { STAGES } from '../../organisations/organisation.entity';
import { BACKBONE_LEVELS, PUTONGHUA_LEVELS, TITLES, type BackboneLevel, type PutonghuaLevel } from '../teacher.entity';

/** A keyset cursor as the list hands it out (base64url). */
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Optional fields shared by create and update. */
export class TeacherFieldsDto {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES as unknown as string[], { message: '学段须为 幼儿园/小学/初中/高中/中职/特殊教育 之一' })
  stage?: string;
  @ApiPropertyOptional({ example: '语文' }) @IsOptional() @IsString() @MaxLength(30) subject?: string;
  @ApiPropertyOptional({ enum: TITLES })
  @IsOptional()
  @IsIn(TITLES as unknown as string[], {
    message: '职称须为 正高级教师/高级教师/一级教师/二级教师/三级教师/未定级 之一',
  })
  title?: string;
  @ApiPropertyOptional({
    enum: BACKBONE_LEVELS,
    description: '骨干教师级别：NONE 无 / COUNTY 县级 / CITY 市级 / PROVINCE 省级',
  })
  @IsOptional()
  @IsIn(BACKBONE_LEVELS as unknown as string[])
  backboneLevel?: BackboneLevel;
  @ApiPropertyOptional({ description: '开始任教年份（教龄由此推算）', example: 2008 })
  @IsOptional()
  @IsInt()
  @Min(1950)
  @Max(2100)
  teachingStartYear?: number;
  @ApiPropertyOptional({ description: '近三年年度考核合格' }) @IsOptional() @IsBoolean() appraisalsQualified?: boolean;
  @ApiPropertyOptional({ description: '试用期内' }) @IsOptional() @IsBoolean() onProbation?: boolean;
  @ApiPropertyOptional({ description: '特岗教师' }) @IsOptional() @IsBoolean() specialPost?: boolean;
  @ApiPropertyOptional({ description: '教师资格证号' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9]{6,30}$/, { message: '教师资格证号应为 6–30 位字母或数字' })
  qualificationCertNo?: string;
  @ApiPropertyOptional({ enum: PUTONGHUA_LEVELS, description: '普通话等级（未测或未登记时省略）' })
  @IsOptional()
  @IsIn(PUTONGHUA_LEVELS as unknown as string[], { message: `普通话等级须为 ${PUTONGHUA_LEVELS.join('/')} 之一` })
  putonghuaLevel?: PutonghuaLevel;
}

export class CreateTeacherDto extends TeacherFieldsDto {
  @ApiProperty({ example: '张三' })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: '姓名至少 2 个字' })
  @MaxLength(50)
  @IsPersonName()
  name: string;
  @ApiProperty({ example: '11010519491231002X', description: '身份证号（18 位，校验码正确）' })
  @Transform(trim)
  @IsString()
  @IsResidentIdNumber()
  idNumber: string;
  @ApiProperty({ example: '13912345678' })
  @Transform(trim)
  @IsString()
  @Matches(MOBILE, { message: '手机号应为 11 位，以 13–19 开头' })
  phone: string;
  @ApiProperty({ description: '任职学校' }) @Type(() => Number) @IsInt() schoolId: number;
}

export class UpdateTeacherDto extends TeacherFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(50)
  @IsPersonName()
  name?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(MOBILE, { message: '手机号应为 11 位，以 13–19 开头' })
  phone?: string;
  @ApiPropertyOptional({ description: '调动到本县区（市级：任意）另一学校' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  schoolId?: number;
}

export class TeacherQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() countyId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() schoolId?: number;
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES as unknown as string[]) stage?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(30) subject?: string;
  @ApiPropertyOptional({ enum: TITLES }) @IsOptional() @IsIn(TITLES as unknown as string[]) title?: string;
  @ApiPropertyOptional({ enum: BACKBONE_LEVELS })
  @IsOptional()
  @IsIn(BACKBONE_LEVELS as unknown as string[])
  backboneLevel?: BackboneLevel;
  @ApiPropertyOptional({ description: '学校为贫困村学校' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  povertyVillage?: boolean;
  @ApiPropertyOptional({ description: '学校为受援学校' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  receivingSchool?: boolean;
  @ApiPropertyOptional({ description: '姓名（前缀）或完整手机号；按姓名查询时结果按姓名排序' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  q?: string;
  @ApiPropertyOptional({
    description:
      '游标翻页：上一页回复中的 next，取其后的一页（与 page 同时给出时 page 只作页码显示）。深页请用游标：耗时与页的位置无关',
  })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: '翻页位置（after）无效，请从第一页重新查询' })
  after?: string;
  @ApiPropertyOptional({ description: '游标翻页：回复中的 prev，取其前的一页' })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: '翻页位置（before）无效，请从第一页重新查询' })
  before?: string;
}

/**
 * A page of teachers. `total` is exact when `totalExact` is true: always for the city, a county or a
 * school without other filters (kept per county) and for filtered lists of up to 10,000 matches;
 * beyond that it is an estimate (约), rounded to two significant figures, so that no request counts
 * more than 10,000 rows. `next` / `prev` are cursors for `after=` / `before=`.
 */
export class TeacherPageDto {
  @ApiProperty({ type: () => [TeacherDto] }) items: TeacherDto[];
  @ApiProperty({ description: '总数；totalExact 为 false 时为估计值（约）' }) total: number;
  @ApiProperty({ description: '总数是否精确（筛选结果超过 10,000 条时为估计值）' }) totalExact: boolean;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ nullable: true, type: String, description: '下一页游标（after=），没有下一页时为 null' })
  next: string | null;
  @ApiProperty({ nullable: true, type: String, description: '上一页游标（before=），第一页为 null' })
  prev: string | null;
}

export class TeacherDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: '身份证号（列表中脱敏）' }) idNumber: string;
  @ApiProperty({ enum: ['M', 'F'] }) gender: 'M' | 'F';
  @ApiProperty() birthDate: string;
  @ApiProperty({ description: '手机号（列表中脱敏）' }) phone: string;
  @ApiProperty() schoolId: number;
  @ApiProperty() countyId: number;
  @ApiProperty({ nullable: true, type: String }) stage: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ enum: BACKBONE_LEVELS }) backboneLevel: BackboneLevel;
  @ApiProperty({ nullable: true, type: Number }) teachingStartYear: number | null;
  @ApiProperty() appraisalsQualified: boolean;
  @ApiProperty() onProbation: boolean;
  @ApiProperty() specialPost: boolean;
  @ApiProperty({ nullable: true, type: String }) qualificationCertNo: string | null;
  @ApiProperty({ enum: PUTONGHUA_LEVELS, nullable: true, description: '普通话等级（未登记为 null）' })
  putonghuaLevel: PutonghuaLevel | null;
}

export class TeacherDetailQuery {
  @ApiPropertyOptional({ description: '市级管理员查看完整身份证号与手机号（记入审计日志）' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  full?: boolean;
}
