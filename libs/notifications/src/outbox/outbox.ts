import { Injectable } from '@nestjs/common';
import { AppConfig, sqlDatetime } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Message, Recipient } from '../messages/message';
import { Channel, DeliveryStatus } from './delivery.entity';

export const recipientKey = (r: Recipient) => (r.userId ? `u:${r.userId}` : `t:${r.teacherId}`);

/**
 * Writes messages in the caller's transaction: one inbox row per person and one delivery row
 * per channel they can be reached on. No network here — the {@link Dispatcher} sends after commit.
 * A message whose (recipient, dedupeKey) exists is skipped, with its deliveries: a reminder
 * written by two processes, or an event replayed, reaches nobody twice.
 */
@Injectable()
export class Outbox {
  /** Called after a write, so this process's dispatcher looks soon instead of at its next poll. */
  onWrite: () => void = () => undefined;

  constructor(private readonly config: AppConfig) {}

  async write(em: EntityManager, messages: Message[]): Promise<number> {
    const runner = em.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('Outbox.write needs the transaction of the change');
    const sqlite = em.connection.options.type === 'better-sqlite3';
    const now = sqlDatetime(em, new Date());
    let written = 0;
    for (const m of messages)
      for (const r of m.recipients) {
        if (!r.userId && !r.teacherId) continue;
        const res = await runner.query(
          `INSERT ${sqlite ? 'OR IGNORE' : 'IGNORE'} INTO notification (recipientKey, userId, dedupeKey, type, title, body, link, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            recipientKey(r),
            m.smsOnly ? null : r.userId,
            m.dedupeKey,
            m.type,
            m.title.slice(0, 200),
            m.body.slice(0, 1000),
            m.link,
            now,
          ],
          true,
        );
        if (!res.affected) continue;
        const notificationId = Number(sqlite ? res.raw : res.raw.insertId);
        written++;
        const rows: [Channel, string, DeliveryStatus, string | null][] = [];
        const sms = this.config.sms;
        if (sms && r.phone)
          rows.push(
            sms.templates[m.type]
              ? ['SMS', r.phone, 'PENDING', null]
              : ['SMS', r.phone, 'SKIPPED', `未配置此类消息的短信模板（SMS_TEMPLATE_${templateVar(m.type)}）`],
          );
        if (this.config.mail && r.email && !m.smsOnly) rows.push(['EMAIL', r.email, 'PENDING', null]);
        if (!rows.length) continue;
        await runner.query(
          `INSERT INTO delivery (notificationId, channel, recipient, type, params, status, attempts, nextAttemptAt, lastError, createdAt) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, 0, ?, ?, ?)').join(', ')}`,
          rows.flatMap(([channel, to, status, error]) => [
            notificationId,
            channel,
            to,
            m.type,
            JSON.stringify(channel === 'SMS' ? m.smsParams : {}),
            status,
            now,
            error,
            now,
          ]),
        );
      }
    if (written) this.onWrite();
    return written;
  }
}

/** enrolment.approved → ENROLMENT_APPROVED (the inverse of templateType in the config). */
export const templateVar = (type: string) => type.toUpperCase().replace(/[.-]/g, '_');
