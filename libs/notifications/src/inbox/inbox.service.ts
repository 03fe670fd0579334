import { Injectable } from '@nestjs/common';
import { Actor, Clock, NotFoundError, sqlDatetime, TransactionRunner } from '@shipei/core';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { iso } from '../dto/iso';
import { InboxPageDto, InboxQuery, NotificationDto, ReadResultDto } from '../dto/notification.dto';

const toDto = (r: any): NotificationDto => ({
  id: Number(r.id),
  type: r.type,
  title: r.title,
  body: r.body,
  link: r.link,
  createdAt: iso(r.createdAt)!,
  readAt: iso(r.readAt),
});

/** A user's own messages (站内信): only ever the caller's rows, by userId. */
@Injectable()
export class InboxService {
  constructor(
    private readonly tx: TransactionRunner,
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, q: InboxQuery): Promise<InboxPageDto> {
    const where = q.unread ? 'userId = ? AND readAt IS NULL' : 'userId = ?';
    const [rows, [{ n }], unread] = await Promise.all([
      this.em.query(
        `SELECT id, type, title, body, link, createdAt, readAt FROM notification WHERE ${where} ORDER BY id DESC LIMIT ${q.pageSize} OFFSET ${q.offset}`,
        [actor.userId],
      ),
      this.em.query(`SELECT COUNT(*) AS n FROM notification WHERE ${where}`, [actor.userId]),
      this.unread(actor.userId),
    ]);
    return { items: rows.map(toDto), total: Number(n), unread, page: q.page, pageSize: q.pageSize };
  }

  /** One of the caller's messages; another's is 404, as if it did not exist. */
  async one(actor: Actor, id: number): Promise<NotificationDto> {
    const [row] = await this.em.query(
      'SELECT id, type, title, body, link, createdAt, readAt FROM notification WHERE id = ? AND userId = ?',
      [id, actor.userId],
    );
    if (!row) throw new NotFoundError('消息');
    return toDto(row);
  }

  /** The top bar's count. */
  async unread(userId: number): Promise<number> {
    const [{ n }] = await this.em.query('SELECT COUNT(*) AS n FROM notification WHERE userId = ? AND readAt IS NULL', [
      userId,
    ]);
    return Number(n);
  }

  /** Marks one of the caller's messages read; another's is 404, as if it did not exist. */
  async read(actor: Actor, id: number): Promise<ReadResultDto> {
    await this.tx.run(async (em) => {
      const [own] = await em.query('SELECT id FROM notification WHERE id = ? AND userId = ?', [id, actor.userId]);
      if (!own) throw new NotFoundError('消息');
      await em.query('UPDATE notification SET readAt = ? WHERE id = ? AND readAt IS NULL', [
        sqlDatetime(em, this.clock.now()),
        id,
      ]);
    });
    return { unread: await this.unread(actor.userId) };
  }

  async readAll(actor: Actor): Promise<ReadResultDto> {
    await this.tx.run((em) =>
      em.query('UPDATE notification SET readAt = ? WHERE userId = ? AND readAt IS NULL', [
        sqlDatetime(em, this.clock.now()),
        actor.userId,
      ]),
    );
    return { unread: 0 };
  }
}
