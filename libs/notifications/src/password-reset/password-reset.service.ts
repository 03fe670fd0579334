import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { assertPasswordRule, hashPassword, SessionVersions, User } from '@shipei/auth';
import {
  Actor,
  AppConfig,
  BadInputError,
  Clock,
  DomainError,
  RateCounters,
  sqlDatetime,
  TransactionRunner,
} from '@shipei/core';
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Outbox } from '../outbox/outbox';

export const RESET_TYPE = 'auth.password-reset';
export const RESET_CODE_MINUTES = 10;
export const RESET_CODE_TRIES = 5;
/** Codes sent to one phone per hour: a forgetful teacher asks twice, a flood is refused. */
export const RESET_CODES_PER_PHONE_HOUR = 5;
/** Requests (code or reset) from one address per ten minutes: a school's NAT, not a script. */
export const RESET_PER_ADDRESS = 60;
/** Resets tried on one phone per hour, besides the 5 tries of each code. */
const RESETS_PER_PHONE_HOUR = 20;

const invalidCode = () =>
  new BadInputError('INVALID_RESET_CODE', '验证码错误或已失效，请重新获取验证码', {
    errors: [{ field: 'code', message: '验证码错误或已失效' }],
  });
const tooMany = () => new DomainError(429, 'TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试');

