import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';

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
