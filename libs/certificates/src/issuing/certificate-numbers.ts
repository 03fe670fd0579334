import { randomBytes } from 'node:crypto';
import { Program } from '@shipei/programs';
import { EntityManager } from 'typeorm';

/** LYGG + 2019 + '-' + 0001: the program's prefix and year, then its sequence, at least 4 digits. */
export function formatCertificateNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}${year}-${String(sequence).padStart(4, '0')}`;
}

/** 22 characters of base64url: 128 random bits, so codes can be neither guessed nor enumerated. */
export function newVerificationCode(): string {
  return randomBytes(16).toString('base64url');
}

/** The shape of a verification code; anything else is answered "not found" without a lookup. */
export const VERIFICATION_CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Takes the next `count` numbers of a program's series and returns the first. Runs inside the
 * issuing transaction, which already holds the program row (locked on MySQL; SQLite write
 * transactions are serialised by the TransactionRunner): the increment and the read-back are one
 * unit with the inserts, so a failed issue rolls the counter back and numbers stay gapless, and two
 * app processes never receive the same numbers.
 */
export async function allocateSequence(em: EntityManager, programId: number, count: number): Promise<number> {
  const result = await em
    .createQueryBuilder()
    .update(Program)
    .set({ certificateSeq: () => 'certificateSeq + :count' })
    .where('id = :programId', { programId })
    .setParameter('count', count)
    .execute();
  if (result.affected !== 1)
    throw new Error(`certificate sequence of program ${programId} not advanced (affected ${result.affected})`);
  const row = await em
    .createQueryBuilder(Program, 'p')
    .select('p.certificateSeq', 'seq')
    .where('p.id = :programId', { programId })
    .getRawOne<{ seq: number | string }>();
  return Number(row!.seq) - count + 1;
}
