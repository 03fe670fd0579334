import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  Actor,
  AppConfig,
  BadInputError,
  Clock,
  DomainError,
  TransactionRunner,
  UnauthorizedError,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { Organisation } from '@shipei/people';
import { EntityManager } from 'typeorm';
import { LoginResponseDto, SessionUserDto } from './dto/auth.dto';
import { assertPasswordRule, hashPassword, verifyPassword } from './passwords';
import { TokenPayload } from './token';
import { User } from './user.entity';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

// Verified when the username is unknown, so both cases take the same time (no user enumeration).
const DUMMY_HASH = '$argon2id$v=19$m=19456,p=1,t=2$tdgtSJXyq2zroVMMPK00FA$rTlP1Q8FNOHTwnLPut29aw8rk9aNU5V3Udkno0pYpTM';

export class AccountLockedError extends DomainError {
  constructor(until: Date) {
    const hhmm = until.toLocaleTimeString('zh-CN', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    super(423, 'ACCOUNT_LOCKED', `连续登录失败次数过多，账号已锁定，请于 ${hhmm} 后再试`, {
      lockedUntil: until.toISOString(),
    });
  }
}

export function toSessionUser(u: User): SessionUserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    organisationId: u.organisationId,
    teacherId: u.teacherId,
    mustChangePassword: u.mustChangePassword,
  };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks the password; after {@link MAX_FAILED_LOGINS} failures in a row the account is
   * locked for {@link LOCK_MINUTES} minutes (等保 failed-login handling). The counter lives
   * in the database, so every app process sees it.
   */
  async login(
    username: string,
    password: string,
    from: { ip?: string; requestId?: string },
  ): Promise<LoginResponseDto> {
    const user = await this.tx.run((em) => em.findOne(User, { where: { username } }));
    const now = this.clock.now();
    if (user?.lockedUntil && user.lockedUntil > now) throw new AccountLockedError(user.lockedUntil);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok || !user.active) {
      if (user) await this.recordFailure(user, from);
      throw new UnauthorizedError('INVALID_CREDENTIALS', '用户名或密码错误');
    }
    await this.tx.run(async (em) => {
      await em.update(User, { id: user.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
      await this.audit.record(em, this.actorOf(user, from), { action: 'login', entity: 'user', entityId: user.id });
    });
    return this.session(user);
  }

  private async recordFailure(user: User, from: { ip?: string; requestId?: string }): Promise<void> {
    const locked = await this.tx.run(async (em) => {
      // Atomic increment: concurrent failures from several processes all count.
      await em
        .createQueryBuilder()
        .update(User)
        .set({ failedLogins: () => 'failedLogins + 1' })
        .where('id = :id', { id: user.id })
        .execute();
      const fresh = await em.findOneByOrFail(User, { id: user.id });
      if (fresh.failedLogins < MAX_FAILED_LOGINS) return null;
      const until = new Date(this.clock.now().getTime() + LOCK_MINUTES * 60_000);
      await em.update(User, { id: user.id }, { failedLogins: 0, lockedUntil: until });
      await this.audit.record(em, this.actorOf(user, from), { action: 'lock', entity: 'user', entityId: user.id });
      return until;
    });
    if (locked) throw new AccountLockedError(locked);
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<LoginResponseDto> {
    assertPasswordRule(newPassword, 'newPassword');
    if (currentPassword === newPassword) {
      throw new BadInputError('SAME_PASSWORD', '新密码不能与当前密码相同', {
        errors: [{ field: 'newPassword', message: '新密码不能与当前密码相同' }],
      });
    }
    const user = await this.tx.run((em) => em.findOneBy(User, { id: actor.userId }));
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new BadInputError('WRONG_PASSWORD', '当前密码不正确', {
        errors: [{ field: 'currentPassword', message: '当前密码不正确' }],
      });
    }
    const passwordHash = await hashPassword(newPassword);
    await this.tx.run(async (em) => {
      await em.update(User, { id: user.id }, { passwordHash, mustChangePassword: false });
      await this.audit.record(em, actor, {
        action: 'change-password',
        entity: 'user',
        entityId: user.id,
        fields: ['password'],
      });
    });
    return this.session({ ...user, mustChangePassword: false });
  }

  async me(actor: Actor): Promise<SessionUserDto> {
    const user = await this.tx.run((em) => em.findOneByOrFail(User, { id: actor.userId }));
    return toSessionUser(user);
  }

  private async session(user: User): Promise<LoginResponseDto> {
    const county = await this.countyOf(user);
    const payload: TokenPayload = {
      sub: user.id,
      role: user.role,
      org: user.organisationId,
      county,
      tch: user.teacherId,
      mcp: user.mustChangePassword,
    };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.jwtExpiresIn as any,
      algorithm: 'HS256',
    });
    return { accessToken, expiresIn: this.config.jwtExpiresIn, user: toSessionUser(user) };
  }

  private async countyOf(user: User): Promise<number | null> {
    if (!user.organisationId) return null;
    return this.tx.run(
      async (em: EntityManager) => (await em.findOneBy(Organisation, { id: user.organisationId! }))?.countyId ?? null,
    );
  }

  private actorOf(user: User, from: { ip?: string; requestId?: string }): Actor {
    return {
      userId: user.id,
      role: user.role,
      organisationId: user.organisationId,
      countyId: null,
      teacherId: user.teacherId,
      ...from,
    };
  }
}
