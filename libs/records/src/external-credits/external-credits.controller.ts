import { Controller, Get, HttpCode, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CurrentActor, Roles, XLSX_MIME, xlsxUpload } from '@shipei/core';
import type { FastifyRequest } from 'fastify';
import { CreditImportInvalidDto, ExternalCreditImportResultDto } from './dto/external-credit.dto';
import { ExternalCreditImportService } from './external-credit-import.service';
import { ExternalCreditTemplates } from './external-credit-templates.service';

@ApiTags('records')
@ApiBearerAuth()
@Controller('v1/external-credits')
export class ExternalCreditsController {
  constructor(
    private readonly imports: ExternalCreditImportService,
    private readonly templates: ExternalCreditTemplates,
  ) {}

  @Post('import')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '从 Excel（.xlsx，字段 file）导入校外培训学时：全部行通过才写入；同一教师同一证书编号（或同一项目与日期）再次导入时更新，不重复计入；县区仅本县区教师',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: ExternalCreditImportResultDto })
  @ApiBadRequestResponse({ type: CreditImportInvalidDto, description: 'IMPORT_INVALID：逐行列出错误，未写入任何数据' })
  @ApiConflictResponse({ description: 'EXTERNAL_CREDITS_CHANGED 同一记录的学时或日期刚被同时进行的另一次导入修改' })
  async import(@CurrentActor() actor: Actor, @Req() req: FastifyRequest): Promise<ExternalCreditImportResultDto> {
    return this.imports.import(actor, await xlsxUpload(req));
  }

  @Get('import-template')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '下载校外学时导入模板（.xlsx）' })
  @ApiProduces(XLSX_MIME)
  async template(): Promise<StreamableFile> {
    const t = await this.templates.template();
    return new StreamableFile(t.body, { type: t.type, disposition: t.disposition, length: t.body.length });
  }
}
