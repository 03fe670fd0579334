import { DomainEvents } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Certificate } from './certificate.entity';

/** Domain events of certificates (entity `certificate`, id = the certificate's id). */
export const CertificateEvents = {
  ISSUED: 'certificate.issued',
} as const;

/** Ids and the kind only; the number and title are read from the certificate. */
export interface CertificateEventPayload {
  kind: Certificate['kind'];
  teacherId: number;
  programId: number | null;
  cohortId: number | null;
}

export async function recordCertificatesIssued(
  events: DomainEvents,
  em: EntityManager,
  actorId: number | null,
  certificates: Certificate[],
): Promise<void> {
  for (const c of certificates)
    await events.record<CertificateEventPayload>(em, {
      type: CertificateEvents.ISSUED,
      entity: 'certificate',
      entityId: c.id,
      payload: { kind: c.kind, teacherId: c.teacherId, programId: c.programId, cohortId: c.cohortId },
      actorId,
    });
}
