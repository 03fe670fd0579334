import { MySurveysController } from './my-surveys.controller';
import { SurveyPagesController } from './survey-pages.controller';

/** 训后评价: the owner's editor and the results (office, trainers), the teacher's phone form. */
export const EVALUATION_PAGE_CONTROLLERS = [SurveyPagesController, MySurveysController];
