import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A numbering series that belongs to no program: the 支教证明 of a scheme year ('ZJ2019' →
 * ZJ2019-0001, ZJ2019-0002, …). `lastSequence` is advanced inside the issuing transaction with the
 * row locked (MySQL; SQLite write transactions are serialised), so numbers are gapless: a failed
 * issue rolls the counter back with the certificate.
 */
@Entity('certificate_series')
@Index('uq_certificate_series', ['series'], { unique: true })
export class CertificateSeries {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 40 })
  series: string;

  @Column({ type: 'integer', default: 0 })
  lastSequence: number;
}
