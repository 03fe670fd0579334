import {
  CertificateRegisterPagesController,
  CohortCertificatesPagesController,
} from '../certificates/certificates-pages.controller';
import { AssignmentPagesController } from '../enrolment/assignment-pages.controller';
import { EnrolmentsPagesController } from '../enrolment/enrolments-pages.controller';
import { NominationPagesController } from '../enrolment/nomination-pages.controller';
import { RecordsPagesController } from '../records/records-pages.controller';
import { PlacementsPagesController } from '../talent-support/placements-pages.controller';
import { SchemesPagesController } from '../talent-support/schemes-pages.controller';
import { CohortsPagesController } from './cohorts-pages.controller';
import { ProgramAssessmentPageController } from './program-assessment-page.controller';
import { ProgramsPagesController } from './programs-pages.controller';

/**
 * The office (CITY_ADMIN) and county pages of programs, cohorts, nominations, certificates,
 * talent-support schemes and training records, registered by WebModule.
 */
export const OFFICE_PAGE_CONTROLLERS = [
  ProgramsPagesController,
  ProgramAssessmentPageController,
  CohortsPagesController,
  EnrolmentsPagesController,
  NominationPagesController,
  AssignmentPagesController,
  CohortCertificatesPagesController,
  CertificateRegisterPagesController,
  SchemesPagesController,
  PlacementsPagesController,
  RecordsPagesController,
];
