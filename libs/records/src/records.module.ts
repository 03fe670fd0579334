import { Module } from '@nestjs/common';
import { AttendanceModule } from '@shipei/attendance';
import { CertificatesModule } from '@shipei/certificates';
import { EnrolmentModule } from '@shipei/enrolment';
import { ProgramsModule } from '@shipei/programs';
import { TalentSupportModule } from '@shipei/talent-support';
import { CohortArchiveController } from './archive/cohort-archive.controller';
import { CohortArchiveService } from './archive/cohort-archive.service';
import { ComplianceController } from './compliance/compliance.controller';
import { ComplianceService } from './compliance/compliance.service';
import { ExternalCreditImportService } from './external-credits/external-credit-import.service';
import { ExternalCreditTemplates } from './external-credits/external-credit-templates.service';
import { ExternalCreditsController } from './external-credits/external-credits.controller';
import { TeacherFileController } from './teacher-file/teacher-file.controller';
import { TeacherFileService } from './teacher-file/teacher-file.service';

/**
 * Training records (spec §8): one file per teacher (一人一档) with credit-hour compliance against the
 * Shandong requirement, external credits imported from .xlsx, and one archive per cohort (一期一档).
 * The top domain module: it reads every other module (through their exported services) and nothing
 * but the app imports it.
 */
@Module({
  imports: [ProgramsModule, EnrolmentModule, AttendanceModule, CertificatesModule, TalentSupportModule],
  controllers: [TeacherFileController, ComplianceController, ExternalCreditsController, CohortArchiveController],
  providers: [
    TeacherFileService,
    ComplianceService,
    ExternalCreditImportService,
    ExternalCreditTemplates,
    CohortArchiveService,
  ],
  exports: [TeacherFileService, ComplianceService, CohortArchiveService],
})
export class RecordsModule {}
