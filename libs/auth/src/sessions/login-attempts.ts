import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LoginGuard } from './login-guard.entity';

/** Wrong passwords allowed per account and client address before that address is locked out of it. */
export const MAX_FAILED_LOGINS = 5;
/** Wrong passwords allowed per account from all addresses together before the account itself locks. */
export const MAX_FAILED_LOGINS_ACCOUNT = 50;
/** The first lock; each further lock in a row lasts twice as long, up to {@link MAX_LOCK_MS}. */
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;

export type Reservation = { allowed: true; lockedUntil: Date | null } | { allowed: false; lockedUntil: Date };

interface Limit {
  bucket: string;
  max: number;
}

/**
 * Bounds password guessing across every app process (spec §12). Before a password is checked, an
 * attempt is reserved in the database by compare-and-set, so however many processes and requests
 * race, at most {@link MAX_FAILED_LOGINS} are ever evaluated per lock period; the rest are refused
 * (423) without touching the password. The reservation that reaches the limit sets the lock itself,
 * and the count is not reset when it does; a lock ends by time, a success, or an unlock.
 *
 * Why per address: usernames are phone numbers, so anyone can try a teacher's account. Someone
 * guessing from elsewhere locks only their own address out, and only for a minute at first (then
 * 2, 4, 8, 15); the teacher at the venue still logs in. The account-wide ceiling
 * ({@link MAX_FAILED_LOGINS_ACCOUNT} from all addresses) bounds a distributed attack; a county
 * clears it in one click (POST /users/:id/unlock), and no lock ever ends a session already open.
 */
@Injectable()
export class LoginAttempts {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Reserves one attempt for the account from `ip`; refused while either lock holds. */
  // eslint-disable-next-line no-restricted-syntax -- lock-outs and throttles run on the wall clock shared by every process, not on the rules' Clock (a test clock set to 2019 must not open or hold them)
  async reserve(userId: number, ip: string, now = Date.now()): Promise<Reservation> {
    let lockedUntil: Date | null = null;
    for (const limit of this.limits(userId, ip)) {
      const r = await this.reserveIn(limit, now);
      if (!r.allowed) return r;
      lockedUntil ??= r.lockedUntil;
    }
    return { allowed: true, lockedUntil };
  }

  /** After a right password: the account starts afresh from this address and overall. */
  async succeeded(userId: number, ip: string): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .delete()
      .from(LoginGuard)
      .where('bucket IN (:...buckets)', { buckets: this.limits(userId, ip).map((l) => l.bucket) })
      .execute();
  }

  /** Clears every lock on the account (all addresses). */
  async unlock(userId: number): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .delete()
      .from(LoginGuard)
      .where('bucket = :all OR bucket LIKE :each', { all: `u:${userId}`, each: `u:${userId}@%` })
      .execute();
  }

  /** The account-wide lock of each account that has one now (for the account list). */
  // eslint-disable-next-line no-restricted-syntax -- lock-outs and throttles run on the wall clock shared by every process, not on the rules' Clock (a test clock set to 2019 must not open or hold them)
  async accountLocks(userIds: number[], now = Date.now()): Promise<Map<number, Date>> {
    const locks = new Map<number, Date>();
    if (!userIds.length) return locks;
    const rows = await this.ds
      .getRepository(LoginGuard)
      .createQueryBuilder('g')
      .where('g.bucket IN (:...buckets)', { buckets: userIds.map((id) => `u:${id}`) })
      .andWhere('g.lockedUntil > :now', { now })
      .getMany();
    for (const r of rows) locks.set(Number(r.bucket.slice(2)), new Date(Number(r.lockedUntil)));
    return locks;
  }

  private limits(userId: number, ip: string): Limit[] {
    return [
      { bucket: `u:${userId}@${ip.slice(0, 100)}`, max: MAX_FAILED_LOGINS },
      { bucket: `u:${userId}`, max: MAX_FAILED_LOGINS_ACCOUNT },
    ];
  }

  private async reserveIn({ bucket, max }: Limit, now: number): Promise<Reservation> {
    const repo = this.ds.getRepository(LoginGuard);
    for (;;) {
      const row = await repo.findOneBy({ bucket });
      if (!row) {
        const lockedUntil = max <= 1 ? now + FIRST_LOCK_MS : null;
        try {
          await repo.insert({ bucket, failures: 1, locks: lockedUntil ? 1 : 0, lockedUntil, rev: 1 });
          return { allowed: true, lockedUntil: lockedUntil ? new Date(lockedUntil) : null };
        } catch (e) {
          if (!isDuplicate(e)) throw e;
          continue;
        }
      }
      const until = row.lockedUntil == null ? null : Number(row.lockedUntil);
      if (until !== null && until > now) return { allowed: false, lockedUntil: new Date(until) };
      // A lock that has ended starts a new count; the lock count keeps growing until a success.
      const failures = (until !== null ? 0 : row.failures) + 1;
      const locks = failures >= max ? row.locks + 1 : row.locks;
      const lockedUntil = failures >= max ? now + Math.min(FIRST_LOCK_MS * 2 ** row.locks, MAX_LOCK_MS) : null;
      const { affected } = await repo
        .createQueryBuilder()
        .update(LoginGuard)
        .set({ failures, locks, lockedUntil, rev: () => 'rev + 1' })
        .where('bucket = :bucket AND rev = :rev', { bucket, rev: row.rev })
        .execute();
      if (affected) return { allowed: true, lockedUntil: lockedUntil ? new Date(lockedUntil) : null };
    }
  }
}

function isDuplicate(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  const code = err.driverError?.code ?? err.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}
