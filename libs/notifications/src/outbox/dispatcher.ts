import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, Clock, sqlDatetime, TransactionRunner } from '@shipei/core';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Outgoing, Sender } from '../channels/channel';
import { EmailSender } from '../channels/email.sender';
import { smsSender } from '../channels/sms.sender';
import { Channel } from './delivery.entity';
import { Outbox } from './outbox';
import { inQuietHours } from './quiet-hours';

const BATCH = 100;
const PARALLEL = 8;
/** How often each process looks for due deliveries written elsewhere (another process, a retry). */
const POLL_MS = 1000;
const SEND_TIMEOUT_MS = 20_000;
const MAX_ATTEMPTS = 8;
/**
 * Types that go out at any hour. Quiet hours (22:00–07:00) are for notices; a password reset code
 * is asked for by the person holding the phone, now, and is worthless in the morning.
 */
export const IMMEDIATE_TYPES = ['auth.password-reset'];
/** Types whose SMS variables are secrets: cleared once the delivery is done (sent or given up). */
export const SECRET_TYPES = ['auth.password-reset'];
/** 30 s, 2 min, 8 min … capped at 6 h. */
const backoffMs = (attempts: number) => Math.min(30_000 * 4 ** (attempts - 1), 6 * 3600_000);

interface Claimed {
  id: number;
  channel: Channel;
  recipient: string;
  type: string;
  params: string;
  attempts: number;
  title: string;
  body: string;
  link: string | null;
}

