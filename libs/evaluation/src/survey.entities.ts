import { Enrolment } from '@shipei/enrolment';
import { Cohort, TrainingSession } from '@shipei/programs';
import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const QUESTION_KINDS = ['RATING', 'TEXT'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = { RATING: '评分（1–5）', TEXT: '开放题' };

/** One question of a cohort's 训后评价 form; `sessionId` ties a rating to a session (and its lecturer). */
@Entity('survey_question')
@Index('idx_survey_question_cohort', ['cohortId', 'position'])
@Index('idx_survey_question_session', ['sessionId'])
export class SurveyQuestion {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  cohortId: number;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 10 })
  kind: QuestionKind;

  @Column({ type: 'varchar', length: 300 })
  text: string;

  @ForeignKey(() => TrainingSession, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer', nullable: true })
  sessionId: number | null;
}

/**
 * One trainee's answers, with nothing that leads back to the trainee: a random id (an increasing one
 * would line up with the order in which people were seen answering), the cohort and the day only.
 */
@Entity('survey_response', { withoutRowid: true })
@Index('idx_survey_response_cohort', ['cohortId'])
export class SurveyResponse {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  cohortId: number;

  /** The Beijing date only: a time of day could be matched with who was seen answering when. */
  @Column({ type: 'date' })
  answeredOn: string;
}

/** One answer; keyed by (response, question) so no increasing id records the order of arrival. */
@Entity('survey_answer', { withoutRowid: true })
@Index('idx_survey_answer_question', ['questionId', 'rating'])
export class SurveyAnswer {
  @ForeignKey(() => SurveyResponse, { onDelete: 'CASCADE' })
  @PrimaryColumn({ type: 'varchar', length: 32 })
  responseId: string;

  @ForeignKey(() => SurveyQuestion, { onDelete: 'RESTRICT' })
  @PrimaryColumn({ type: 'integer' })
  questionId: number;

  @Column({ type: 'integer', nullable: true })
  rating: number | null;

  @Column({ type: 'text', nullable: true })
  text: string | null;
}

/**
 * "Has answered": what stops a second answer, and nothing else. No id, no time, no response id:
 * the database cannot tell in which order trainees answered, nor which response is whose.
 */
@Entity('survey_respondent', { withoutRowid: true })
export class SurveyRespondent {
  @ForeignKey(() => Cohort, { onDelete: 'RESTRICT' })
  @PrimaryColumn({ type: 'integer' })
  cohortId: number;

  @ForeignKey(() => Enrolment, { onDelete: 'RESTRICT' })
  @PrimaryColumn({ type: 'integer' })
  enrolmentId: number;
}
