import { Module } from '@nestjs/common';
import { AuthModule } from '@shipei/auth';
import { PeopleModule } from '@shipei/people';
import { ProgramsModule } from '@shipei/programs';
import { ProgramAccountsService } from './accounts/program-accounts.service';
import { AssignmentsService } from './assignments/assignments.service';
import { CohortAssignmentsController } from './cohort-assignments.controller';
import { EnrolmentAccess } from './enrolment.access';
import { EnrolmentsController } from './enrolments.controller';
import { EnrolmentsService } from './enrolments.service';
import { NominationCandidatesService } from './nominations/nomination-candidates.service';
import { NominationImportService } from './nominations/nomination-import.service';
import { ProgramAccountsController } from './program-accounts.controller';
import { ProgramEnrolmentsController } from './program-enrolments.controller';
import { QuotasService } from './quotas/quotas.service';
import { RosterService } from './roster/roster.service';
import { SeatLedger } from './seats';

/** Enrolment (spec §4): quotas, nominations, transitions, waitlist, 分班, roster and figures. */
@Module({
  imports: [PeopleModule, AuthModule, ProgramsModule],
  controllers: [
    ProgramEnrolmentsController,
    ProgramAccountsController,
    EnrolmentsController,
    CohortAssignmentsController,
  ],
  providers: [
    EnrolmentAccess,
    SeatLedger,
    EnrolmentsService,
    NominationImportService,
    NominationCandidatesService,
    QuotasService,
    AssignmentsService,
    RosterService,
    ProgramAccountsService,
  ],
  exports: [
    EnrolmentAccess,
    SeatLedger,
    EnrolmentsService,
    NominationImportService,
    NominationCandidatesService,
    QuotasService,
    AssignmentsService,
    RosterService,
    ProgramAccountsService,
  ],
})
export class EnrolmentModule {}
