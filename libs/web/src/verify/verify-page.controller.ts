import { Get, Param, Req, Res } from '@nestjs/common';
import {
  CertificateVerification,
  CertificateVerificationDto,
  formatChineseDate,
  formatHours,
  VERIFY_LIMIT,
} from '@shipei/certificates';
import { NotFoundError, Public, RateLimit } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';

/**
 * 证书验证: the public page behind a certificate's QR code (`/verify/:code`), in the pages' bare
 * layout. What the certificate says and whether it is still valid (有效 / 已撤销), nothing more;
 * an unknown code is a Chinese not-found page (404).
 */
@WebController('verify')
export class VerifyPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly verification: CertificateVerification,
  ) {}

  @Get(':code')
  @Public()
  // The verification API's limit per client address, for the page too.
  @RateLimit('verify-page', VERIFY_LIMIT)
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('code') code: string): Promise<void> {
    reply.header('x-robots-tag', 'noindex');
    let v: CertificateVerificationDto;
    try {
      v = await this.verification.verify(code);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      return this.pages.render(req, reply, 'verify/not-found', { title: '证书验证', layout: 'bare', status: 404 });
    }
    // A service certificate (支教证明) names its scheme and service period, and shows hours only when it has some.
    const service = (v as { kind?: string }).kind === 'SERVICE';
    return this.pages.render(
      req,
      reply,
      'verify/certificate',
      { title: `${v.kindLabel}验证`, layout: 'bare' },
      {
        v,
        titleLabel: (v as { titleLabel?: string }).titleLabel ?? '培训项目',
        hours: service && !v.creditHours ? '' : formatHours(v.creditHours),
        periodLabel: service ? '服务时间' : '培训时间',
        period: `${formatChineseDate(v.startDate)}至${formatChineseDate(v.endDate)}`,
        issueDate: formatChineseDate(v.issueDate),
      },
    );
  }
}
