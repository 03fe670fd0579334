import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  BadInputError,
  Clock,
  ConflictError,
  ForbiddenError,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { Organisation, Teacher, TEACHER_KIND } from '@shipei/people';
import { EntityManager } from 'typeorm';
import { OpenedAccountDto, UpdateUserDto, UserDto } from '../dto/user.dto';
import { hashPassword } from '../passwords';
import { LoginAttempts } from '../sessions/login-attempts';
import { SessionVersions } from '../sessions/session-versions';
import { User } from '../user.entity';
import { toUserDto } from '../users.service';
import { mayChangeRoleOrUnit, USER_KIND } from '../users.access';

/** Letters and digits without look-alikes (0/O, 1/l/I): a one-time password is read off a printed slip. */
const SLIP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password that meets the password rule (letters and digits), 10 characters. */
export function oneTimePassword(): string {
  for (;;) {
    const p = Array.from({ length: 10 }, () => SLIP_ALPHABET[randomInt(SLIP_ALPHABET.length)]).join('');
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p;
  }
}

const bad = (field: string, message: string) =>
  new BadInputError('INVALID_ACCOUNT', message, { errors: [{ field, message }] });

/**
 * Managing accounts (spec §12): change role or organisation, disable and enable, reset a password to
 * a one-time one, unlock, open teachers' accounts in batches. Each change that alters what a token
 * stands for ends the account's sessions everywhere (SessionVersions).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly sessions: SessionVersions,
    private readonly attempts: LoginAttempts,
  ) {}

  async update(actor: Actor, id: number, dto: UpdateUserDto): Promise<UserDto> {
    const user = await this.tx.run(async (em) => {
      const user = await this.access.load<User>(em, actor, USER_KIND, id, 'write');
      if (user.id === actor.userId) throw new ForbiddenError('OWN_ACCOUNT', '不能修改自己账号的角色、单位或状态');
      if (!mayChangeRoleOrUnit(actor) && (dto.role !== undefined || dto.organisationId !== undefined))
        throw new ForbiddenError('CITY_ONLY', '只有市级管理员可以修改账号的角色或所属单位');
      const patch: Partial<User> = {};
      if (dto.active !== undefined && dto.active !== user.active) patch.active = dto.active;
      if (dto.role !== undefined && dto.role !== user.role) {
        if (user.role === 'TEACHER' || dto.role === 'TEACHER') throw bad('role', '教师账号与其他账号之间不能互改角色');
        patch.role = dto.role;
      }
      if (dto.organisationId !== undefined && dto.organisationId !== user.organisationId) {
        if (user.role === 'TEACHER') throw bad('organisationId', '教师账号的单位随教师所在学校');
        if (dto.organisationId !== null && !(await em.existsBy(Organisation, { id: dto.organisationId })))
          throw bad('organisationId', '所属单位不存在');
        patch.organisationId = dto.organisationId;
      }
      const role = patch.role ?? user.role;
      const orgId = patch.organisationId !== undefined ? patch.organisationId : user.organisationId;
      if (role === 'COUNTY_ADMIN' && (patch.role || patch.organisationId !== undefined)) {
        const org = orgId ? await em.findOneBy(Organisation, { id: orgId }) : null;
        if (org?.type !== 'COUNTY') throw bad('organisationId', '县区管理员须属于一个县区');
      }
      if (Object.keys(patch).length) {
        await em.update(User, { id: user.id }, patch);
        await this.sessions.revoke(em, user.id);
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'user',
          entityId: user.id,
          fields: Object.keys(patch),
        });
      }
      return em.findOneByOrFail(User, { id: user.id });
    });
    this.sessions.forget(user.id);
    return toUserDto(user, await this.attempts.accountLocks([user.id]));
  }

  /** A new one-time password, to be changed at the next login; the account's sessions and locks end. */
  async resetPassword(actor: Actor, id: number): Promise<{ temporaryPassword: string }> {
    const temporaryPassword = oneTimePassword();
    const passwordHash = await hashPassword(temporaryPassword);
    const userId = await this.tx.run(async (em) => {
      const user = await this.access.load<User>(em, actor, USER_KIND, id, 'write');
      if (user.id === actor.userId) throw new ForbiddenError('OWN_ACCOUNT', '请在“修改密码”中修改自己的密码');
      await em.update(User, { id: user.id }, { passwordHash, mustChangePassword: true });
      await this.sessions.revoke(em, user.id);
      await this.audit.record(em, actor, {
        action: 'reset-password',
        entity: 'user',
        entityId: user.id,
        fields: ['password'],
      });
      return user.id;
    });
    this.sessions.forget(userId);
    await this.attempts.unlock(userId);
    return { temporaryPassword };
  }

  /** Clears every lock-out of the account (all addresses), in one click. */
  async unlock(actor: Actor, id: number): Promise<UserDto> {
    const user = await this.tx.run(async (em) => {
      const user = await this.access.load<User>(em, actor, USER_KIND, id, 'write');
      await this.audit.record(em, actor, { action: 'unlock', entity: 'user', entityId: user.id });
      return user;
    });
    await this.attempts.unlock(user.id);
    return toUserDto(user, new Map());
  }

  /**
   * Opens the accounts of the given teachers (username = phone, a one-time password each); a teacher
   * who already has one is listed without a password. One transaction: all or nothing.
   */
  async openForTeachers(actor: Actor, teacherIds: number[]): Promise<OpenedAccountDto[]> {
    const ids = [...new Set(teacherIds)];
    const loaded = await this.tx.run(async (em) => {
      const out: { teacher: Teacher; existing: User | null }[] = [];
      for (const id of ids) {
        const teacher = await this.access.load<Teacher>(em, actor, TEACHER_KIND, id, 'write');
        out.push({ teacher, existing: await em.findOneBy(User, { teacherId: teacher.id }) });
      }
      return out;
    });
    // Hashed outside the transaction (argon2 is slow on purpose); the transaction re-checks.
    const fresh = new Map<number, { password: string; hash: string }>();
    for (const { teacher, existing } of loaded) {
      if (existing) continue;
      const password = oneTimePassword();
      fresh.set(teacher.id, { password, hash: await hashPassword(password) });
    }
    return this.tx.run(async (em) => {
      const result: OpenedAccountDto[] = [];
      for (const { teacher } of loaded) {
        const existing = await em.findOneBy(User, { teacherId: teacher.id });
        const pending = fresh.get(teacher.id);
        if (existing || !pending) {
          if (!existing) throw new ConflictError('ACCOUNTS_CHANGED', '账号刚被他人修改，请重新提交');
          result.push(opened(teacher, existing, null));
          continue;
        }
        const taken = await em.findOneBy(User, { username: teacher.phone });
        if (taken) throw new ConflictError('USERNAME_TAKEN', `教师${teacher.name}的手机号已被其他账号用作用户名`);
        const user = await this.insertTeacherAccount(em, teacher, pending.hash);
        await this.audit.record(em, actor, {
          action: 'create',
          entity: 'user',
          entityId: user.id,
          fields: ['username', 'role', 'teacherId'],
        });
        result.push(opened(teacher, user, pending.password));
      }
      return result;
    });
  }

  private async insertTeacherAccount(em: EntityManager, teacher: Teacher, passwordHash: string): Promise<User> {
    const { identifiers } = await em.insert(User, {
      username: teacher.phone,
      passwordHash,
      role: 'TEACHER',
      displayName: teacher.name,
      organisationId: teacher.schoolId,
      teacherId: teacher.id,
      mustChangePassword: true,
      createdAt: this.clock.now(),
    });
    return em.findOneByOrFail(User, { id: Number(identifiers[0].id) });
  }
}

function opened(teacher: Teacher, user: User, temporaryPassword: string | null): OpenedAccountDto {
  return {
    teacherId: teacher.id,
    name: teacher.name,
    userId: user.id,
    username: user.username,
    temporaryPassword,
  };
}
