import { Module } from '@nestjs/common';
import { CreditCycleAlignment } from './credits/credit-cycle-alignment';
import { OrganisationsController } from './organisations/organisations.controller';
import { OrganisationsService } from './organisations/organisations.service';
import { TeacherExportService } from './teachers/excel/teacher-export.service';
import { TeacherImportService } from './teachers/excel/teacher-import.service';
import { TeachersController } from './teachers/teachers.controller';
import { TeachersService } from './teachers/teachers.service';
import { TeacherTally } from './teachers/teacher-tally.service';
import { PeopleAccess } from './people.access';

/** Organisations and teachers: the shared people library every domain module builds on. */
@Module({
  controllers: [OrganisationsController, TeachersController],
  providers: [
    PeopleAccess,
    OrganisationsService,
    TeachersService,
    TeacherTally,
    TeacherImportService,
    TeacherExportService,
    CreditCycleAlignment,
  ],
  exports: [PeopleAccess, OrganisationsService, TeachersService, TeacherTally, TeacherImportService],
})
export class PeopleModule {}