/**
 * Sends the outbox, in every process. A process claims due deliveries with one conditional
 * UPDATE (only rows still PENDING and unclaimed or whose claim ran out), so two processes never
 * hold the same row; it sends outside any transaction, then records the attempt and the outcome
 * under its claim token. A crash after sending and before recording means one resend after the
 * claim expires (at-least-once, the Message-ID / OutId naming the delivery); a crash before
 * sending loses nothing. A slow gateway delays only this loop, never the change that wrote the row.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly senders = new Map<Channel, Sender>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    outbox: Outbox,
  ) {
    if (config.mail) this.senders.set('EMAIL', new EmailSender(config.mail));
    if (config.sms) this.senders.set('SMS', smsSender(config.sms));
    outbox.onWrite = () => this.nudge();
  }

  onApplicationBootstrap(): void {
    const channels = [...this.senders.keys()];
    if (!channels.length) this.logger.log('未配置短信和邮件（SMS_PROVIDER、SMTP_URL），消息只发站内信');
    else this.logger.log(`消息渠道：站内信、${channels.map((c) => (c === 'SMS' ? '短信' : '邮件')).join('、')}`);
    if (channels.length) this.timer = setInterval(() => this.nudge(0), POLL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
    for (const s of this.senders.values()) await s.close?.();
  }

  /** Look for due deliveries shortly (after the writing transaction has committed). */
  nudge(delayMs = 30): void {
    if (this.stopped || !this.senders.size || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      if (!this.running)
        this.running = this.drain()
          .then(
            () => undefined,
            (e) => this.logger.error(`dispatcher: ${maskContacts(String(e))}`),
          )
          .finally(() => (this.running = null));
    }, delayMs);
  }

  /** Claims and sends batches until nothing is due; returns how many were tried. */
  async drain(): Promise<number> {
    let tried = 0;
    for (;;) {
      if (this.stopped) return tried;
      const batch = await this.claim();
      if (!batch.length) return tried;
      // As many sends at once as the SMTP pool has connections: a queued send would eat its own timeout.
      // Their outcomes are recorded together, in one transaction (on SQLite every transaction of the
      // process queues behind the others: one per e-mail would slow the changes people are making).
      for (let i = 0; i < batch.length; i += PARALLEL) {
        const outcomes = await Promise.all(batch.slice(i, i + PARALLEL).map((d) => this.send(d)));
        await this.tx.run(async (em) => {
          for (const o of outcomes) await this.record(em, o.d, o.error, o.ms);
        });
      }
      tried += batch.length;
    }
  }

  private async claim(): Promise<(Claimed & { token: string })[]> {
    const token = randomUUID();
    const quiet = inQuietHours(this.clock.now());
    const channels = [...this.senders.keys()].filter((c) => c !== 'SMS' || !quiet);
    const urgent = quiet && this.senders.has('SMS');
    if (!channels.length && !urgent) return [];
    const marks = channels.map(() => '?').join(',');
    // In quiet hours SMS waits, except the types that cannot (IMMEDIATE_TYPES).
    const which = [
      ...(channels.length ? [`channel IN (${marks})`] : []),
      ...(urgent ? [`(channel = 'SMS' AND type IN (${IMMEDIATE_TYPES.map(() => '?').join(',')}))`] : []),
    ].join(' OR ');
    const whichParams = [...channels, ...(urgent ? IMMEDIATE_TYPES : [])];
    return this.tx.run(async (em) => {
      const now = new Date();
      const at = sqlDatetime(em, now);
      const ids = (
        await em.query(
          `SELECT id FROM delivery WHERE status = 'PENDING' AND nextAttemptAt <= ? AND (${which}) AND (claimedUntil IS NULL OR claimedUntil < ?) ORDER BY id LIMIT ${BATCH}`,
          [at, ...whichParams, at],
        )
      ).map((r: { id: number }) => Number(r.id));
      if (!ids.length) return [];
      // The condition is checked again by the UPDATE itself: a row another process claimed in
      // between stays theirs.
      await em.query(
        `UPDATE delivery SET claimToken = ?, claimedUntil = ? WHERE id IN (${ids.map(() => '?').join(',')}) AND status = 'PENDING' AND (claimedUntil IS NULL OR claimedUntil < ?)`,
        [token, sqlDatetime(em, new Date(now.getTime() + this.config.deliveryClaimMs)), ...ids, at],
      );
      const rows: Claimed[] = await em.query(
        'SELECT d.id, d.channel, d.recipient, d.type, d.params, d.attempts, n.title, n.body, n.link FROM delivery d JOIN notification n ON n.id = d.notificationId WHERE d.claimToken = ?',
        [token],
      );
      return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), token }));
    });
  }

  /** Sends one delivery (no transaction open); the outcome is for {@link record}. */
  private async send(
    d: Claimed & { token: string },
  ): Promise<{ d: Claimed & { token: string }; error: string | null; ms: number }> {
    const started = Date.now();
    let error: string | null = null;
    try {
      const o: Outgoing = {
        deliveryId: d.id,
        type: d.type,
        recipient: d.recipient,
        title: d.title,
        body: d.body,
        link: d.link ? `${this.config.publicBaseUrl}${d.link}` : null,
        params: JSON.parse(d.params || '{}'),
      };
      await withTimeout(this.senders.get(d.channel)!.send(o), SEND_TIMEOUT_MS);
    } catch (e) {
      error = maskContacts(e instanceof Error ? e.message : String(e)).slice(0, 500) || '发送失败';
    }
    return { d, error, ms: Date.now() - started };
  }

  private async record(em: EntityManager, d: Claimed & { token: string }, error: string | null, ms: number) {
    const now = new Date();
    const attempts = d.attempts + 1;
    if (!error)
      await em.query(
        "UPDATE delivery SET status = 'SENT', attempts = ?, sentAt = ?, claimToken = NULL, claimedUntil = NULL, lastError = NULL WHERE id = ? AND claimToken = ?",
        [attempts, sqlDatetime(em, now), d.id, d.token],
      );
    else
      await em.query(
        'UPDATE delivery SET status = ?, attempts = ?, nextAttemptAt = ?, lastError = ?, claimToken = NULL, claimedUntil = NULL WHERE id = ? AND claimToken = ?',
        [
          attempts >= MAX_ATTEMPTS ? 'FAILED' : 'PENDING',
          attempts,
          sqlDatetime(em, new Date(now.getTime() + backoffMs(attempts))),
          error,
          d.id,
          d.token,
        ],
      );
    await em.query('INSERT INTO delivery_attempt (deliveryId, at, ok, durationMs, error) VALUES (?, ?, ?, ?, ?)', [
      d.id,
      sqlDatetime(em, now),
      error ? 0 : 1,
      ms,
      error,
    ]);
    if (SECRET_TYPES.includes(d.type) && (!error || attempts >= MAX_ATTEMPTS))
      await em.query("UPDATE delivery SET params = '{}' WHERE id = ?", [d.id]);
    if (error) this.logger.warn(`delivery ${d.id} (${d.channel}, ${d.type}) attempt ${attempts} failed: ${error}`);
  }
}

/** Gateways echo the address or phone in their errors; neither belongs in the log or the office's list. */
export const maskContacts = (s: string) =>
  s
    .replace(/([\w.+-])[\w.+-]*@([\w-]+\.[\w.-]+)/g, '$1***@$2')
    .replace(/(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g, '$1****$2');

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`网关 ${ms / 1000} 秒无响应`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
