import { BadInputError } from '@shipei/core';
import { BACKBONE_LEVELS, BACKBONE_LABELS, BackboneLevel, Organisation, Teacher } from '@shipei/people';
import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { Program } from './programs/program.entity';

export const splitList = (s: string | null | undefined): string[] => (s ? s.split(',').filter(Boolean) : []);

const levelRank = (l: string | null | undefined) =>
  Math.max(0, BACKBONE_LEVELS.indexOf((l ?? 'NONE') as BackboneLevel));

/** The backbone levels that satisfy a minimum (e.g. CITY → CITY, PROVINCE). */
export function levelsAtLeast(min: string | null): string[] {
  return BACKBONE_LEVELS.filter((l) => levelRank(l) >= levelRank(min));
}

/**
 * Why a teacher is not eligible for a program (spec §3): empty when eligible. Chinese
 * reasons, shown to the county in the 409 and in the bulk-import row errors.
 */
export function eligibilityProblems(
  program: Pick<Program, 'requirePovertyVillage' | 'minBackboneLevel' | 'stages' | 'subjects'>,
  teacher: Pick<Teacher, 'backboneLevel' | 'stage' | 'subject'>,
  school: Pick<Organisation, 'povertyVillage'>,
): string[] {
  const problems: string[] = [];
  if (program.requirePovertyVillage && !school.povertyVillage) problems.push('所在学校不是贫困村学校');
  if (program.minBackboneLevel && levelRank(teacher.backboneLevel) < levelRank(program.minBackboneLevel)) {
    problems.push(
      `须为${BACKBONE_LABELS[program.minBackboneLevel as BackboneLevel] ?? program.minBackboneLevel}及以上骨干教师`,
    );
  }
  const stages = splitList(program.stages);
  if (stages.length && !stages.includes(teacher.stage ?? '')) problems.push(`学段须为${stages.join('、')}之一`);
  const subjects = splitList(program.subjects);
  if (subjects.length && !subjects.includes(teacher.subject ?? '')) problems.push(`学科须为${subjects.join('、')}之一`);
  return problems;
}

/** Restricts a query over teachers (alias `t`) to those eligible for the program, by joining their school. */
export function whereEligible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  program: Program,
  t = 't',
): SelectQueryBuilder<T> {
  if (program.requirePovertyVillage) {
    qb.andWhere(
      `${t}.schoolId IN (SELECT es.id FROM organisation es WHERE es.type = 'SCHOOL' AND es.povertyVillage = :eTrue)`,
      { eTrue: true },
    );
  }
  if (program.minBackboneLevel)
    qb.andWhere(`${t}.backboneLevel IN (:...eLevels)`, { eLevels: levelsAtLeast(program.minBackboneLevel) });
  const stages = splitList(program.stages);
  if (stages.length) qb.andWhere(`${t}.stage IN (:...eStages)`, { eStages: stages });
  const subjects = splitList(program.subjects);
  if (subjects.length) qb.andWhere(`${t}.subject IN (:...eSubjects)`, { eSubjects: subjects });
  return qb;
}

/**
 * PATCH bodies: `IsOptional` lets `null` through; a field that cannot be empty answers 400
 * (never a database error). `nullable` names the fields that `null` clears.
 */
export function rejectNulls(dto: object, nullable: readonly string[] = []): void {
  const bad = Object.entries(dto)
    .filter(([k, v]) => v === null && !nullable.includes(k))
    .map(([k]) => k);
  if (bad.length)
    throw new BadInputError('VALIDATION_FAILED', `请求参数有误：${bad.join('、')}`, {
      errors: bad.map((field) => ({ field, message: '不能为空' })),
    });
}
