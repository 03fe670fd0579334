import { runStatement } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Period } from '../credits/credit-rules';

/**
 * The maintained credit rows a compliance request reads: one per teacher for the period — in
 * `credit_year` for a year, in `credit_cycle` for a five-year cycle (libs/people) — within a
 * county or school (neither: the whole city). Rows carry their teacher's county and school, so
 * "the teachers of county C" is `countyId = C` there without a join.
 */
export interface CreditScope {
  table: 'credit_year' | 'credit_cycle';
  column: 'year' | 'cycle';
  /** The year, or the cycle's first year. */
  key: number;
  countyId?: number;
  schoolId?: number;
}

export type SqlPart = { sql: string; params: Record<string, unknown> };

/** A year's or a cycle's rows (the period's first year is the cycle's key). */
export function periodScope(p: Period & { kind: 'YEAR' | 'CYCLE' }): Pick<CreditScope, 'table' | 'column' | 'key'> {
  const key = Number(p.from.slice(0, 4));
  return p.kind === 'YEAR'
    ? { table: 'credit_year', column: 'year', key }
    : { table: 'credit_cycle', column: 'cycle', key };
}

/** The period and the county / school: ranges of idx_credit_{year,cycle}_county / _school. */
function creditRows(s: CreditScope): SqlPart {
  const where = [`cy.${s.column} = :cyKey`];
  const params: Record<string, unknown> = { cyKey: s.key };
  if (s.countyId !== undefined) {
    where.push('cy.countyId = :cyCounty');
    params.cyCounty = s.countyId;
  }
  if (s.schoolId !== undefined) {
    where.push('cy.schoolId = :cySchool');
    params.cySchool = s.schoolId;
  }
  return { sql: where.join(' AND '), params };
}

/** The teachers in scope whose credits in the period reach `:required`: one index range. */
export function metTeachers(s: CreditScope, required: number): SqlPart {
  const rows = creditRows(s);
  return {
    sql: `SELECT cy.teacherId FROM ${s.table} cy WHERE ${rows.sql} AND cy.hours >= :required`,
    params: { ...rows.params, required },
  };
}

/**
 * Per county or school (`column`): how many teachers in scope meet the requirement, and the hours
 * of those who have some but fall short. With the teachers per unit this gives the summary: short =
 * teachers − met, hours missing = short × required − those hours.
 */
export function creditsPerUnit(s: CreditScope, required: number, column: 'countyId' | 'schoolId'): SqlPart {
  const rows = creditRows(s);
  return {
    sql: `SELECT cy.${column} AS orgId, SUM(CASE WHEN cy.hours >= :required THEN 1 ELSE 0 END) AS met, SUM(CASE WHEN cy.hours < :required THEN cy.hours ELSE 0 END) AS shortHours FROM ${s.table} cy WHERE ${rows.sql} GROUP BY cy.${column}`,
    params: { ...rows.params, required },
  };
}

/** The county / school filter on `teacher_count` (tc): the schools' maintained teacher counts (TeacherCount). */
function countRows(s: CreditScope): SqlPart {
  const where = ['1 = 1'];
  const params: Record<string, unknown> = {};
  if (s.countyId !== undefined) {
    where.push('tc.countyId = :tcCounty');
    params.tcCounty = s.countyId;
  }
  if (s.schoolId !== undefined) {
    where.push('tc.schoolId = :tcSchool');
    params.tcSchool = s.schoolId;
  }
  return { sql: where.join(' AND '), params };
}

/** The teachers in scope: a sum over its schools' counts (2,000 rows for a province), not a count of teachers. */
export function teachersInScope(s: CreditScope): SqlPart {
  const rows = countRows(s);
  return {
    sql: `SELECT COALESCE(SUM(tc.teachers), 0) AS n FROM teacher_count tc WHERE ${rows.sql}`,
    params: rows.params,
  };
}

/** The teachers per county or school in scope, for the units that have any. */
export function teachersPerUnit(s: CreditScope, column: 'countyId' | 'schoolId'): SqlPart {
  const rows = countRows(s);
  return {
    sql: `SELECT tc.${column} AS orgId, SUM(tc.teachers) AS teachers FROM teacher_count tc WHERE ${rows.sql} GROUP BY tc.${column} HAVING SUM(tc.teachers) > 0`,
    params: rows.params,
  };
}

/** Credits in the period per teacher in scope (`extra` narrows further, e.g. to some teachers). */
export function creditsPerTeacher(s: CreditScope, extra?: SqlPart): SqlPart {
  const rows = creditRows(s);
  return {
    sql: `SELECT cy.teacherId AS teacherId, cy.hours AS h FROM ${s.table} cy WHERE ${rows.sql}${extra ? ` AND ${extra.sql}` : ''}`,
    params: { ...rows.params, ...extra?.params },
  };
}

/** Runs a named-parameter statement (`:name`, `:...list`) as a plain query. */
export function runSql<T = Record<string, unknown>>(em: EntityManager, part: SqlPart): Promise<T[]> {
  return runStatement<T>(em, part.sql, part.params);
}
