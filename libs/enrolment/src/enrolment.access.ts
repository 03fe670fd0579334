import { Injectable } from '@nestjs/common';
import { AccessMode, AccessPolicy, Actor, NOTHING, Scope } from '@shipei/core';
import { ProgramsAccess } from '@shipei/programs';
import { Enrolment } from './enrolment.entity';

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

@Injectable()
export class EnrolmentAccess {
  constructor(access: AccessPolicy, _programs: ProgramsAccess) {
    access.register<Enrolment>('enrolment', { entity: Enrolment, label: '报名记录', scope: enrolmentScope });
  }
}
