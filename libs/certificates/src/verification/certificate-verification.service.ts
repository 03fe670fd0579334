import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { NotFoundError } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Certificate } from '../certificate.entity';
import { toVerificationDto } from '../certificate-mapping';
import { CertificateVerificationDto } from '../dto/certificate.dto';
import { VERIFICATION_CODE_PATTERN } from '../issuing/certificate-numbers';

/**
 * The public verification of a certificate by its code (spec §6): what it says and whether it is
 * still valid. Served as JSON by CertificateVerificationController and as the page behind the QR
 * code by the web layer (libs/web/src/verify).
 */
@Injectable()
export class CertificateVerification {
  constructor(@InjectEntityManager() private readonly em: EntityManager) {}

  /** 404 for an unknown or malformed code (malformed ones without touching the database). */
  async verify(code: string): Promise<CertificateVerificationDto> {
    const certificate = VERIFICATION_CODE_PATTERN.test(code)
      ? await this.em.findOneBy(Certificate, { verificationCode: code })
      : null;
    if (!certificate) throw new NotFoundError('证书');
    return toVerificationDto(certificate);
  }
}
