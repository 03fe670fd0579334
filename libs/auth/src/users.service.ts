import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  AccessPolicy,
  Actor,
  AppConfig,
  BadInputError,
  boundedTotal,
  Clock,
  ConflictError,
  Page,
  pageOf,
  Role,
  SYSTEM_ACTOR,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { maskPhone, Organisation, Teacher, TEACHER_KIND, TeachersService } from '@shipei/people';
import { EntityManager, In } from 'typeorm';
import { CreateUserDto, UserDto, UserQuery } from './dto/user.dto';
import { assertPasswordRule, hashPassword } from './passwords';
import { LoginAttempts } from './sessions/login-attempts';
import { User } from './user.entity';
import { opensTeacherAccountsOnly, USER_KIND } from './users.access';

/** z***@example.cn: enough to recognise one's own address, not to harvest it. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return `${email.slice(0, Math.min(1, at))}***${email.slice(at)}`;
}

/** An account as listed; `locks` holds the account-wide lock-outs in force (LoginAttempts.accountLocks). */
export function toUserDto(u: User, locks: ReadonlyMap<number, Date> = new Map()): UserDto {
  return {
    id: u.id,
    // A teacher's username is their phone number: personal data, masked in lists.
    username: u.role === 'TEACHER' ? maskPhone(u.username) : u.username,
    displayName: u.displayName,
    role: u.role,
    organisationId: u.organisationId,
    teacherId: u.teacherId,
    mustChangePassword: u.mustChangePassword,
    active: u.active,
    email: maskEmail(u.email),
    lockedUntil: locks.get(u.id)?.toISOString() ?? null,
    lastLoginAt: u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : null,
  };
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly attempts: LoginAttempts,
    teachers: TeachersService,
  ) {
    // A teacher logs in with their phone: the username follows it, in the same transaction.
    teachers.onPhoneChange(async (em, teacherId, phone) => {
      const account = await em.findOneBy(User, { teacherId });
      if (!account || account.username === phone) return;
      if (await em.existsBy(User, { username: phone }))
        throw new ConflictError('USERNAME_TAKEN', '该手机号已被其他账号用作用户名，无法同步教师账号');
      await em.update(User, { id: account.id }, { username: phone });
    });
  }

  /** On an empty database, creates the first admin (`admin`) from ADMIN_PASSWORD or a generated one printed once. */
  async onApplicationBootstrap(): Promise<void> {
    const generated = this.config.adminPassword ? null : randomBytes(9).toString('base64url') + '7a';
    const password = this.config.adminPassword ?? generated!;
    const created = await this.tx
      .run(async (em) => {
        if ((await em.count(User)) > 0) return false;
        // Replicas starting together on an empty database race to here: the unique username lets one
        // insert win; the others see the duplicate below and go on.
        const city = await em.findOne(Organisation, { where: { type: 'CITY' }, order: { id: 'ASC' } });
        await em.insert(User, {
          username: 'admin',
          passwordHash: await hashPassword(password),
          role: 'CITY_ADMIN',
          displayName: '系统管理员',
          organisationId: city?.id ?? null,
          teacherId: null,
          mustChangePassword: !!generated,
          createdAt: this.clock.now(),
        });
        await this.audit.record(em, SYSTEM_ACTOR, { action: 'create', entity: 'user', note: 'first admin' });
        return true;
      })
      .catch((e: unknown) => {
        const code =
          (e as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (e as { code?: string }).code;
        if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
        throw e;
      });
    if (created && generated) {
      // Printed once, on the console only (never to the structured log), for the person starting the app.
      console.warn(`\n首个管理员账号已创建：用户名 admin，初始密码 ${generated}（仅显示这一次，首次登录后请修改）\n`);
    } else if (created) {
      this.logger.log('First admin account "admin" created from ADMIN_PASSWORD');
    }
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    assertPasswordRule(dto.password);
    const passwordHash = await hashPassword(dto.password);
    return this.tx.run(async (em) => {
      const { organisationId, teacherId, displayName } = await this.checkPlacement(em, actor, dto);
      if (await em.existsBy(User, { username: dto.username }))
        throw new ConflictError('USERNAME_TAKEN', '该用户名已被使用');
      if (teacherId && (await em.existsBy(User, { teacherId })))
        throw new ConflictError('TEACHER_HAS_ACCOUNT', '该教师已有账号');
      const { identifiers } = await em.insert(User, {
        username: dto.username,
        passwordHash,
        role: dto.role,
        displayName: dto.displayName ?? displayName,
        organisationId,
        teacherId,
        email: dto.email ?? null,
        mustChangePassword: true,
        createdAt: this.clock.now(),
      });
      const id = Number(identifiers[0].id);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'user',
        entityId: id,
        fields: ['username', 'role', 'organisationId', 'teacherId', ...(dto.email ? ['email'] : [])],
      });
      return toUserDto(await em.findOneByOrFail(User, { id }));
    });
  }

  /** Where an account may sit, by who creates it (spec §10: city any; county only its own teachers). */
  private async checkPlacement(
    em: EntityManager,
    actor: Actor,
    dto: CreateUserDto,
  ): Promise<{ organisationId: number | null; teacherId: number | null; displayName: string }> {
    const bad = (field: string, message: string) =>
      new BadInputError('INVALID_ACCOUNT', message, { errors: [{ field, message }] });
    if (opensTeacherAccountsOnly(actor) && dto.role !== 'TEACHER')
      throw bad('role', '县区管理员只能为本县区教师创建账号');
    if (dto.role === 'TEACHER') {
      if (!dto.teacherId) throw bad('teacherId', '教师账号须指定教师');
      const teacher = await this.access.load<Teacher>(em, actor, TEACHER_KIND, dto.teacherId, 'write');
      if (dto.username !== teacher.phone) throw bad('username', '教师账号的用户名须为该教师的手机号');
      return { organisationId: teacher.schoolId, teacherId: teacher.id, displayName: teacher.name };
    }
    if (dto.teacherId) throw bad('teacherId', '只有教师账号可以关联教师');
    if (dto.role === 'COUNTY_ADMIN') {
      const county = dto.organisationId ? await em.findOneBy(Organisation, { id: dto.organisationId }) : null;
      if (county?.type !== 'COUNTY') throw bad('organisationId', '县区管理员须指定所属县区');
      return { organisationId: county.id, teacherId: null, displayName: `${county.name}管理员` };
    }
    if (dto.organisationId) {
      const org = await em.findOneBy(Organisation, { id: dto.organisationId });
      if (!org) throw bad('organisationId', '所属单位不存在');
      return { organisationId: org.id, teacherId: null, displayName: dto.username };
    }
    return { organisationId: null, teacherId: null, displayName: dto.username };
  }

  /**
   * A page of accounts in id order; the total is exact up to 10,000 and an estimate past it
   * (`totalExact: false`): a province's teacher accounts are never all counted per request (the city's
   * home page shows this total).
   */
  async list(em: EntityManager, actor: Actor, q: UserQuery): Promise<Page<UserDto> & { totalExact: boolean }> {
    const qb = this.access.query<User>(em, actor, USER_KIND, 'u');
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.organisationId) qb.andWhere('u.organisationId = :orgId', { orgId: q.organisationId });
    if (q.q) {
      const like = `%${q.q.replace(/[!%_]/g, '!$&')}%`;
      qb.andWhere("(u.username LIKE :like ESCAPE '!' OR u.displayName LIKE :like ESCAPE '!')", { like });
    }
    const [rows, total] = await Promise.all([
      qb.clone().orderBy('u.id', 'ASC').skip(q.offset).take(q.pageSize).getMany(),
      boundedTotal(em, qb, 'u', 'user_account'),
    ]);
    const locks = await this.attempts.accountLocks(rows.map((u) => u.id));
    return {
      ...pageOf(
        rows.map((u) => toUserDto(u, locks)),
        total.total,
        q,
      ),
      totalExact: total.exact,
    };
  }

  /** One account the actor may manage, as listed (masked username, lock-out in force). */
  async get(em: EntityManager, actor: Actor, id: number): Promise<UserDto> {
    const user = await this.access.load<User>(em, actor, USER_KIND, id, 'read');
    return toUserDto(user, await this.attempts.accountLocks([user.id]));
  }

  /**
   * The accounts of these teachers that the actor may see, by teacher id (the teacher pages: 已开通账号,
   * and the account column of the teacher list). Teachers without an account are not in the map.
   */
  async ofTeachers(em: EntityManager, actor: Actor, teacherIds: number[]): Promise<Map<number, UserDto>> {
    const ids = [...new Set(teacherIds.filter((id) => Number.isSafeInteger(id)))];
    if (!ids.length) return new Map();
    const rows = await this.access
      .query<User>(em, actor, USER_KIND, 'u')
      .andWhere('u.teacherId IN (:...teacherIds)', { teacherIds: ids })
      .getMany();
    const locks = await this.attempts.accountLocks(rows.map((u) => u.id));
    return new Map(rows.map((u) => [u.teacherId!, toUserDto(u, locks)]));
  }

  /**
   * Display names of accounts by id (the author of an audit line, the trainers of a cohort), for ids
   * found on rows the caller could read. Staff names are not personal data; a teacher's username is
   * their phone number, so it is left out.
   */
  async displayNames(
    em: EntityManager,
    ids: (number | null | undefined)[],
  ): Promise<Map<number, { displayName: string; username: string; role: Role }>> {
    const unique = [...new Set(ids.filter((id): id is number => Number.isSafeInteger(id)))];
    if (!unique.length) return new Map();
    const rows = await em.find(User, {
      where: { id: In(unique) },
      select: { id: true, displayName: true, username: true, role: true },
    });
    return new Map(
      rows.map((r) => [
        r.id,
        { displayName: r.displayName, username: r.role === 'TEACHER' ? '' : r.username, role: r.role },
      ]),
    );
  }

  /** The id of a staff account by its username (the audit log's 操作人 filter), or null; never a teacher's. */
  async staffIdByUsername(em: EntityManager, username: string): Promise<number | null> {
    const row = await em.findOne(User, { where: { username }, select: { id: true, role: true } });
    return row && row.role !== 'TEACHER' ? row.id : null;
  }

  /**
   * The active trainer (TRAINER) accounts a program's owner may put on a cohort, for the cohort
   * forms (the cohorts service checks every id it is given). Names of staff accounts are not
   * personal data; a county running its thematic program needs them too, though the accounts list
   * is the city's.
   */
  async activeTrainers(em: EntityManager): Promise<{ id: number; displayName: string; username: string }[]> {
    return em.find(User, {
      where: { role: 'TRAINER', active: true },
      select: { id: true, displayName: true, username: true },
      order: { id: 'ASC' },
      take: 500,
    });
  }
}
