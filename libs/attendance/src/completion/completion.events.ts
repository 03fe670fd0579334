/** Domain events of 结业 (entity `enrolment`, id = the enrolment's id). */
export const CompletionEvents = {
  /** A trainee's result was decided, or changed by a later run after a correction. */
  DECIDED: 'completion.decided',
} as const;

export interface CompletionEventPayload {
  programId: number;
  cohortId: number;
  teacherId: number;
  status: 'COMPLETED' | 'NOT_COMPLETED';
}
