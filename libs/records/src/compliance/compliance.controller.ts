import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '@shipei/core';
import { XLSX_MIME } from '../shared/files';
import { ComplianceService } from './compliance.service';
import { ComplianceExportQuery, ComplianceListDto, ComplianceQuery, ComplianceSummaryDto } from './dto/compliance.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('v1/credit-compliance')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '学时未达标教师名单：某年度（≥ 48 学时）或五年周期（≥ 360 学时）学时不足的教师及所差学时，可按县区、学校筛选，分页；县区管理员仅本县区',
  })
  @ApiOkResponse({ type: ComplianceListDto })
  @ApiNotFoundResponse({ description: '县区或学校不存在或无权查看' })
  list(@CurrentActor() actor: Actor, @Query() q: ComplianceQuery): Promise<ComplianceListDto> {
    return this.compliance.list(actor, q);
  }

  @Get('summary')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '学时达标汇总：市级按县区、县区（或指定县区/学校时）按学校统计教师数与未达标人数' })
  @ApiOkResponse({ type: ComplianceSummaryDto })
  summary(@CurrentActor() actor: Actor, @Query() q: ComplianceExportQuery): Promise<ComplianceSummaryDto> {
    return this.compliance.summary(actor, q);
  }

  @Get('export')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '导出学时未达标名单（.xlsx，含按学校汇总；身份证号脱敏）' })
  @ApiProduces(XLSX_MIME)
  async export(@CurrentActor() actor: Actor, @Query() q: ComplianceExportQuery): Promise<StreamableFile> {
    const f = await this.compliance.export(actor, q);
    return new StreamableFile(f.body, { type: f.type, disposition: f.disposition });
  }
}
