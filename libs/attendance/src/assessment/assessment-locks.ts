import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Which of these enrolments may no longer have their 考核 result changed (e.g. they hold a valid
 * certificate). Answered inside the caller's transaction.
 */
export type AssessmentLock = (em: EntityManager, enrolmentIds: readonly number[]) => Promise<number[]>;

/**
 * Libs above attendance (certificates) register here what freezes a trainee's result, so a score
 * change can be refused without attendance depending on them (the lib graph points downward only).
 */
@Injectable()
export class AssessmentLocks {
  private readonly locks: AssessmentLock[] = [];

  register(lock: AssessmentLock): void {
    this.locks.push(lock);
  }

  async locked(em: EntityManager, enrolmentIds: readonly number[]): Promise<number[]> {
    if (!enrolmentIds.length) return [];
    const out = new Set<number>();
    for (const lock of this.locks) for (const id of await lock(em, enrolmentIds)) out.add(id);
    return [...out].sort((a, b) => a - b);
  }
}
