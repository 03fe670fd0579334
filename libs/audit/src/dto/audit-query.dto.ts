import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@shipei/core';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

/** Filters of the audit log list (API and page). */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: '对象类型，如 teacher、enrolment' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  entity?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) entityId?: string;
  @ApiPropertyOptional({ description: '操作，如 create、update、reveal' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  action?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() actorId?: number;
  @ApiPropertyOptional({ description: '起始时间（含）' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ description: '截止时间（不含）' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}
