import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { Organisation } from './organisations/organisation.entity';
import { Teacher } from './teachers/teacher.entity';

export const TEACHER_KIND = accessKind('teacher');
export const ORGANISATION_KIND = accessKind('organisation');

/**
 * Rows that belong to a county (`countyId`): the city all; a county admin its own county's (read and
 * write); with `teacherColumn`, a teacher reads the rows whose column is their teacher id. `p` prefixes
 * the parameter names (`tCounty`, `tSelf`).
 */
export function countyRowsScope(
  actor: Actor,
  a: string,
  mode: AccessMode,
  p: string,
  teacherColumn?: string,
): Scope | null {
  if (actor.role === 'CITY_ADMIN') return null;
  if (actor.role === 'COUNTY_ADMIN' && actor.countyId)
    return { where: `${a}.countyId = :${p}County`, params: { [`${p}County`]: actor.countyId } };
  if (teacherColumn && actor.role === 'TEACHER' && actor.teacherId && mode === 'read')
    return { where: `${teacherColumn} = :${p}Self`, params: { [`${p}Self`]: actor.teacherId } };
  return NOTHING;
}

/** Teachers: the city all; a county its own (write too); a teacher reads their own record. */
export const teacherScope = (actor: Actor, a: string, mode: AccessMode): Scope | null =>
  countyRowsScope(actor, a, mode, 't', `${a}.id`);

/**
 * Units: the city all. A county sees its own unit and schools, and reads the city and the other units'
 * names (needed to show where things are); it changes only its own schools. Trainers read all units.
 */
export function organisationScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  if (actor.role === 'CITY_ADMIN') return null;
  if (actor.role === 'COUNTY_ADMIN' && actor.countyId) {
    return mode === 'write'
      ? { where: `${a}.countyId = :oCounty AND ${a}.type = 'SCHOOL'`, params: { oCounty: actor.countyId } }
      : { where: `${a}.countyId = :oCounty OR ${a}.type <> 'SCHOOL'`, params: { oCounty: actor.countyId } };
  }
  if (actor.role === 'TRAINER') return mode === 'write' ? NOTHING : null;
  return NOTHING;
}

/** The city oversees every county: its lists and figures are not limited to one. */
export const overseesAllCounties = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';
/** Acts for this county: the city, or the county's own admin. */
export const actsForCounty = (actor: Actor, countyId: number | null): boolean =>
  overseesAllCounties(actor) || countyId === actor.countyId;
/** Who may see a teacher's full 身份证号 and phone (audited): the city only. */
export const mayRevealIdentity = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';
/** Who creates units other than schools (institutions, partners): the city only. */
export const createsAnyUnit = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';
/** A county admin imports teachers into its own county. */
export const importsIntoOwnCounty = (actor: Actor): boolean => actor.role === 'COUNTY_ADMIN';
/** The city imports teachers into the county it names. */
export const importsIntoAnyCounty = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';

/** Registers the 'teacher' and 'organisation' kinds with the access policy. */
@Injectable()
export class PeopleAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Teacher>(TEACHER_KIND, { entity: Teacher, label: '教师', scope: teacherScope }),
    kindRule<Organisation>(ORGANISATION_KIND, {
      entity: Organisation,
      label: '单位',
      scope: organisationScope,
    }),
  ];
}
