import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Counting a list at a cost that does not grow with the table (issue 21): exact up to a limit, an
 * estimate past it. For lists whose rows are never deleted and whose ids are dense (certificates:
 * revoked ones stay), so that the share of matches among the ids of a sample stands for the whole.
 */

/** Up to this many matches a list's total is exact; past it, an estimate (约 N). */
export const EXACT_COUNT_LIMIT = 10_000;
/** Ids the estimate reads, in evenly spaced windows over the table's id range. */
const SAMPLE_IDS = 4_000;
const SAMPLE_WINDOWS = 20;

export interface BoundedTotal {
  total: number;
  exact: boolean;
}

/** 12,345 → 12,000; 1,234,567 → 1,200,000: an estimate says no more than it knows. */
export function roughly(n: number): number {
  if (n < 100) return Math.round(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/** `SELECT COUNT(*) FROM (… LIMIT limit + 1)`: stops walking once past the limit. */
export async function countUpTo<T extends ObjectLiteral>(
  em: EntityManager,
  qb: SelectQueryBuilder<T>,
  alias: string,
  limit = EXACT_COUNT_LIMIT,
): Promise<number> {
  const inner = qb.clone().select(`${alias}.id`, 'id').orderBy().skip(undefined).take(undefined).offset(undefined);
  const [sql, params] = inner.limit(limit + 1).getQueryAndParameters();
  const [row] = await em.query(`SELECT COUNT(*) AS cnt FROM (${sql}) capped`, params);
  return Number(row?.cnt ?? 0);
}

/**
 * The list's total: exact up to {@link EXACT_COUNT_LIMIT}; past it, the matches among ~4,000 ids read
 * in 20 windows spread over the table's id range (primary-key ranges), scaled to the range.
 */
export async function boundedTotal<T extends ObjectLiteral>(
  em: EntityManager,
  qb: SelectQueryBuilder<T>,
  alias: string,
  table: string,
): Promise<BoundedTotal> {
  const counted = await countUpTo(em, qb, alias);
  if (counted <= EXACT_COUNT_LIMIT) return { total: counted, exact: true };
  const [[lo], [hi]] = await Promise.all([
    em.query(`SELECT MIN(id) AS v FROM ${table}`),
    em.query(`SELECT MAX(id) AS v FROM ${table}`),
  ]);
  const from = Number(lo?.v ?? 0);
  const span = Number(hi?.v ?? 0) - from + 1;
  const width = Math.max(1, Math.floor(Math.min(span, SAMPLE_IDS) / SAMPLE_WINDOWS));
  const windows: string[] = [];
  const params: ObjectLiteral = {};
  for (let i = 0; i < SAMPLE_WINDOWS; i++) {
    const start = from + Math.floor((i * span) / SAMPLE_WINDOWS);
    windows.push(`${alias}.id BETWEEN :bw${i}a AND :bw${i}b`);
    params[`bw${i}a`] = start;
    params[`bw${i}b`] = start + width - 1;
  }
  const sample = qb.clone().select('COUNT(*)', 'm').orderBy().offset(undefined).limit(undefined);
  const row = await sample.andWhere(`(${windows.join(' OR ')})`, params).getRawOne<{ m: number | string }>();
  const estimate = (Number(row?.m ?? 0) * span) / (width * SAMPLE_WINDOWS);
  return { total: Math.max(EXACT_COUNT_LIMIT, roughly(estimate)), exact: false };
}
