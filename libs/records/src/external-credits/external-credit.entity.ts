import { User } from '@shipei/auth';
import { Teacher } from '@shipei/people';
import { decimalNumber } from '@shipei/programs';
import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 校外学时: credit hours a teacher earned in training outside this system (another organiser's
 * course), imported from the office's spreadsheet and always shown as external.
 *
 * `dedupeKey` names the training within the teacher's records — `cert:<证书编号>` when the row has a
 * certificate number, else `program:<培训项目名称>|<培训日期>` — hashed (SHA-256, hex) to a fixed
 * length. Its unique index with `teacherId` makes importing the same rows again update them instead
 * of counting them twice, also for concurrent imports.
 *
 * `idx_external_credit_date` covers (date, teacher, hours): the credit-compliance lists sum a
 * period's external credits per teacher from the index alone.
 */
@Entity('external_credit')
@Check('chk_external_credit_hours', '"hours" > 0')
@Index('uq_external_credit_key', ['teacherId', 'dedupeKey'], { unique: true })
@Index('idx_external_credit_teacher_date', ['teacherId', 'creditDate'])
@Index('idx_external_credit_date', ['creditDate', 'teacherId', 'hours'])
export class ExternalCredit {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  teacherId: number;

  @Column({ type: 'varchar', length: 200 })
  programName: string;

  /** 主办单位. */
  @Column({ type: 'varchar', length: 100 })
  organiser: string;

  /** 学时 (= 学分 in Shandong). */
  @Column({ type: 'decimal', precision: 6, scale: 1, transformer: decimalNumber })
  hours: number;

  /** The date the training ended (its credits count in this date's year). */
  @Column({ type: 'date' })
  creditDate: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  certificateNumber: string | null;

  @Column({ type: 'varchar', length: 64 })
  dedupeKey: string;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  importedById: number | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
