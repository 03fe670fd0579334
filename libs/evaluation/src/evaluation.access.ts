import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { Cohort, cohortScope, programScope } from '@shipei/programs';

/**
 * Whose cohorts' survey results an actor sees (spec §15): the program's owner (the city, the owning
 * county) and the cohort's trainers. Not the other counties, not the trainees. One mode: results are read only.
 */
export function surveyResultsScope(actor: Actor, a: string, _mode: AccessMode): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN':
      return cohortScope(actor, a, 'write');
    case 'TRAINER':
      return {
        where: `${a}.id IN (SELECT sct.cohortId FROM cohort_trainer sct WHERE sct.userId = :svUser)`,
        params: { svUser: actor.userId },
      };
    default:
      return NOTHING;
  }
}

/** Cohorts whose results the actor sees: the owner's and the trainers'. */
export const SURVEY_RESULTS_KIND = accessKind('survey:results');

/** Open answers go to the program's owner only (spec §15), never to the trainers. */
export const seesOpenAnswers = (ownsProgram: boolean): boolean => ownsProgram;

/** Who answers a cohort's survey: a teacher, through their own enrolment in it. */
export const answersSurveys = (actor: Actor): boolean => actor.role === 'TEACHER' && !!actor.teacherId;

/**
 * The programs whose lecturers' results an office sees: the city all, a county the programs it owns
 * (the program's write scope).
 */
export const lecturerResultsScope = (actor: Actor, a: string): Scope | null => programScope(actor, a, 'write');

/** Registers the 'survey:results' kind with the access policy. */
@Injectable()
export class EvaluationAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Cohort>(SURVEY_RESULTS_KIND, { entity: Cohort, label: '班级', scope: surveyResultsScope }),
  ];
}
