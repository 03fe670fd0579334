import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { Program } from '@shipei/programs';
import { Enrolment } from './enrolment.entity';

export const ENROLMENT_KIND = accessKind('enrolment');

/**
 * Who may touch which enrolments: the city (owner of city programs, overseer of all); a county
 * its own county's enrolments and all of its own thematic programs; a teacher their own (read,
 * and write for confirm/decline); a trainer those in its cohorts (read). Which transition an
 * actor may make on a row it can touch is decided by the use case (owner approves, etc.).
 */
export function enrolmentScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN':
      if (!actor.countyId) return NOTHING;
      return {
        where: `(${a}.countyId = :eCounty OR ${a}.programId IN (SELECT ep.id FROM program ep WHERE ep.ownerCountyId = :eCounty))`,
        params: { eCounty: actor.countyId },
      };
    case 'TEACHER':
      if (!actor.teacherId) return NOTHING;
      return { where: `${a}.teacherId = :eTeacher`, params: { eTeacher: actor.teacherId } };
    case 'TRAINER':
      if (mode === 'write') return NOTHING;
      return {
        where: `${a}.cohortId IN (SELECT ect.cohortId FROM cohort_trainer ect WHERE ect.userId = :eUser)`,
        params: { eUser: actor.userId },
      };
    default:
      return NOTHING;
  }
}

/** Who nominates teachers (and so reads a program as open for nominations): a county admin, for its county. */
export const nominatesForCounty = (actor: Actor): boolean => actor.role === 'COUNTY_ADMIN' && !!actor.countyId;
/** Who withdraws a nomination: the county of the enrolment's teacher. */
export const mayWithdraw = (actor: Actor, e: Pick<Enrolment, 'countyId'>): boolean =>
  actor.role === 'COUNTY_ADMIN' && e.countyId === actor.countyId;
/** Who confirms or declines a place: the enrolled teacher themself. */
export const isEnrolledTeacher = (actor: Actor, e: Pick<Enrolment, 'teacherId'>): boolean =>
  actor.role === 'TEACHER' && e.teacherId === actor.teacherId;
/** Who sees every county's quota of a program: the city, and the county that owns the program. */
export const seesAllQuotas = (actor: Actor, program: Pick<Program, 'ownerCountyId'>): boolean =>
  actor.role === 'CITY_ADMIN' || (actor.role === 'COUNTY_ADMIN' && program.ownerCountyId === actor.countyId);
/** The one county quota another actor sees: a county admin its own; others none (-1 matches no county). */
export const ownQuotaCounty = (actor: Actor): number | null => (actor.role === 'COUNTY_ADMIN' ? actor.countyId : -1);

/** Registers the 'enrolment' kind with the access policy. */
@Injectable()
export class EnrolmentAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Enrolment>(ENROLMENT_KIND, { entity: Enrolment, label: '报名记录', scope: enrolmentScope }),
  ];
}

/** Whose approved trainees the actor opens accounts for: every county's for the city, else only its own county's. */
export const accountsCounty = (actor: Actor): number | null =>
  actor.role === 'CITY_ADMIN' ? null : (actor.countyId ?? -1);
