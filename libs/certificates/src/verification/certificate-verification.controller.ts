import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Public, RateLimit } from '@shipei/core';
import { CertificateVerificationDto } from '../dto/certificate.dto';
import { CertificateVerification } from './certificate-verification.service';

/** Per client IP: enough for people scanning certificates, far too few to enumerate codes. */
export const VERIFY_LIMIT = 30;

@ApiTags('certificates')
@Controller('v1/certificates/verify')
export class CertificateVerificationController {
  constructor(private readonly verification: CertificateVerification) {}

  @Get(':code')
  @Public()
  @RateLimit('verify-api', VERIFY_LIMIT)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      '公开验证证书：姓名、项目、学时、起止日期、发证单位、编号、状态（VALID 有效 / REVOKED 已撤销）；每 IP 每分钟 30 次',
  })
  @ApiOkResponse({ type: CertificateVerificationDto })
  @ApiNotFoundResponse({ description: '验证码不存在' })
  @ApiTooManyRequestsResponse({ description: '请求过于频繁' })
  verify(@Param('code') code: string): Promise<CertificateVerificationDto> {
    return this.verification.verify(code);
  }
}

// The page behind the certificate's QR code (`GET /verify/:code`) is served by the web layer
// (libs/web/src/verify/verify-page.controller.ts) in the pages' shared frame, over the same service.
