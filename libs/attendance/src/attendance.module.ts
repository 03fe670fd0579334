import { Module } from '@nestjs/common';
import { EnrolmentModule } from '@shipei/enrolment';
import { ProgramsModule } from '@shipei/programs';
import { AssessmentController } from './assessment/assessment.controller';
import { AssessmentLocks } from './assessment/assessment-locks';
import { AssessmentService } from './assessment/assessment.service';
import { ScoresExcelService } from './assessment/scores-excel.service';
import { SubmissionService } from './assessment/submission.service';
import { AttendanceAccess } from './attendance.access';
import { CheckinCodes } from './checkin/checkin-codes';
import { CheckinController } from './checkin/checkin.controller';
import { CheckinService } from './checkin/checkin.service';
import { CompletionService } from './completion/completion.service';
import { LeaveController } from './leave/leave.controller';
import { PassKeys } from './passes/pass-keys';
import { EnrolmentPassController, PassKeyController, ScansController } from './passes/passes.controller';
import { PassesService } from './passes/passes.service';
import { ScansService } from './passes/scans.service';
import { LeaveService } from './leave/leave.service';
import { AttendanceOutputsService } from './outputs/attendance-outputs.service';
import {
  CohortAttendanceController,
  MyAttendanceController,
  SessionAttendanceController,
} from './records/attendance.controller';
import { AttendanceService } from './records/attendance.service';

/** Attendance (spec §5): rotating-QR check-in, trainer marking, leave, completion and 考核, sign-in sheets and matrices. */
@Module({
  imports: [ProgramsModule, EnrolmentModule],
  controllers: [
    CheckinController,
    SessionAttendanceController,
    CohortAttendanceController,
    MyAttendanceController,
    LeaveController,
    EnrolmentPassController,
    PassKeyController,
    ScansController,
    AssessmentController,
  ],
  providers: [
    AttendanceAccess,
    CheckinCodes,
    CheckinService,
    AttendanceService,
    CompletionService,
    LeaveService,
    AttendanceOutputsService,
    PassKeys,
    PassesService,
    ScansService,
    AssessmentLocks,
    AssessmentService,
    ScoresExcelService,
    SubmissionService,
  ],
  exports: [
    AttendanceAccess,
    CheckinCodes,
    CheckinService,
    AttendanceService,
    CompletionService,
    LeaveService,
    AttendanceOutputsService,
    PassKeys,
    PassesService,
    ScansService,
    AssessmentLocks,
    AssessmentService,
    ScoresExcelService,
    SubmissionService,
  ],
})
export class AttendanceModule {}
