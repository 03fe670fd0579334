import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An immutable copy of a program's certificate template, keyed by the SHA-256 of its text.
 * Certificates name the version they were issued with (`template = 'custom:<hash>'`), so editing a
 * program's template changes new certificates only, never the re-print of an issued one.
 */
@Entity('certificate_template')
export class CertificateTemplateVersion {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('uq_certificate_template_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
