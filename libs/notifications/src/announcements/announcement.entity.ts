import { User } from '@shipei/auth';
import { Organisation, Teacher } from '@shipei/people';
import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A notice (通知公告, spec §15) from the city office (`countyId` null) or a county (its id): the
 * author's organisation is who manages it and sees who has read it. `audience` is the request's
 * `{countyIds?, programId?, cohortId?}` as JSON, kept to show whom it was for.
 */
@Entity('announcement')
@Index('idx_announcement_county', ['countyId', 'id'])
export class Announcement {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => User, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  authorId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  countyId: number | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  audience: string;

  @Column({ type: 'integer' })
  recipientCount: number;

  @Column({ type: 'datetime' })
  createdAt: Date;
}

/**
 * One person a notice was addressed to, fixed when it was posted (a teacher who joins the cohort later
 * is not counted against it). A teacher is kept by `teacherId` (reached by SMS without an account;
 * their account, when they have one, reads it through its teacherId), staff by `userId`.
 */
@Entity('announcement_recipient')
@Index('uq_announcement_recipient', ['announcementId', 'recipientKey'], { unique: true })
@Index('idx_announcement_recipient_user', ['userId', 'announcementId'])
@Index('idx_announcement_recipient_teacher', ['teacherId', 'announcementId'])
export class AnnouncementRecipient {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Announcement, { onDelete: 'CASCADE' })
  @Column({ type: 'integer' })
  announcementId: number;

  /** `u:<userId>` or `t:<teacherId>`, as in the inbox. */
  @Column({ type: 'varchar', length: 20 })
  recipientKey: string;

  @ForeignKey(() => User, { onDelete: 'CASCADE' })
  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @ForeignKey(() => Teacher, { onDelete: 'CASCADE' })
  @Column({ type: 'integer', nullable: true })
  teacherId: number | null;

  @Column({ type: 'datetime', nullable: true })
  readAt: Date | null;
}
