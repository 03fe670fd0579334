import { User } from '@shipei/auth';
import { Enrolment } from '@shipei/enrolment';
import { Organisation, Teacher } from '@shipei/people';
import { Cohort, decimalNumber, Program } from '@shipei/programs';
import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CERTIFICATE_KINDS = ['TRAINING', 'SERVICE'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
export const CERTIFICATE_KIND_LABELS: Record<CertificateKind, string> = {
  TRAINING: '培训结业证书',
  SERVICE: '支教证明',
};

export const CERTIFICATE_STATUSES = ['VALID', 'REVOKED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
export const CERTIFICATE_STATUS_LABELS: Record<CertificateStatus, string> = { VALID: '有效', REVOKED: '已撤销' };

/** What a certificate was issued for: an enrolment (结业证书), later a placement (支教证明). */
export const CERTIFICATE_SOURCES = ['ENROLMENT', 'PLACEMENT'] as const;
export type CertificateSourceType = (typeof CERTIFICATE_SOURCES)[number];

/** `activeKey` of a VALID certificate: one valid certificate per source, enforced by a unique index. */
export function activeKeyOf(sourceType: CertificateSourceType, sourceId: number): string {
  return `${sourceType}:${sourceId}`;
}

/** Status and active key move together (also checked by the database). */
export const CERTIFICATE_ACTIVE_CHECK = `("status" = 'VALID' AND "activeKey" IS NOT NULL) OR ("status" = 'REVOKED' AND "activeKey" IS NULL)`;

/**
 * 证书 (spec §6). One row per issued certificate, kept forever: revoking sets REVOKED, never deletes.
 *
 * - `number` is unique in the system: the program's prefix + year + its gapless `sequence`
 *   (LYGG2019-0001), allocated from `program.certificateSeq` inside the issuing transaction.
 * - `verificationCode` is 128 random bits in base64url, the key of the public verification page.
 * - `activeKey` is `<sourceType>:<sourceId>` while VALID and NULL once revoked; its unique index
 *   makes "at most one valid certificate per enrolment" hold in the database, also for concurrent
 *   requests on several app processes (both engines allow many NULLs in a unique index). Revoking
 *   frees the key, so re-issuing gives a new certificate with a new number.
 * - The printed content is a snapshot taken at issue (holder, school, title, dates, hours, issuer,
 *   issue date, and `template`, an immutable template version), so re-printing gives the same
 *   certificate even after the teacher, school or program records change.
 * - `countyId` is the holder's county at issue: the county scope is one indexed equality.
 */
@Entity('certificate')
@Check('chk_certificate_active', CERTIFICATE_ACTIVE_CHECK)
@Index('uq_certificate_number', ['number'], { unique: true })
@Index('uq_certificate_code', ['verificationCode'], { unique: true })
@Index('uq_certificate_active', ['activeKey'], { unique: true })
@Index('idx_certificate_program', ['programId', 'sequence'])
@Index('idx_certificate_cohort', ['cohortId', 'status'])
@Index('idx_certificate_enrolment', ['enrolmentId'])
@Index('idx_certificate_teacher', ['teacherId'])
@Index('idx_certificate_county', ['countyId', 'programId'])
@Index('idx_certificate_source', ['sourceType', 'sourceId'])
export class Certificate {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 40 })
  number: string;

  /** Position of `number` in its series (1, 2, …), gapless per program. */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'varchar', length: 32 })
  verificationCode: string;

  @Column({ type: 'varchar', length: 20 })
  kind: CertificateKind;

  @Column({ type: 'varchar', length: 20, default: 'VALID' })
  status: CertificateStatus;

  @Column({ type: 'varchar', length: 20 })
  sourceType: CertificateSourceType;

  @Column({ type: 'integer' })
  sourceId: number;

  @Column({ type: 'varchar', length: 40, nullable: true })
  activeKey: string | null;

  /** The enrolment of a training certificate; null for a service certificate. */
  @ForeignKey(() => Enrolment, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  enrolmentId: number | null;

  @ForeignKey(() => Program, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  programId: number | null;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  cohortId: number | null;

  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  teacherId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  /** 'default' or 'service' (built-in), or 'custom:<sha256>' naming a `certificate_template` row. */
  @Column({ type: 'varchar', length: 80 })
  template: string;

  // ——— printed content, as issued ———

  @Column({ type: 'varchar', length: 50 })
  holderName: string;

  @Column({ type: 'varchar', length: 100 })
  schoolName: string;

  @Column({ type: 'varchar', length: 200 })
  programTitle: string;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'decimal', precision: 6, scale: 1, transformer: decimalNumber })
  creditHours: number;

  /** 发证单位, e.g. 临沂市教育局. */
  @Column({ type: 'varchar', length: 100 })
  issuer: string;

  /** The date printed as 发证日期 (Asia/Shanghai). */
  @Column({ type: 'date' })
  issueDate: string;

  /** Extra template values (JSON object of short texts), e.g. 受援学校 and 考核等次 of a 支教证明. */
  @Column({ type: 'text', nullable: true })
  extra: string | null;

  // ——— life cycle ———

  @Column({ type: 'datetime' })
  issuedAt: Date;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  issuedBy: number | null;

  @Column({ type: 'datetime', nullable: true })
  revokedAt: Date | null;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  revokedBy: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  revokeReason: string | null;
}
