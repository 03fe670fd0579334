import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import type { FastifyReply } from 'fastify';
import { toIssuedDto } from './certificate-mapping';
import { CertificatesService } from './certificates.service';
import { CertificateDto, CertificateQuery, IssuedCertificateDto, RevokeCertificateDto } from './dto/certificate.dto';
import { CertificateIssuer } from './issuing/certificate-issuer.service';
import { CertificatePrinter } from './printing/certificate-printer.service';
import { CertificateRegisters, XlsxFile } from './registers/certificate-registers.service';
import { contentDisposition, XLSX_MIME } from './registers/xlsx';
import { ServiceCertificateIssuer } from './service/service-certificate-issuer.service';

const PDF = 'application/pdf';

function pdfFile(download: { filename: string; stream: NodeJS.ReadableStream }): StreamableFile {
  return new StreamableFile(download.stream as never, {
    type: PDF,
    disposition: contentDisposition(download.filename, 'inline'),
  });
}

/** A streamed .xlsx: no length, as it is written while it is sent. */
function xlsxFile(file: XlsxFile): StreamableFile {
  return new StreamableFile(file.stream, {
    type: XLSX_MIME,
    disposition: contentDisposition(file.filename, 'attachment'),
  });
}

/** Issuing (owner, trainers), printing and registers of certificates; one service call per route. */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('v1')
export class CertificateIssuingController {
  constructor(
    private readonly issuer: CertificateIssuer,
    private readonly printer: CertificatePrinter,
    private readonly registers: CertificateRegisters,
    private readonly serviceIssuer: ServiceCertificateIssuer,
  ) {}

  @Post('enrolments/:id/certificate')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({
    summary:
      '为已结业学员颁发证书（项目主办单位、本班培训教师）；已有有效证书则返回该证书（200），新颁发为 201；未结业 → 409 NOT_COMPLETED',
  })
  @ApiCreatedResponse({ type: IssuedCertificateDto })
  @ApiConflictResponse({ description: 'NOT_COMPLETED 未结业' })
  async issueOne(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedCertificateDto> {
    const outcome = await this.issuer.issueForEnrolment(actor, id);
    reply.status(outcome.created ? 201 : 200);
    return toIssuedDto(outcome.certificate);
  }

  @Post('placements/:id/service-certificate')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary:
      '为已完成服务期的选派出具支教证明（市级、该教师所在县区）；已有有效证明则返回该证明（200），新出具为 201；未完成 → 409 NOT_COMPLETED',
  })
  @ApiCreatedResponse({ type: IssuedCertificateDto })
  @ApiConflictResponse({ description: 'NOT_COMPLETED 选派尚未完成' })
  async issueService(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedCertificateDto> {
    const outcome = await this.serviceIssuer.issueForPlacement(actor, id);
    reply.status(outcome.created ? 201 : 200);
    return toIssuedDto(outcome.certificate);
  }

  @Post('cohorts/:id/certificates')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '为本班全部已结业学员颁发证书（已颁发的原样返回）；没有已结业学员 → 409 NOT_COMPLETED' })
  @ApiCreatedResponse({ type: [IssuedCertificateDto] })
  async issueCohort(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedCertificateDto[]> {
    const outcomes = await this.issuer.issueForCohort(actor, id);
    reply.status(outcomes.some((o) => o.created) ? 201 : 200);
    return outcomes.map((o) => toIssuedDto(o.certificate));
  }

  @Get('cohorts/:id/certificates/pdf')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
  @ApiOperation({ summary: '下载本班全部有效证书（一个 PDF，每页一份，按编号排序，流式输出）' })
  @ApiProduces(PDF)
  @ApiOkResponse({ description: 'PDF', schema: { type: 'string', format: 'binary' } })
  @ApiConflictResponse({ description: 'NO_CERTIFICATES 尚无有效证书' })
  async printCohort(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return pdfFile(await this.printer.printCohort(actor, id));
  }

  @Get('programs/:id/certificates.xlsx')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '证书登记册（Excel；身份证号脱敏；县区只含本县区教师，主办县区为全部）' })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({ description: 'xlsx', schema: { type: 'string', format: 'binary' } })
  async register(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return xlsxFile(await this.registers.register(actor, id));
  }

  @Get('programs/:id/credit-hours.xlsx')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '学分登记表（Excel：姓名、脱敏身份证号、学校、项目、学时、证书编号；仅有效证书）' })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({ description: 'xlsx', schema: { type: 'string', format: 'binary' } })
  async creditHours(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return xlsxFile(await this.registers.creditHours(actor, id));
  }
}

/** Certificates as records: list, one, its PDF, revocation. */
@ApiTags('certificates')
@ApiBearerAuth()
@Controller('v1/certificates')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly issuer: CertificateIssuer,
    private readonly printer: CertificatePrinter,
  ) {}

  @Get()
  @ApiOperation({ summary: '证书列表（市级全部；县区本县区教师及本县区项目；培训教师本班；教师本人）' })
  list(@CurrentActor() actor: Actor, @Query() q: CertificateQuery) {
    return this.certificates.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '证书详情' })
  @ApiOkResponse({ type: CertificateDto })
  @ApiNotFoundResponse()
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<CertificateDto> {
    return this.certificates.get(actor, id);
  }

  @Get(':id/pdf')
  @ApiOperation({ summary: '下载证书 PDF（持有人本人、本班培训教师、项目主办单位）；已撤销 → 409' })
  @ApiProduces(PDF)
  @ApiOkResponse({ description: 'PDF', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: '可查看但无权打印' })
  async pdf(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return pdfFile(await this.printer.printOne(actor, id));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({
    summary: '撤销证书（市级；县区专题培训由主办县区），须填写原因；记录保留，状态为已撤销，可重新颁发（新编号）',
  })
  @ApiOkResponse({ type: CertificateDto })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: RevokeCertificateDto,
  ): Promise<CertificateDto> {
    return this.certificates.toDto(await this.issuer.revoke(actor, id, dto.reason));
  }
}
