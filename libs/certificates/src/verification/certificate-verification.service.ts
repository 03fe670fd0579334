import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AppConfig, NotFoundError } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Certificate } from '../certificate.entity';
import { toVerificationDto } from '../certificate-mapping';
import { CertificateVerificationDto } from '../dto/certificate.dto';
import { VERIFICATION_CODE_PATTERN } from '../issuing/certificate-numbers';
import { renderVerificationPage, renderVerificationNotFoundPage } from './verification-page';

export interface VerificationPage {
  status: 200 | 404;
  html: string;
}

/** The public verification of a certificate by its code (spec §6): what it says and whether it is still valid. */
@Injectable()
export class CertificateVerification {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  /** 404 for an unknown or malformed code (malformed ones without touching the database). */
  async verify(code: string): Promise<CertificateVerificationDto> {
    const certificate = VERIFICATION_CODE_PATTERN.test(code) ? await this.em.findOneBy(Certificate, { verificationCode: code }) : null;
    if (!certificate) throw new NotFoundError('证书');
    return toVerificationDto(certificate);
  }

  /** The Chinese page behind the QR code; a plain 404 page for an unknown code. */
  async page(code: string): Promise<VerificationPage> {
    try {
      return { status: 200, html: renderVerificationPage(await this.verify(code), this.config.platformName) };
    } catch (err) {
      if (err instanceof NotFoundError) return { status: 404, html: renderVerificationNotFoundPage(this.config.platformName) };
      throw err;
    }
  }
}
