import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Role, Scope } from '@shipei/core';
import { Cohort } from './cohorts/cohort.entity';
import { Program } from './programs/program.entity';
import { TrainingSession } from './sessions/training-session.entity';

export const PROGRAM_KIND = accessKind('program');
export const COHORT_KIND = accessKind('cohort');
export const SESSION_KIND = accessKind('session');

/**
 * Which programs an actor may touch. Write = owner: the city for city programs (it also
 * oversees county ones), the owning county for its COUNTY_THEMATIC programs. Read adds the
 * city's non-draft programs for counties, the programs of a trainer's cohorts, and the
 * programs a teacher is enrolled in.
 *
 * The teacher clauses name the enrolment table (the layer above) in SQL only: a teacher's
 * reach is defined by their enrolments, and the rule must live with the kind it guards.
 */
export function programScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN':
      if (!actor.countyId) return NOTHING;
      return mode === 'write'
        ? { where: `${a}.ownerCountyId = :pCounty`, params: { pCounty: actor.countyId } }
        : {
            where: `(${a}.ownerCountyId = :pCounty OR (${a}.ownerCountyId IS NULL AND ${a}.status <> 'DRAFT'))`,
            params: { pCounty: actor.countyId },
          };
    case 'TRAINER':
      if (mode === 'write') return NOTHING;
      return {
        where: `${a}.id IN (SELECT pc.programId FROM cohort pc INNER JOIN cohort_trainer pct ON pct.cohortId = pc.id WHERE pct.userId = :pUser)`,
        params: { pUser: actor.userId },
      };
    case 'TEACHER':
      if (mode === 'write' || !actor.teacherId) return NOTHING;
      return {
        where: `${a}.id IN (SELECT pe.programId FROM enrolment pe WHERE pe.teacherId = :pTeacher)`,
        params: { pTeacher: actor.teacherId },
      };
    default:
      return NOTHING;
  }
}

/** Cohorts: the program's owner (write), readers of the program's cohorts: its trainers, its enrolled teachers, counties. */
export function cohortScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN': {
      const p = programScope(actor, 'cp', mode)!;
      return { where: `${a}.programId IN (SELECT cp.id FROM program cp WHERE ${p.where})`, params: p.params };
    }
    case 'TRAINER':
      if (mode === 'write') return NOTHING;
      return {
        where: `${a}.id IN (SELECT cct.cohortId FROM cohort_trainer cct WHERE cct.userId = :cUser)`,
        params: { cUser: actor.userId },
      };
    case 'TEACHER':
      if (mode === 'write' || !actor.teacherId) return NOTHING;
      return {
        where: `${a}.id IN (SELECT ce.cohortId FROM enrolment ce WHERE ce.teacherId = :cTeacher AND ce.cohortId IS NOT NULL)`,
        params: { cTeacher: actor.teacherId },
      };
    default:
      return NOTHING;
  }
}

/** Sessions: through their cohort; a trainer also reads the sessions it teaches. */
export function sessionScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  if (actor.role === 'CITY_ADMIN') return null;
  const c = cohortScope(actor, 'sc', mode)!;
  if (c === NOTHING) return NOTHING;
  const viaCohort = `${a}.cohortId IN (SELECT sc.id FROM cohort sc WHERE ${c.where})`;
  if (actor.role === 'TRAINER' && mode === 'read') {
    return { where: `(${viaCohort} OR ${a}.trainerId = :sUser)`, params: { ...c.params, sUser: actor.userId } };
  }
  return { where: viaCohort, params: c.params };
}

/** Who creates programs at all: the city and the counties. */
export const mayCreatePrograms = (actor: Actor): boolean =>
  actor.role === 'CITY_ADMIN' || actor.role === 'COUNTY_ADMIN';
/** A county creates (and owns) only its COUNTY_THEMATIC programs. */
export const createsCountyPrograms = (actor: Actor): boolean => actor.role === 'COUNTY_ADMIN';
/** The city creates every kind but COUNTY_THEMATIC (those are the counties'). */
export const createsCityPrograms = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';
/** An account that may be a cohort's trainer: an active TRAINER. */
export const mayTrain = (user: { role: Role; active: boolean }): boolean => user.role === 'TRAINER' && user.active;

/** Registers the 'program', 'cohort' and 'session' kinds with the access policy. */
@Injectable()
export class ProgramsAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Program>(PROGRAM_KIND, { entity: Program, label: '培训项目', scope: programScope }),
    kindRule<Cohort>(COHORT_KIND, { entity: Cohort, label: '班级', scope: cohortScope }),
    kindRule<TrainingSession>(SESSION_KIND, {
      entity: TrainingSession,
      label: '课次',
      scope: sessionScope,
    }),
  ];
}
