import { CheckinPageController } from '../checkin/checkin-page.controller';
import { VerifyPageController } from '../verify/verify-page.controller';
import { MyAssessmentController } from './my-assessment.controller';
import { MyProgramsController } from './my-programs.controller';
import { MyTrainingController } from './my-training.controller';

/**
 * The teacher's phone pages, the check-in landing page the QR code opens, and the public
 * certificate verification page, registered by WebModule.
 */
export const TEACHER_PAGE_CONTROLLERS = [
  MyProgramsController,
  MyTrainingController,
  MyAssessmentController,
  CheckinPageController,
  VerifyPageController,
];
