import { Module } from '@nestjs/common';
import { AuthModule } from '@shipei/auth';
import { PeopleModule } from '@shipei/people';
import { ProgramsModule } from '@shipei/programs';
import { EnrolmentModule } from '@shipei/enrolment';
import { AttendanceModule } from '@shipei/attendance';
import { CertificatesModule } from '@shipei/certificates';
import { TalentSupportModule } from '@shipei/talent-support';
import { RecordsModule } from '@shipei/records';
import { NotificationsModule } from '@shipei/notifications';
import { EvaluationModule } from '@shipei/evaluation';
import { EVALUATION_PAGE_CONTROLLERS } from './evaluation/evaluation-pages';
import { OFFICE_PAGE_CONTROLLERS } from './programs/office-pages';
import { TEACHER_PAGE_CONTROLLERS } from './teacher/teacher-pages';
import { TRAINER_PAGE_CONTROLLERS } from './trainer/trainer-pages';
import { AuditPagesController } from './admin/audit-pages.controller';
import { DeliveriesPagesController } from './admin/deliveries-pages.controller';
import { AnnouncementsPagesController } from './announcements/announcements-pages.controller';
import { MyTimetableController } from './teacher/my-timetable.controller';
import { TeacherHome } from './teacher/teacher-home';
import { MessagesPagesController } from './messages/messages-pages.controller';
import { UsersPagesController } from './admin/users-pages.controller';
import { AuthPagesController } from './auth/auth-pages.controller';
import { HomeController } from './home/home.controller';
import { SchoolsPagesController } from './people/schools-pages.controller';
import { TeacherImportPageController } from './people/teacher-import-page.controller';
import { TeachersPagesController } from './people/teachers-pages.controller';
import { NameLookup } from './shared/name-lookup.service';
import { PageExceptionFilter } from './shared/page-exception.filter';
import { PageRenderer } from './shared/page-renderer.service';

/**
 * The web pages: server-rendered Handlebars views over the same domain services as the API.
 * A module's pages go in `web/<area>/` with their views in `views/<area>/`, and are listed here.
 */
@Module({
  imports: [
    AuthModule,
    PeopleModule,
    ProgramsModule,
    EnrolmentModule,
    AttendanceModule,
    CertificatesModule,
    TalentSupportModule,
    RecordsModule,
    NotificationsModule,
    EvaluationModule,
  ],
  controllers: [
    AuthPagesController,
    HomeController,
    SchoolsPagesController,
    TeacherImportPageController,
    TeachersPagesController,
    UsersPagesController,
    AuditPagesController,
    DeliveriesPagesController,
    MessagesPagesController,
    AnnouncementsPagesController,
    MyTimetableController,
    // Office (CITY_ADMIN) and county pages: programs, enrolment, certificates, schemes, records.
    ...OFFICE_PAGE_CONTROLLERS,
    // Trainer pages (check-in display, attendance, leave, completion); teacher phone pages, check-in landing, public verification.
    ...TRAINER_PAGE_CONTROLLERS,
    ...TEACHER_PAGE_CONTROLLERS,
    ...EVALUATION_PAGE_CONTROLLERS,
  ],
  providers: [PageRenderer, NameLookup, PageExceptionFilter, TeacherHome],
  exports: [PageRenderer, NameLookup],
})
export class WebModule {}
