/** Domain events of programs and cohorts. */
export const ProgramEvents = {
  /** DRAFT → OPEN: counties may nominate (entity `program`). */
  OPENED: 'program.opened',
  /** A cohort's trainers were set (entity `cohort`); the payload lists the trainers added. */
  TRAINERS_ASSIGNED: 'cohort.trainers-assigned',
} as const;

export interface ProgramOpenedPayload {
  programId: number;
}

export interface TrainersAssignedPayload {
  programId: number;
  cohortId: number;
  /** User ids of the trainers who were not on the cohort before. */
  trainerIds: number[];
}
