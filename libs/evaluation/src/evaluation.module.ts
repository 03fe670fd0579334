import { Module } from '@nestjs/common';
import { EnrolmentModule } from '@shipei/enrolment';
import { ProgramsModule } from '@shipei/programs';
import { EvaluationAccess } from './evaluation.access';
import { SurveyResultsService } from './survey-results.service';
import { SurveysController } from './surveys.controller';
import { SurveysService } from './surveys.service';

/**
 * 训后评价 (spec §15): a cohort's form, the trainees' anonymous answers, results per question and
 * per lecturer, and their export. Builds on programs (cohorts, sessions) and enrolment (who is a trainee).
 */
@Module({
  imports: [ProgramsModule, EnrolmentModule],
  controllers: [SurveysController],
  providers: [EvaluationAccess, SurveysService, SurveyResultsService],
  exports: [EvaluationAccess, SurveysService, SurveyResultsService],
})
export class EvaluationModule {}
