import { Organisation, Teacher } from '@shipei/people';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@shipei/core';

/** An account. A TEACHER account belongs to one teacher and logs in with the phone number. */
@Entity('user_account')
@Index('idx_user_org', ['organisationId'])
export class User {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('uq_user_username', { unique: true })
  @Column({ type: 'varchar', length: 50 })
  username: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  @Column({ type: 'varchar', length: 50, default: '' })
  displayName: string;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  organisationId: number | null;

  @Index('uq_user_teacher', { unique: true })
  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  teacherId: number | null;

  /** Set for accounts created with a one-time password. */
  @Column({ type: 'boolean', default: true })
  mustChangePassword: boolean;

  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ type: 'datetime', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Carried by every token as `ver`; bumped to end all of the account's sessions (SessionVersions). */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ type: 'datetime', nullable: true })
  lastLoginAt: Date | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  /** Where e-mail messages go (staff mostly); optional. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  email: string | null;
}
