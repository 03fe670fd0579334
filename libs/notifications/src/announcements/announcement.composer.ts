import { RecordedEvent } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Message, Recipient, short } from '../messages/message';
import { AnnouncementPostedPayload } from './announcement.events';
import { announcementPath } from './announcements.service';

/**
 * A posted notice → one message to each person it was addressed to (fixed at posting): teachers by
 * SMS and, with an account, in the inbox; staff in the inbox and by e-mail. One query for all of them.
 */
export async function composeAnnouncement(
  em: EntityManager,
  event: RecordedEvent<AnnouncementPostedPayload>,
): Promise<Message[]> {
  const id = event.payload.announcementId;
  const [a] = await em.query(
    `SELECT a.title AS title, a.body AS body, COALESCE(c.name, city.name) AS sender
       FROM announcement a LEFT JOIN organisation c ON c.id = a.countyId
       LEFT JOIN organisation city ON city.type = 'CITY' AND a.countyId IS NULL
      WHERE a.id = ?`,
    [id],
  );
  if (!a) return [];
  const rows = await em.query(
    `SELECT r.teacherId AS teacherId, t.phone AS phone, COALESCE(r.userId, tu.id) AS userId, COALESCE(u.email, tu.email) AS email
       FROM announcement_recipient r
       LEFT JOIN teacher t ON t.id = r.teacherId
       LEFT JOIN user_account tu ON tu.teacherId = r.teacherId AND tu.active = ?
       LEFT JOIN user_account u ON u.id = r.userId AND u.active = ?
      WHERE r.announcementId = ? AND (r.teacherId IS NOT NULL OR u.id IS NOT NULL)
      ORDER BY r.id`,
    [1, 1, id],
  );
  const recipients: Recipient[] = rows.map((r: any) => ({
    teacherId: r.teacherId == null ? null : Number(r.teacherId),
    userId: r.userId == null ? null : Number(r.userId),
    phone: r.phone || null,
    email: r.email || null,
  }));
  const sender = String(a.sender ?? '');
  const body = String(a.body);
  return [
    {
      type: event.type,
      dedupeKey: `e:${event.id}`,
      title: `通知公告：${a.title}`,
      body: `${sender}发布通知「${a.title}」：${body.length > 300 ? `${body.slice(0, 299)}…` : body}`,
      link: announcementPath(id),
      smsParams: { title: short(String(a.title)), sender: short(sender) },
      recipients,
    },
  ];
}
