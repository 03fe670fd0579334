import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CompiledStatements, EXACT_COUNT_LIMIT, roughly, runStatement, whereShape } from '@shipei/core';
import type { Teacher } from './teacher.entity';
import type { TeacherTally } from './teacher-tally.service';

/** Up to this many matches a filtered list's total is exact; past it, an estimate (约 N). */
export const EXACT_TOTAL_LIMIT = EXACT_COUNT_LIMIT;
/** Rows of the scope the estimate reads: a relative error of about 7% at a 10% match rate. */
const SAMPLE_ROWS = 2_000;
/** Evenly spaced id windows the sample is spread over (imports arrive county by county, in id runs). */
const SAMPLE_WINDOWS = 20;

export interface Total {
  total: number;
  exact: boolean;
}

export interface TotalInput {
  /** The county the list is limited to (by scope or filter), `'ALL'` for the whole city, null when neither holds. */
  county: number | 'ALL' | null;
  /** Access scope and county filter only. */
  scoped: SelectQueryBuilder<Teacher>;
  /** Every other filter, as conditions on alias `t`. */
  filters: { sql: string; params: ObjectLiteral }[];
  /** `scoped` with the filters applied. */
  filtered: SelectQueryBuilder<Teacher>;
}

/**
 * The list's total, at a cost bounded whatever the province's size:
 *  - no filter beyond the city or a county: the tally (exact, ≤ 16 rows);
 *  - filters: a count that stops at 10,001 (`SELECT COUNT(*) FROM (… LIMIT 10001)`, a walk of the
 *    filter's index), exact up to 10,000;
 *  - past 10,000 (or when a sample of the scope already says it is far past): the share of matches
 *    among ~2,000 rows of the scope, read in 20 id windows spread over its id range, times the
 *    scope's tally — an estimate, shown as 约 N.
 */
export class TeacherTotals {
  private readonly statements = new CompiledStatements();

  constructor(private readonly tally: TeacherTally) {}

  async of(em: EntityManager, input: TotalInput): Promise<Total> {
    const { county, filters } = input;
    const countyId = county === 'ALL' ? undefined : (county ?? undefined);
    const scopeTotal = county === null ? null : await this.tally.total(em, countyId);
    if (scopeTotal !== null && !filters.length) return { total: scopeTotal, exact: true };
    let estimate: number | null = null;
    if (scopeTotal !== null && scopeTotal > EXACT_TOTAL_LIMIT) {
      estimate = await this.sample(em, input, countyId, scopeTotal);
      if (estimate > EXACT_TOTAL_LIMIT * 1.5) return { total: roughly(estimate), exact: false };
    }
    const counted = await this.cappedCount(em, input.filtered);
    if (counted <= EXACT_TOTAL_LIMIT) return { total: counted, exact: true };
    return { total: Math.max(EXACT_TOTAL_LIMIT, roughly(estimate ?? 0)), exact: false };
  }

  private async cappedCount(em: EntityManager, qb: SelectQueryBuilder<Teacher>): Promise<number> {
    const sql = this.statements.text(
      `capped\n${whereShape(qb)}`,
      () =>
        `SELECT COUNT(*) AS cnt FROM (${qb.clone().select('t.id', 'id').getQuery()} LIMIT ${EXACT_TOTAL_LIMIT + 1}) capped`,
    );
    const [row] = await runStatement<{ cnt: number | string }>(em, sql, qb.getParameters());
    return Number(row?.cnt ?? 0);
  }

  /** Matches among a spread sample of the scope, scaled to the scope's tally. */
  private async sample(
    em: EntityManager,
    { scoped, filters }: TotalInput,
    countyId: number | undefined,
    scopeTotal: number,
  ): Promise<number> {
    const where = countyId === undefined ? '' : ' WHERE countyId = ?';
    const args = countyId === undefined ? [] : [countyId];
    // Two statements: SQLite answers MIN or MAX from the index only when it is the query's one aggregate.
    const [[lo], [hi]] = await Promise.all([
      em.query(`SELECT MIN(id) AS v FROM teacher${where}`, args),
      em.query(`SELECT MAX(id) AS v FROM teacher${where}`, args),
    ]);
    const from = Number(lo?.v ?? 0);
    const span = Number(hi?.v ?? 0) - from + 1;
    if (!from || span <= 0) return 0;
    const width = Math.max(1, Math.floor((span * Math.min(1, SAMPLE_ROWS / scopeTotal)) / SAMPLE_WINDOWS));
    const windows: string[] = [];
    const params: ObjectLiteral = {};
    for (let i = 0; i < SAMPLE_WINDOWS; i++) {
      const start = from + Math.floor((i * span) / SAMPLE_WINDOWS);
      windows.push(`t.id BETWEEN :sw${i}a AND :sw${i}b`);
      params[`sw${i}a`] = start;
      params[`sw${i}b`] = start + width - 1;
    }
    const qb = scoped.clone();
    const matches = filters.map((f) => `(${f.sql})`).join(' AND ');
    for (const f of filters) qb.setParameters(f.params);
    qb.andWhere(`(${windows.join(' OR ')})`, params);
    const sql = this.statements.text(`sample\n${matches}\n${whereShape(qb)}`, () =>
      qb.clone().select('COUNT(*)', 'n').addSelect(`SUM(CASE WHEN ${matches} THEN 1 ELSE 0 END)`, 'm').getQuery(),
    );
    const [row] = await runStatement<{ n: number | string; m: number | string | null }>(em, sql, qb.getParameters());
    const n = Number(row?.n ?? 0);
    return n ? (Number(row?.m ?? 0) / n) * scopeTotal : 0;
  }
}
