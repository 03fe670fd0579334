import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, dialectOf, fk, index } from '@shipei/core';

/**
 * 通知公告 (spec §15): a notice, the people it was addressed to when it was posted (one row each, with
 * when they read it: the author's "已读 312 / 400"), and its files. The files are kept in the database
 * like leave notes, so every process serves them; MEDIUMBLOB holds the 10 MB allowed on MySQL.
 */
export class Announcements1796770000000 implements MigrationInterface {
  name = 'Announcements1796770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'announcement',
        columns: [
          col.id(),
          col.int('authorId'),
          col.int('countyId', { isNullable: true }),
          col.str('title', 200),
          col.text('body'),
          col.text('audience'),
          col.int('recipientCount'),
          col.datetime('createdAt'),
        ],
        foreignKeys: [fk(['authorId'], 'user_account'), fk(['countyId'], 'organisation')],
        indices: [index('idx_announcement_county', ['countyId', 'id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'announcement_recipient',
        columns: [
          col.id(),
          col.int('announcementId'),
          col.str('recipientKey', 20),
          col.int('userId', { isNullable: true }),
          col.int('teacherId', { isNullable: true }),
          col.datetime('readAt', { isNullable: true }),
        ],
        foreignKeys: [
          fk(['announcementId'], 'announcement', 'CASCADE'),
          fk(['userId'], 'user_account', 'CASCADE'),
          fk(['teacherId'], 'teacher', 'CASCADE'),
        ],
        indices: [
          index('uq_announcement_recipient', ['announcementId', 'recipientKey'], true),
          index('idx_announcement_recipient_user', ['userId', 'announcementId']),
          index('idx_announcement_recipient_teacher', ['teacherId', 'announcementId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'announcement_attachment',
        columns: [
          col.id(),
          col.int('announcementId'),
          col.str('filename', 200),
          col.str('contentType', 100),
          col.int('size'),
          { name: 'content', type: dialectOf(q.connection) === 'mysql' ? 'mediumblob' : 'blob' },
          col.datetime('createdAt'),
        ],
        foreignKeys: [fk(['announcementId'], 'announcement', 'CASCADE')],
        indices: [index('idx_announcement_attachment', ['announcementId', 'id'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('announcement_attachment');
    await q.dropTable('announcement_recipient');
    await q.dropTable('announcement');
  }
}
