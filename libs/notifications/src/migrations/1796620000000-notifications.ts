import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

/** The inbox (notification) and the outbox of SMS and e-mail (delivery, delivery_attempt). */
export class Notifications1796620000000 implements MigrationInterface {
  name = 'Notifications1796620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notification',
        columns: [
          col.id(),
          col.str('recipientKey', 20),
          col.int('userId', { isNullable: true }),
          col.str('dedupeKey', 100),
          col.str('type', 60),
          col.str('title', 200),
          col.str('body', 1000),
          col.str('link', 300, { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('readAt', { isNullable: true }),
        ],
        foreignKeys: [fk(['userId'], 'user_account', 'CASCADE')],
        indices: [
          index('uq_notification_dedupe', ['recipientKey', 'dedupeKey'], true),
          index('idx_notification_user', ['userId', 'readAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'delivery',
        columns: [
          col.id(),
          col.int('notificationId'),
          col.str('channel', 10),
          col.str('recipient', 200),
          col.str('type', 60),
          col.text('params'),
          col.str('status', 10),
          col.int('attempts', { default: 0 }),
          col.datetime('nextAttemptAt'),
          col.datetime('claimedUntil', { isNullable: true }),
          col.str('claimToken', 40, { isNullable: true }),
          col.str('lastError', 500, { isNullable: true }),
          col.datetime('sentAt', { isNullable: true }),
          col.datetime('createdAt'),
        ],
        foreignKeys: [fk(['notificationId'], 'notification', 'CASCADE')],
        indices: [
          index('uq_delivery_channel', ['notificationId', 'channel'], true),
          index('idx_delivery_due', ['status', 'nextAttemptAt']),
          index('idx_delivery_claim', ['claimToken']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'delivery_attempt',
        columns: [
          col.id(),
          col.int('deliveryId'),
          col.datetime('at'),
          col.bool('ok', false),
          col.int('durationMs'),
          col.str('error', 500, { isNullable: true }),
        ],
        foreignKeys: [fk(['deliveryId'], 'delivery', 'CASCADE')],
        indices: [index('idx_delivery_attempt', ['deliveryId'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('delivery_attempt');
    await q.dropTable('delivery');
    await q.dropTable('notification');
  }
}
