import { CohortScoresController } from './cohort-scores.controller';
import { LeaveApprovalsController } from './leave-approvals.controller';
import { PassScannerController } from './pass-scanner.controller';
import { SessionAttendanceController } from './session-attendance.controller';
import { TrainerCohortsController } from './trainer-cohorts.controller';

/** The trainer's pages (also opened by a program's owner for its cohorts), registered by WebModule. */
export const TRAINER_PAGE_CONTROLLERS = [
  TrainerCohortsController,
  SessionAttendanceController,
  PassScannerController,
  LeaveApprovalsController,
  CohortScoresController,
];
