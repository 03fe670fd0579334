import { EntityManager } from 'typeorm';
import { Period } from '../credits/credit-rules';

/**
 * The rows of `credit_year` a compliance request reads: the period's calendar years, within a
 * county or school (neither: the whole city). Rows carry their teacher's county and school, so
 * "the teachers of county C" is `countyId = C` here without a join (see CreditYear).
 */
export interface CreditScope {
  years: number[];
  countyId?: number;
  schoolId?: number;
}

export type SqlPart = { sql: string; params: Record<string, unknown> };

/** The calendar years of a period ('YYYY-01-01' … 'YYYY-12-31'). */
export function periodYears(p: Period): number[] {
  const years: number[] = [];
  for (let y = Number(p.from.slice(0, 4)); y <= Number(p.to.slice(0, 4)); y++) years.push(y);
  return years;
}

/** `cy.year IN (…)` and the county / school: ranges of idx_credit_year_county / _school. */
export function creditRows(s: CreditScope): SqlPart {
  const where = ['cy.year IN (:...cyYears)'];
  const params: Record<string, unknown> = { cyYears: s.years };
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

/**
 * The teachers in scope whose credits in the period reach `:required`. One year: an index range
 * (one row per teacher and year, `hours >= required`); a cycle sums each teacher's five years.
 */
export function metTeachers(s: CreditScope, required: number): SqlPart {
  const rows = creditRows(s);
  const params = { ...rows.params, required };
  return s.years.length === 1
    ? { sql: `SELECT cy.teacherId FROM credit_year cy WHERE ${rows.sql} AND cy.hours >= :required`, params }
    : {
        sql: `SELECT cy.teacherId FROM credit_year cy WHERE ${rows.sql} GROUP BY cy.teacherId HAVING ROUND(SUM(cy.hours), 1) >= :required`,
        params,
      };
}

/**
 * Per county or school (`column`): how many teachers in scope meet the requirement, and the hours
 * of those who have some but fall short. With the teachers per unit this gives the summary: short =
 * teachers − met, hours missing = short × required − those hours.
 */
export function creditsPerUnit(s: CreditScope, required: number, column: 'countyId' | 'schoolId'): SqlPart {
  const rows = creditRows(s);
  const params = { ...rows.params, required };
  const tally = (h: string) =>
    `SUM(CASE WHEN ${h} >= :required THEN 1 ELSE 0 END) AS met, SUM(CASE WHEN ${h} < :required THEN ${h} ELSE 0 END) AS shortHours`;
  return s.years.length === 1
    ? {
        sql: `SELECT cy.${column} AS orgId, ${tally('cy.hours')} FROM credit_year cy WHERE ${rows.sql} GROUP BY cy.${column}`,
        params,
      }
    : {
        sql: `SELECT x.orgId AS orgId, ${tally('x.h')} FROM (SELECT MAX(cy.${column}) AS orgId, ROUND(SUM(cy.hours), 1) AS h FROM credit_year cy WHERE ${rows.sql} GROUP BY cy.teacherId) x GROUP BY x.orgId`,
        params,
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
  return { sql: `SELECT COALESCE(SUM(tc.teachers), 0) AS n FROM teacher_count tc WHERE ${rows.sql}`, params: rows.params };
}

/** The teachers per county or school in scope, for the units that have any. */
export function teachersPerUnit(s: CreditScope, column: 'countyId' | 'schoolId'): SqlPart {
  const rows = countRows(s);
  return {
    sql: `SELECT tc.${column} AS orgId, SUM(tc.teachers) AS teachers FROM teacher_count tc WHERE ${rows.sql} GROUP BY tc.${column} HAVING SUM(tc.teachers) > 0`,
    params: rows.params,
  };
}

/** Credits in the period per teacher, for rows in scope (`extra` narrows further, e.g. to some teachers). */
export function creditsPerTeacher(s: CreditScope, extra?: SqlPart): SqlPart {
  const rows = creditRows(s);
  return {
    sql: `SELECT cy.teacherId AS teacherId, SUM(cy.hours) AS h FROM credit_year cy WHERE ${rows.sql}${extra ? ` AND ${extra.sql}` : ''} GROUP BY cy.teacherId`,
    params: { ...rows.params, ...extra?.params },
  };
}

/** Runs a named-parameter statement (`:name`, `:...list`) as a plain query. */
export function runSql<T = Record<string, unknown>>(em: EntityManager, part: SqlPart): Promise<T[]> {
  const [sql, parameters] = em.connection.driver.escapeQueryWithParameters(part.sql, part.params, {});
  return em.query(sql, parameters);
}
