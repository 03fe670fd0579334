import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { AccessPolicy, Actor, Clock, isDuplicateKey, shanghaiDate, TransactionRunner } from '@shipei/core';
import { APPROVED_SEAT_HOLDING, Enrolment } from '@shipei/enrolment';
import { Cohort, COHORT_KIND, Program, TrainingSession } from '@shipei/programs';
import { randomBytes } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { PutSurveyDto, SubmitSurveyDto, SurveyDto, SurveyQuestionDto, SurveyQuestionInput } from './dto/survey.dto';
import { answersSurveys } from './evaluation.access';
import { evaluationErrors } from './evaluation.errors';
import { defaultSurvey } from './survey-template';
import { SurveyAnswer, SurveyQuestion, SurveyRespondent, SurveyResponse } from './survey.entities';

export interface SurveyEditor {
  survey: SurveyDto;
  sessions: { id: number; title: string; lecturerName: string | null }[];
  cohortName: string;
  programId: number;
  programTitle: string;
}

/** A cohort whose form a teacher may still answer (for the phone's list and the teacher's home). */
export interface OpenSurvey {
  cohortId: number;
  cohortName: string;
  programTitle: string;
  endDate: string;
}

/** The form of a cohort (owner), and the trainees' one anonymous answer each (spec §15). */
@Injectable()
export class SurveysService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The form with question ids: whoever reads the cohort (a teacher also learns whether they answered). */
  async get(actor: Actor, cohortId: number): Promise<SurveyDto> {
    return this.tx.read(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, cohortId);
      const dto = await this.form(em, cohort);
      if (answersSurveys(actor)) {
        const own = await this.ownEnrolment(em, actor, cohort.id);
        dto.answered = !!own && (await em.countBy(SurveyRespondent, { cohortId: cohort.id, enrolmentId: own.id })) > 0;
      }
      return dto;
    });
  }

  /** Sets the form (owner only); once anyone has answered it stays as it is (409), or the results would mix two forms. */
  async put(actor: Actor, cohortId: number, body: PutSurveyDto): Promise<SurveyDto> {
    return this.tx.run(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, cohortId, 'write');
      if ((await em.countBy(SurveyResponse, { cohortId: cohort.id })) > 0) throw evaluationErrors.hasResponses();
      const sessions = await em.find(TrainingSession, {
        where: { cohortId: cohort.id },
        order: { startsAt: 'ASC', id: 'ASC' },
        select: { id: true, title: true },
      });
      const questions: SurveyQuestionInput[] = body.template ? defaultSurvey(sessions) : (body.questions ?? []);
      if (!questions.length) throw evaluationErrors.empty();
      const own = new Set(sessions.map((s) => s.id));
      questions.forEach((q, i) => {
        if (q.sessionId != null && !own.has(q.sessionId)) throw evaluationErrors.sessionNotInCohort(i);
      });
      await em.delete(SurveyQuestion, { cohortId: cohort.id });
      await em.insert(
        SurveyQuestion,
        questions.map((q, i) => ({
          cohortId: cohort.id,
          position: i + 1,
          kind: q.kind,
          text: q.text,
          sessionId: q.sessionId ?? null,
        })),
      );
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'survey',
        entityId: cohort.id,
        fields: ['questions'],
      });
      return this.form(em, cohort);
    });
  }

  /**
   * A trainee's answers, once. The "has answered" row (cohort, enrolment) is written in the same
   * transaction as the response and is all that ties the trainee to having answered; the response
   * has a random id and a date. No audit line and no event: either would record who answered when.
   */
  async respond(actor: Actor, cohortId: number, body: SubmitSurveyDto): Promise<void> {
    await this.tx.run(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, cohortId);
      const enrolment = answersSurveys(actor) ? await this.ownEnrolment(em, actor, cohort.id) : null;
      if (!enrolment) throw evaluationErrors.notTrainee();
      const today = shanghaiDate(this.clock.now());
      if (today < cohort.endDate) throw evaluationErrors.notOpen(cohort.endDate);
      const questions = await em.find(SurveyQuestion, { where: { cohortId: cohort.id }, order: { position: 'ASC' } });
      if (!questions.length) throw evaluationErrors.notSet();
      if ((await em.countBy(SurveyRespondent, { cohortId: cohort.id, enrolmentId: enrolment.id })) > 0)
        throw evaluationErrors.answered();
      const answers = checkAnswers(questions, body);
      try {
        await em.insert(SurveyRespondent, { cohortId: cohort.id, enrolmentId: enrolment.id });
      } catch (e) {
        if (isDuplicateKey(e)) throw evaluationErrors.answered();
        throw e;
      }
      const responseId = randomBytes(16).toString('hex');
      await em.insert(SurveyResponse, { id: responseId, cohortId: cohort.id, answeredOn: today });
      if (answers.length)
        await em.insert(
          SurveyAnswer,
          answers.map((a) => ({ ...a, responseId })),
        );
    });
  }

  /** What the owner's form editor shows: the form, the cohort's sessions (with lecturers) to tie ratings to, the headings. */
  async editor(actor: Actor, cohortId: number): Promise<SurveyEditor> {
    return this.tx.read(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, cohortId, 'write');
      const program = await em.findOneByOrFail(Program, { id: cohort.programId });
      const sessions = await em
        .createQueryBuilder(TrainingSession, 's')
        .leftJoin('user_account', 'u', 'u.id = s.trainerId')
        .select(['s.id AS id', 's.title AS title', 'u.displayName AS lecturerName'])
        .where('s.cohortId = :id', { id: cohort.id })
        .orderBy('s.startsAt', 'ASC')
        .getRawMany<{ id: number; title: string; lecturerName: string | null }>();
      return {
        survey: await this.form(em, cohort),
        sessions: sessions.map((r) => ({ id: Number(r.id), title: r.title, lecturerName: r.lecturerName || null })),
        cohortName: cohort.name,
        programId: program.id,
        programTitle: program.title,
      };
    });
  }

  /** The cohorts whose form the teacher may answer now and has not answered yet. */
  async openFor(actor: Actor): Promise<OpenSurvey[]> {
    if (!answersSurveys(actor)) return [];
    const today = shanghaiDate(this.clock.now());
    return this.tx.read(async (em) => {
      const rows = await em
        .createQueryBuilder(Enrolment, 'e')
        .innerJoin(Cohort, 'c', 'c.id = e.cohortId')
        .innerJoin('program', 'p', 'p.id = c.programId')
        .select(['c.id AS cohortId', 'c.name AS cohortName', 'p.title AS programTitle', 'c.endDate AS endDate'])
        .where('e.teacherId = :teacher AND e.status IN (:...statuses)', {
          teacher: actor.teacherId,
          statuses: APPROVED_SEAT_HOLDING,
        })
        .andWhere('c.endDate <= :today', { today })
        .andWhere('EXISTS (SELECT 1 FROM survey_question sq WHERE sq.cohortId = c.id)')
        .andWhere('NOT EXISTS (SELECT 1 FROM survey_respondent sr WHERE sr.cohortId = c.id AND sr.enrolmentId = e.id)')
        .orderBy('c.endDate', 'DESC')
        .getRawMany<{ cohortId: number; cohortName: string; programTitle: string; endDate: string | Date }>();
      return rows.map((r) => ({
        cohortId: Number(r.cohortId),
        cohortName: r.cohortName,
        programTitle: r.programTitle,
        endDate: typeof r.endDate === 'string' ? r.endDate.slice(0, 10) : shanghaiDate(r.endDate),
      }));
    });
  }

  private ownEnrolment(em: EntityManager, actor: Actor, cohortId: number): Promise<Enrolment | null> {
    return em.findOne(Enrolment, {
      where: { cohortId, teacherId: actor.teacherId!, status: In(APPROVED_SEAT_HOLDING) },
      select: { id: true },
    });
  }

  private async form(em: EntityManager, cohort: Cohort): Promise<SurveyDto> {
    return {
      cohortId: cohort.id,
      questions: await surveyQuestions(em, cohort.id),
      responses: await em.countBy(SurveyResponse, { cohortId: cohort.id }),
      opensOn: cohort.endDate,
    };
  }
}

