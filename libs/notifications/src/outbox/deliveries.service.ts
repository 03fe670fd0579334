import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@shipei/audit';
import { Actor, ConflictError, NotFoundError, sqlDatetime, TransactionRunner } from '@shipei/core';
import { maskPhone } from '@shipei/people';
import { EntityManager } from 'typeorm';
import { iso } from '../dto/iso';
import { DeliveryDto, DeliveryPageDto, DeliveryQuery } from '../dto/notification.dto';
import { maskEmail } from '@shipei/auth';
import { SECRET_TYPES } from './dispatcher';
import { Outbox } from './outbox';

/** The office's view of the outbox: what went where, what failed and why; resend a failed one. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  async list(q: DeliveryQuery): Promise<DeliveryPageDto> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const key of ['channel', 'status', 'type'] as const)
      if (q[key]) {
        where.push(`d.${key} = ?`);
        params.push(q[key]);
      }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [items, [{ n }]] = await Promise.all([
      this.rows(`${w} ORDER BY d.id DESC LIMIT ${q.pageSize} OFFSET ${q.offset}`, params),
      this.em.query(`SELECT COUNT(*) AS n FROM delivery d ${w}`, params),
    ]);
    return { items, total: Number(n), page: q.page, pageSize: q.pageSize };
  }

  private async rows(tail: string, params: unknown[]): Promise<DeliveryDto[]> {
    const rows = await this.em.query(
      `SELECT d.id, d.channel, d.recipient, d.type, n.title, d.status, d.attempts, d.lastError, d.sentAt, d.createdAt FROM delivery d JOIN notification n ON n.id = d.notificationId ${tail}`,
      params,
    );
    return rows.map((r: any) => ({
      id: Number(r.id),
      channel: r.channel,
      recipient: r.channel === 'SMS' ? maskPhone(r.recipient) : maskEmail(r.recipient)!,
      type: r.type,
      title: r.title,
      status: r.status,
      attempts: Number(r.attempts),
      lastError: r.lastError,
      sentAt: iso(r.sentAt),
      createdAt: iso(r.createdAt)!,
    }));
  }

  /** A FAILED delivery back to PENDING, due now (409 for any other status). */
  async resend(actor: Actor, id: number): Promise<DeliveryDto> {
    await this.tx.run(async (em) => {
      const [row] = await em.query('SELECT status, type FROM delivery WHERE id = ?', [id]);
      if (!row) throw new NotFoundError('发送记录');
      // Its code is gone with its delivery (and stale after 10 minutes): the person asks for a new one.
      if (SECRET_TYPES.includes(row.type))
        throw new ConflictError('NOT_RESENDABLE', '密码重置验证码不能重发，请本人重新获取验证码');
      const res = await em.queryRunner!.query(
        "UPDATE delivery SET status = 'PENDING', nextAttemptAt = ?, claimToken = NULL, claimedUntil = NULL WHERE id = ? AND status = 'FAILED'",
        [sqlDatetime(em, new Date()), id],
        true,
      );
      if (!res.affected) throw new ConflictError('NOT_FAILED', '只有发送失败的消息可以重发');
      await this.audit.record(em, actor, { action: 'resend', entity: 'delivery', entityId: id, fields: ['status'] });
    });
    this.outbox.onWrite();
    return (await this.rows('WHERE d.id = ?', [id]))[0];
  }
}
