import { Module } from '@nestjs/common';
import { AttendanceModule } from '@shipei/attendance';
import { EnrolmentModule } from '@shipei/enrolment';
import { ProgramsModule } from '@shipei/programs';
import { TalentSupportModule } from '@shipei/talent-support';
import { CertificateRenderer } from './rendering';
import { CertificateTemplateStore } from './certificate-template-store';
import { CertificatesAccess } from './certificates.access';
import { CertificateIssuingController, CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';
import { CertificateAssessmentLock } from './issuing/certificate-assessment-lock';
import { CertificateIssuer } from './issuing/certificate-issuer.service';
import { CertificatePrinter } from './printing/certificate-printer.service';
import { CertificateRegisters } from './registers/certificate-registers.service';
import { ServiceCertificateIssuer } from './service/service-certificate-issuer.service';
import { CertificateVerificationController } from './verification/certificate-verification.controller';
import { CertificateVerification } from './verification/certificate-verification.service';

/**
 * Certificates (spec §6): issuing with gapless numbers, PDF printing, public verification,
 * revocation and registers. Builds on programs, enrolment and people; nothing but the app imports it.
 * Exports the printer and renderer for the cohort archive (一期一档) and service certificates, and the
 * verification service for the public /verify page.
 */
@Module({
  imports: [ProgramsModule, EnrolmentModule, TalentSupportModule, AttendanceModule],
  controllers: [CertificateIssuingController, CertificatesController, CertificateVerificationController],
  providers: [
    CertificatesAccess,
    CertificateRenderer,
    CertificateTemplateStore,
    CertificateIssuer,
    CertificatePrinter,
    CertificateVerification,
    CertificateRegisters,
    CertificatesService,
    ServiceCertificateIssuer,
    CertificateAssessmentLock,
  ],
  exports: [
    CertificatesAccess,
    CertificateRenderer,
    CertificateTemplateStore,
    CertificateIssuer,
    CertificatePrinter,
    CertificateVerification,
    CertificateRegisters,
    CertificatesService,
    ServiceCertificateIssuer,
  ],
})
export class CertificatesModule {}
