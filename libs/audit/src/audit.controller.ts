import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { PageQuery, Roles } from '@shipei/core';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { EntityManager } from 'typeorm';
import { AuditService } from './audit.service';

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

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Get()
  @Roles('CITY_ADMIN')
  @ApiOperation({ summary: '审计日志（市级管理员）' })
  list(@Query() q: AuditQuery) {
    return this.audit.list(this.em, q, q);
  }
}