/** A cohort's questions in order, with the session's title and its lecturer's name. */
export async function surveyQuestions(em: EntityManager, cohortId: number): Promise<SurveyQuestionDto[]> {
  const rows = await em
    .createQueryBuilder(SurveyQuestion, 'q')
    .leftJoin(TrainingSession, 's', 's.id = q.sessionId')
    .leftJoin('user_account', 'u', 'u.id = s.trainerId')
    .select([
      'q.id AS id',
      'q.position AS position',
      'q.kind AS kind',
      'q.text AS text',
      'q.sessionId AS sessionId',
      's.title AS sessionTitle',
      'u.displayName AS lecturerName',
    ])
    .where('q.cohortId = :cohortId', { cohortId })
    .orderBy('q.position', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    id: Number(r.id),
    position: Number(r.position),
    kind: r.kind,
    text: r.text,
    sessionId: r.sessionId == null ? null : Number(r.sessionId),
    sessionTitle: r.sessionTitle ?? null,
    lecturerName: r.lecturerName || null,
  }));
}

/** Every RATING question needs 1–5; TEXT answers are optional; no unknown or repeated question. */
function checkAnswers(
  questions: SurveyQuestion[],
  body: SubmitSurveyDto,
): { questionId: number; rating: number | null; text: string | null }[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const given = new Map<number, { rating?: number; text?: string }>();
  body.answers.forEach((a, i) => {
    if (!byId.has(a.questionId))
      throw evaluationErrors.answerInvalid(`answers.${i}.questionId`, `第 ${i + 1} 个回答对应的题目不在本问卷中`);
    if (given.has(a.questionId))
      throw evaluationErrors.answerInvalid(`answers.${i}.questionId`, `第 ${i + 1} 个回答的题目重复`);
    given.set(a.questionId, a);
  });
  const out: { questionId: number; rating: number | null; text: string | null }[] = [];
  for (const q of questions) {
    const a = given.get(q.id);
    if (q.kind === 'RATING') {
      if (a?.rating == null)
        throw evaluationErrors.answerInvalid(`question.${q.id}`, `请为第 ${q.position} 题评分（1–5 分）`);
      if (a.text) throw evaluationErrors.answerInvalid(`question.${q.id}`, `第 ${q.position} 题是评分题，只填分数`);
      out.push({ questionId: q.id, rating: a.rating, text: null });
    } else {
      if (a?.rating != null)
        throw evaluationErrors.answerInvalid(`question.${q.id}`, `第 ${q.position} 题是开放题，不评分`);
      if (a?.text) out.push({ questionId: q.id, rating: null, text: a.text });
    }
  }
  return out;
}
