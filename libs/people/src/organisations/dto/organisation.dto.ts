import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '@shipei/core';
import { ORGANISATION_TYPES, STAGES, type OrganisationType } from '../organisation.entity';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class OrganisationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORGANISATION_TYPES })
  @IsOptional()
  @IsIn(ORGANISATION_TYPES as unknown as string[])
  type?: OrganisationType;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() parentId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() countyId?: number;
  @ApiPropertyOptional({ description: '名称包含' }) @IsOptional() @IsString() @MaxLength(50) q?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() povertyVillage?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() receivingSchool?: boolean;
}

export class CreateOrganisationDto {
  @ApiProperty({ enum: ['SCHOOL', 'INSTITUTION', 'PARTNER'], example: 'SCHOOL' })
  @IsIn(['SCHOOL', 'INSTITUTION', 'PARTNER'])
  type: 'SCHOOL' | 'INSTITUTION' | 'PARTNER';

  @ApiProperty({ example: '兰山区某某小学' }) @IsString() @MinLength(2) @MaxLength(100) name: string;

  @ApiPropertyOptional({ description: '上级单位：学校为其县区；机构为市局（可省略）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  parentId?: number;

  @ApiPropertyOptional({ description: '单位代码（可选，唯一）' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,20}$/, { message: '单位代码为 2–20 位字母、数字或 -' })
  code?: string;

  @ApiPropertyOptional({ enum: STAGES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(STAGES as unknown as string[], { each: true })
  stages?: string[];

  @ApiPropertyOptional({ description: '贫困村学校', default: false })
  @IsOptional()
  @IsBoolean()
  povertyVillage?: boolean;

  @ApiPropertyOptional({ description: '受援学校', default: false })
  @IsOptional()
  @IsBoolean()
  receivingSchool?: boolean;
}

export class UpdateOrganisationDto {
  // Absent = unchanged; null is not a name (IsOptional would let it through to the service).
  @ApiPropertyOptional()
  @ValidateIf((o) => o.name !== undefined)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name?: string;
  @ApiPropertyOptional({ enum: STAGES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(STAGES as unknown as string[], { each: true })
  stages?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() povertyVillage?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() receivingSchool?: boolean;
}

export class OrganisationDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ORGANISATION_TYPES }) type: OrganisationType;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: Number }) parentId: number | null;
  @ApiProperty({ nullable: true, type: Number }) countyId: number | null;
  @ApiProperty({ type: [String] }) stages: string[];
  @ApiProperty() povertyVillage: boolean;
  @ApiProperty() receivingSchool: boolean;
}
