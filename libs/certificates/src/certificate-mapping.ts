import { CertificateView } from './rendering';
import { Certificate, CERTIFICATE_KIND_LABELS, CERTIFICATE_STATUS_LABELS } from './certificate.entity';
import { CertificateDto, CertificateVerificationDto, IssuedCertificateDto } from './dto/certificate.dto';

/** The public verification page of a code: `${PUBLIC_BASE_URL}/verify/<code>` (the QR code's content). */
export function verifyUrlOf(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/verify/${code}`;
}

export function toIssuedDto(c: Certificate): IssuedCertificateDto {
  return { id: c.id, number: c.number, verificationCode: c.verificationCode, status: c.status };
}

export function toCertificateDto(c: Certificate, publicBaseUrl: string): CertificateDto {
  return {
    ...toIssuedDto(c),
    statusLabel: CERTIFICATE_STATUS_LABELS[c.status],
    kind: c.kind,
    enrolmentId: c.enrolmentId,
    programId: c.programId,
    cohortId: c.cohortId,
    teacherId: c.teacherId,
    holderName: c.holderName,
    schoolName: c.schoolName,
    programTitle: c.programTitle,
    startDate: c.startDate,
    endDate: c.endDate,
    creditHours: Number(c.creditHours),
    issuer: c.issuer,
    issueDate: c.issueDate,
    verifyUrl: verifyUrlOf(publicBaseUrl, c.verificationCode),
    issuedAt: c.issuedAt,
    revokedAt: c.revokedAt,
    revokeReason: c.revokeReason,
  };
}

/** Spec §6: the verification page shows name, program, hours, dates and status (plus issuer and number). */
export function toVerificationDto(c: Certificate): CertificateVerificationDto {
  return {
    number: c.number,
    status: c.status,
    statusLabel: CERTIFICATE_STATUS_LABELS[c.status],
    kindLabel: CERTIFICATE_KIND_LABELS[c.kind],
    // A 支教证明 says which kind it is and that its title names a scheme (training answers stay as they were).
    ...(c.kind === 'SERVICE' ? { kind: c.kind, titleLabel: '支教计划' } : {}),
    holderName: c.holderName,
    programTitle: c.programTitle,
    creditHours: Number(c.creditHours),
    startDate: c.startDate,
    endDate: c.endDate,
    issuer: c.issuer,
    issueDate: c.issueDate,
  };
}

/** What the renderer prints for a certificate: only its stored snapshot, so re-prints are identical. */
export function toCertificateView(c: Certificate, publicBaseUrl: string): CertificateView {
  return {
    holderName: c.holderName,
    schoolName: c.schoolName,
    programTitle: c.programTitle,
    startDate: c.startDate,
    endDate: c.endDate,
    creditHours: Number(c.creditHours),
    number: c.number,
    issuer: c.issuer,
    issueDate: c.issueDate,
    verifyUrl: verifyUrlOf(publicBaseUrl, c.verificationCode),
    extra: c.extra ? (JSON.parse(c.extra) as CertificateView['extra']) : null,
  };
}
