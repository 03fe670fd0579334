import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { CohortTrainer } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { Certificate } from './certificate.entity';

/** Certificates of programs the county owns (its COUNTY_THEMATIC programs). */
const ownedByCounty = (a: string, param: string) =>
  `${a}.programId IN (SELECT cop.id FROM program cop WHERE cop.ownerCountyId = :${param})`;
/** Certificates of cohorts the user trains. */
const trainedBy = (a: string, param: string) =>
  `${a}.cohortId IN (SELECT cct.cohortId FROM cohort_trainer cct WHERE cct.userId = :${param})`;

/**
 * Who may see which certificates (mode read), and who may revoke them (mode write): the city all;
 * a county those of its own teachers and of the programs it owns, and revokes only the latter; a
 * trainer those of its cohorts (read); a teacher their own (read).
 */
export function certificateScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN':
      if (!actor.countyId) return NOTHING;
      return mode === 'write'
        ? { where: ownedByCounty(a, 'ctCounty'), params: { ctCounty: actor.countyId } }
        : {
            where: `(${a}.countyId = :ctCounty OR ${ownedByCounty(a, 'ctCounty')})`,
            params: { ctCounty: actor.countyId },
          };
    case 'TRAINER':
      return mode === 'write' ? NOTHING : { where: trainedBy(a, 'ctUser'), params: { ctUser: actor.userId } };
    case 'TEACHER':
      return mode === 'write' || !actor.teacherId
        ? NOTHING
        : { where: `${a}.teacherId = :ctTeacher`, params: { ctTeacher: actor.teacherId } };
    default:
      return NOTHING;
  }
}

/**
 * Who may print (download the PDF of) which certificates, spec §10: the program's owner, the
 * cohort's trainers and the holder. A county that only reads a certificate (its teacher in a city
 * program) may not print it; the 支教证明 of its own teachers it may.
 */
export function certificatePrintScope(actor: Actor, a: string): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN': {
      if (!actor.countyId) return NOTHING;
      // A county also prints the 支教证明 of its own teachers (it may issue them).
      const owned = certificateScope(actor, a, 'write')!;
      return {
        where: `(${owned.where} OR (${a}.sourceType = 'PLACEMENT' AND ${a}.countyId = :ctCounty))`,
        params: owned.params,
      };
    }
    default:
      return certificateScope(actor, a, 'read');
  }
}

export const CERTIFICATE_KIND = accessKind('certificate');
export const CERTIFICATE_PRINT_KIND = accessKind('certificate:print');

/** Who issues 支教证明: the education offices (city and counties), for placements they may see. */
export const issuesServiceCertificates = (actor: Actor): boolean =>
  actor.role === 'CITY_ADMIN' || actor.role === 'COUNTY_ADMIN';

/** Whether the actor trains this cohort: besides the program's owner, its trainers issue and print its certificates. */
export async function trainsCohort(em: EntityManager, actor: Actor, cohortId: number | null): Promise<boolean> {
  return (
    actor.role === 'TRAINER' && !!cohortId && (await em.countBy(CohortTrainer, { cohortId, userId: actor.userId })) > 0
  );
}

/** Registers the 'certificate' and 'certificate:print' kinds with the access policy. */
@Injectable()
export class CertificatesAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Certificate>(CERTIFICATE_KIND, {
      entity: Certificate,
      label: '证书',
      scope: certificateScope,
    }),
    kindRule<Certificate>(CERTIFICATE_PRINT_KIND, {
      entity: Certificate,
      label: '证书',
      scope: (actor, a) => certificatePrintScope(actor, a),
    }),
  ];
}
