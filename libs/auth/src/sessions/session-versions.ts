import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { User } from '../user.entity';

/** How long a process trusts what it read about an account's sessions: the revocation delay (spec §12). */
export const SESSION_RECHECK_MS = 1000;

interface Known {
  /** The current tokenVersion, or null when the account is disabled or gone (no token is valid). */
  version: number | null;
  readAt: number;
}

/**
 * Whether a token's `ver` is still the account's tokenVersion. Logout, a password change or reset,
 * disabling and a role or organisation change bump the version in the database, which ends every
 * token issued before, on every process: each process reads an account's version at most once per
 * {@link SESSION_RECHECK_MS} (concurrent requests share one read), so a hot route pays a map lookup.
 */
@Injectable()
export class SessionVersions {
  private readonly known = new Map<number, Known>();
  private readonly reading = new Map<number, Promise<number | null>>();

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** True or false from memory when read within the last second, else a promise of the database's answer. */
  isCurrent(userId: number, version: number): boolean | Promise<boolean> {
    const hit = this.known.get(userId);
    if (hit && performance.now() - hit.readAt < SESSION_RECHECK_MS) return hit.version === version;
    return this.read(userId).then((v) => v === version);
  }

  /** Ends every session of the account (inside the caller's transaction). */
  async revoke(em: EntityManager, userId: number): Promise<void> {
    await em
      .createQueryBuilder()
      .update(User)
      .set({ tokenVersion: () => 'tokenVersion + 1' })
      .where('id = :userId', { userId })
      .execute();
    this.known.delete(userId);
  }

  /** Forget what this process read about the account (after the caller's transaction committed). */
  forget(userId: number): void {
    this.known.delete(userId);
  }

  private read(userId: number): Promise<number | null> {
    let pending = this.reading.get(userId);
    if (!pending) {
      // Stamped when the read starts: a read racing a revocation is trusted no longer than a second after it.
      const readAt = performance.now();
      pending = this.ds
        .query('SELECT tokenVersion, active FROM user_account WHERE id = ?', [userId])
        .then((rows: { tokenVersion: number | string; active: number | boolean }[]) => {
          const row = rows[0];
          const version = row && Number(row.active) ? Number(row.tokenVersion) : null;
          if (this.known.size >= 100_000) this.known.clear();
          this.known.set(userId, { version, readAt });
          return version;
        })
        .finally(() => this.reading.delete(userId));
      this.reading.set(userId, pending);
    }
    return pending;
  }
}
