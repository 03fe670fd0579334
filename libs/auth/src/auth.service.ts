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
import { LoginAttempts } from './sessions/login-attempts';
import { SessionVersions } from './sessions/session-versions';
import { TokenPayload } from './token';
import { User } from './user.entity';

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
    private readonly attempts: LoginAttempts,
    private readonly sessions: SessionVersions,
  ) {}

  /**
   * Checks the password of a reserved attempt ({@link LoginAttempts}: bounded per account and
   * address, and per account, across every process; 等保 failed-login handling).
   */
  async login(
    username: string,
    password: string,
    from: { ip?: string; requestId?: string },
  ): Promise<LoginResponseDto> {
    const user = await this.tx.run((em) => em.findOne(User, { where: { username } }));
    if (!user) {
      await verifyPassword(DUMMY_HASH, password);
      throw new UnauthorizedError('INVALID_CREDENTIALS', '用户名或密码错误');
    }
    const ip = from.ip ?? 'unknown';
    const reserved = await this.attempts.reserve(user.id, ip);
    if (!reserved.allowed) throw new AccountLockedError(reserved.lockedUntil);
    const ok = await verifyPassword(user.passwordHash, password);
    if (!ok || !user.active) {
      if (reserved.lockedUntil) {
        // This attempt used the last one allowed: the lock it set is recorded once.
        await this.tx.run((em) =>
          this.audit.record(em, this.actorOf(user, from), { action: 'lock', entity: 'user', entityId: user.id }),
        );
        throw new AccountLockedError(reserved.lockedUntil);
      }
      throw new UnauthorizedError('INVALID_CREDENTIALS', '用户名或密码错误');
    }
    await this.attempts.succeeded(user.id, ip);
    await this.tx.run(async (em) => {
      await em.update(User, { id: user.id }, { lastLoginAt: this.clock.now() });
      await this.audit.record(em, this.actorOf(user, from), { action: 'login', entity: 'user', entityId: user.id });
    });
    return this.session(user);
  }

  /** Ends every session of the actor's account, on every process (spec §12). */
  async logout(actor: Actor): Promise<void> {
    await this.tx.run(async (em) => {
      await this.sessions.revoke(em, actor.userId!);
      await this.audit.record(em, actor, { action: 'logout', entity: 'user', entityId: actor.userId! });
    });
    this.sessions.forget(actor.userId!);
  }

  /**
   * Logout of the pages, which may come with an expired or foreign cookie: a token this app signed
   * (expired or not) ends its account's sessions if it still was current; anything else is ignored.
   */
  async logoutToken(token: string | null, from: { ip?: string; requestId?: string }): Promise<void> {
    if (!token) return;
    let claims: Partial<TokenPayload>;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'], ignoreExpiration: true });
    } catch {
      return;
    }
    if (!Number.isSafeInteger(claims.sub)) return;
    const user = await this.tx.run((em) => em.findOneBy(User, { id: claims.sub! }));
    if (!user || user.tokenVersion !== (claims.ver ?? 0)) return;
    await this.logout(this.actorOf(user, from));
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
    // Every other session of the account ends; the caller gets a token of the new version.
    const changed = await this.tx.run(async (em) => {
      await em.update(User, { id: user.id }, { passwordHash, mustChangePassword: false });
      await this.sessions.revoke(em, user.id);
      await this.audit.record(em, actor, {
        action: 'change-password',
        entity: 'user',
        entityId: user.id,
        fields: ['password'],
      });
      return em.findOneByOrFail(User, { id: user.id });
    });
    this.sessions.forget(user.id);
    return this.session(changed);
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
      ver: user.tokenVersion,
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
