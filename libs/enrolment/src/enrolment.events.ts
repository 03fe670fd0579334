import { DomainEvents } from '@shipei/core';
import { EntityManager } from 'typeorm';

/** Domain events of enrolment (entity `enrolment`, id = the enrolment's id). */
export const EnrolmentEvents = {
  APPROVED: 'enrolment.approved',
  REJECTED: 'enrolment.rejected',
  DECLINED: 'enrolment.declined',
  WITHDRAWN: 'enrolment.withdrawn',
  /** From the waitlist to a county seat. */
  PROMOTED: 'enrolment.promoted',
  ASSIGNED: 'enrolment.assigned',
} as const;
export type EnrolmentEventType = (typeof EnrolmentEvents)[keyof typeof EnrolmentEvents];

/** Ids only; the reason, cohort and dates are read from the enrolment when needed. */
export interface EnrolmentEventPayload {
  programId: number;
  teacherId: number;
  countyId: number;
}

export function recordEnrolmentEvent(
  events: DomainEvents,
  em: EntityManager,
  type: EnrolmentEventType,
  actorId: number | null,
  e: { id: number } & EnrolmentEventPayload,
): Promise<unknown> {
  return events.record<EnrolmentEventPayload>(em, {
    type,
    entity: 'enrolment',
    entityId: e.id,
    payload: { programId: e.programId, teacherId: e.teacherId, countyId: e.countyId },
    actorId,
  });
}