/**
 * Self-service password reset by SMS code (spec §13). Asking for a code answers the same whatever
 * the phone (202), so numbers cannot be probed; a code goes out only to a phone that is an active
 * teacher account's login or phone on record. The code is 6 digits, kept as an HMAC, valid
 * 10 minutes and for 5 tries; the latest code of an account replaces the earlier ones. Both steps
 * are rate-limited per phone and per address, in the database (every process shares the counts).
 * A reset sets the password, clears 必须改密, and ends every session of the account.
 *
 * Only with SMS configured and a template for `auth.password-reset`
 * (SMS_TEMPLATE_AUTH_PASSWORD_RESET): otherwise both routes answer 404 SMS_RESET_UNAVAILABLE with a
 * Chinese message (a 404, not a 503: nothing is down, the feature is not there).
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly counters: RateCounters,
    private readonly sessions: SessionVersions,
    private readonly audit: AuditService,
  ) {}

  get available(): boolean {
    return !!this.config.sms?.templates[RESET_TYPE];
  }

  private requireAvailable(): void {
    if (!this.available)
      throw new DomainError(404, 'SMS_RESET_UNAVAILABLE', '本平台未开通短信找回密码，请联系所在单位管理员重置密码');
  }

  /** The phone as a rate-limit key: hashed, so the counters table holds no phone numbers. */
  private phoneKey(phone: string): string {
    return createHash('sha256').update(`${this.config.jwtSecret}|${phone}`).digest('hex').slice(0, 24);
  }

  private hashCode(userId: number, code: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`${userId}:${code}`).digest('hex');
  }

  private async account(em: EntityManager, phone: string): Promise<User | null> {
    const [row] = await em.query(
      'SELECT u.id FROM user_account u JOIN teacher t ON t.id = u.teacherId WHERE u.active = ? AND (u.username = ? OR t.phone = ?) ORDER BY u.id LIMIT 1',
      [1, phone, phone],
    );
    return row ? em.findOneBy(User, { id: Number(row.id) }) : null;
  }

  /** Sends a code when the phone belongs to an account; answers the same either way. */
  async requestCode(phone: string, ip: string | undefined): Promise<void> {
    this.requireAvailable();
    if (!(await this.counters.hit(`reset-phone|${this.phoneKey(phone)}`, RESET_CODES_PER_PHONE_HOUR, 3600)))
      throw tooMany();
    const now = this.clock.now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sent = await this.tx.run(async (em) => {
      const user = await this.account(em, phone);
      if (!user) return false;
      const res = await em.queryRunner!.query(
        'INSERT INTO password_reset_code (userId, codeHash, attempts, expiresAt, createdAt) VALUES (?, ?, 0, ?, ?)',
        [
          user.id,
          this.hashCode(user.id, code),
          sqlDatetime(em, new Date(now.getTime() + RESET_CODE_MINUTES * 60_000)),
          sqlDatetime(em, now),
        ],
        true,
      );
      const codeId = Number(em.connection.options.type === 'better-sqlite3' ? res.raw : res.raw.insertId);
      // The code is in the SMS variables only (cleared once sent), never in the title or body.
      await this.outbox.write(em, [
        {
          type: RESET_TYPE,
          dedupeKey: `reset:${codeId}`,
          title: '找回密码验证码',
          body: `您正在通过短信找回密码，验证码已发送至手机，${RESET_CODE_MINUTES}分钟内有效。如非本人操作，请忽略。`,
          link: null,
          smsParams: { code },
          smsOnly: true,
          recipients: [{ userId: user.id, teacherId: user.teacherId, phone, email: null }],
        },
      ]);
      await this.audit.record(em, this.actorOf(user, ip), {
        action: 'request-password-reset',
        entity: 'user',
        entityId: user.id,
      });
      return true;
    });
    if (!sent) this.logger.debug('password reset code asked for a phone without an account');
  }

  /** Checks the code (one try counted first, kept even when the reset fails) and sets the password. */
  async reset(phone: string, code: string, newPassword: string, ip: string | undefined): Promise<void> {
    this.requireAvailable();
    assertPasswordRule(newPassword, 'newPassword');
    if (!(await this.counters.hit(`reset-try|${this.phoneKey(phone)}`, RESETS_PER_PHONE_HOUR, 3600))) throw tooMany();
    const now = this.clock.now();
    const candidate = await this.tx.run(async (em) => {
      const user = await this.account(em, phone);
      if (!user) return null;
      const [row] = await em.query(
        'SELECT id, codeHash FROM password_reset_code WHERE userId = ? ORDER BY id DESC LIMIT 1',
        [user.id],
      );
      if (!row) return null;
      // One try, taken only while the code is unused, unexpired and under its tries: concurrent
      // guesses from several processes cannot exceed five.
      const taken = await em.queryRunner!.query(
        'UPDATE password_reset_code SET attempts = attempts + 1 WHERE id = ? AND usedAt IS NULL AND expiresAt > ? AND attempts < ?',
        [row.id, sqlDatetime(em, now), RESET_CODE_TRIES],
        true,
      );
      if (!taken.affected) return null;
      return { user, id: Number(row.id), codeHash: String(row.codeHash) };
    });
    const expected = candidate && Buffer.from(candidate.codeHash, 'hex');
    const given = candidate && Buffer.from(this.hashCode(candidate.user.id, String(code)), 'hex');
    if (!candidate || !expected || !given || expected.length !== given.length || !timingSafeEqual(expected, given))
      throw invalidCode();

    const passwordHash = await hashPassword(newPassword);
    await this.tx.run(async (em) => {
      const used = await em.queryRunner!.query(
        'UPDATE password_reset_code SET usedAt = ? WHERE id = ? AND usedAt IS NULL',
        [sqlDatetime(em, now), candidate.id],
        true,
      );
      if (!used.affected) throw invalidCode(); // the same code used twice at once
      await em.update(User, { id: candidate.user.id }, { passwordHash, mustChangePassword: false });
      await this.sessions.revoke(em, candidate.user.id);
      await this.audit.record(em, this.actorOf(candidate.user, ip), {
        action: 'reset-password',
        entity: 'user',
        entityId: candidate.user.id,
        fields: ['password'],
      });
    });
    this.sessions.forget(candidate.user.id);
  }

  private actorOf(user: User, ip: string | undefined): Actor {
    return {
      userId: user.id,
      role: user.role,
      organisationId: user.organisationId,
      countyId: null,
      teacherId: user.teacherId,
      ip,
    };
  }
}
