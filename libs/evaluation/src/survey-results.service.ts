import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  Clock,
  contentDisposition,
  safeCellText,
  shanghaiDate,
  TransactionRunner,
  XLSX_MIME,
} from '@shipei/core';
import { APPROVED_SEAT_HOLDING, Enrolment } from '@shipei/enrolment';
import { Cohort, PROGRAM_KIND, Program } from '@shipei/programs';
import * as ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { EntityManager, In } from 'typeorm';
import { LecturerResultDto, LecturerResultsDto, MIN_RESPONSES, SurveyResultsDto } from './dto/survey.dto';
import { lecturerResultsScope, seesOpenAnswers, SURVEY_RESULTS_KIND } from './evaluation.access';
import { buildResults, summarise } from './survey-results';
import { SurveyResponse } from './survey.entities';
import { surveyQuestions } from './surveys.service';

export interface SurveyExport {
  filename: string;
  type: string;
  disposition: string;
  stream: PassThrough;
}

/** Results of a cohort's form (owner, trainers), per lecturer across cohorts (office), and their xlsx. */
@Injectable()
export class SurveyResultsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** Results of one cohort; the open answers only when the caller owns the program. */
  async results(actor: Actor, cohortId: number): Promise<SurveyResultsDto> {
    return this.tx.read(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, SURVEY_RESULTS_KIND, cohortId);
      return this.compute(em, actor, cohort);
    });
  }

  /** The cohort's name and program title, for the results page and the export's heading. */
  async heading(actor: Actor, cohortId: number): Promise<{ cohortName: string; programTitle: string }> {
    return this.tx.read(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, SURVEY_RESULTS_KIND, cohortId);
      const program = await em.findOneByOrFail(Program, { id: cohort.programId });
      return { cohortName: cohort.name, programTitle: program.title };
    });
  }

  /**
   * The xlsx of a cohort's results, streamed (exceljs' WorkbookWriter into the reply): a sheet of the
   * figures per question, and for the owner a sheet of the open answers. Checked before the first byte.
   */
  async export(actor: Actor, cohortId: number): Promise<SurveyExport> {
    const { cohort, program, results } = await this.tx.read(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, SURVEY_RESULTS_KIND, cohortId);
      const program = await em.findOneByOrFail(Program, { id: cohort.programId });
      return { cohort, program, results: await this.compute(em, actor, cohort) };
    });
    const stream = new PassThrough();
    const name = `${program.title}-${cohort.name}-训后评价结果.xlsx`;
    void writeWorkbook(stream, `${program.title} ${cohort.name} 训后评价结果`, results, this.clock.now()).catch((e) =>
      stream.destroy(e as Error),
    );
    return {
      filename: name,
      type: XLSX_MIME,
      disposition: contentDisposition(name, 'attachment', 'survey-results.xlsx'),
      stream,
    };
  }

  /**
   * Each lecturer's ratings in a year, across the cohorts of the programs the office owns: the
   * RATING questions tied to a session, counted only in cohorts with at least {@link MIN_RESPONSES} responses.
   */
  async lecturers(actor: Actor, year: number): Promise<LecturerResultsDto> {
    return this.tx.read(async (em) => {
      const scope = lecturerResultsScope(actor, 'p');
      const qb = em
        .createQueryBuilder()
        .from('survey_answer', 'a')
        .innerJoin('survey_question', 'q', 'q.id = a.questionId')
        .innerJoin('training_session', 's', 's.id = q.sessionId')
        .innerJoin('cohort', 'c', 'c.id = q.cohortId')
        .innerJoin('program', 'p', 'p.id = c.programId')
        .innerJoin('user_account', 'u', 'u.id = s.trainerId')
        .select('s.trainerId', 'trainerId')
        .addSelect('u.displayName', 'name')
        .addSelect('a.rating', 'rating')
        .addSelect('COUNT(*)', 'n')
        .where('p.year = :year AND a.rating IS NOT NULL', { year })
        .andWhere(
          `q.cohortId IN (SELECT r.cohortId FROM survey_response r GROUP BY r.cohortId HAVING COUNT(*) >= ${MIN_RESPONSES})`,
        )
        .groupBy('s.trainerId')
        .addGroupBy('u.displayName')
        .addGroupBy('a.rating');
      if (scope) qb.andWhere(`(${scope.where})`, scope.params ?? {});
      const rows = await qb.getRawMany<{ trainerId: number; name: string; rating: number; n: number }>();
      const cohortsOf = await this.cohortsPerLecturer(em, actor, year);
      const byTrainer = new Map<number, LecturerResultDto>();
      for (const r of rows) {
        const id = Number(r.trainerId);
        const item = byTrainer.get(id) ?? {
          trainerId: id,
          name: r.name,
          cohorts: cohortsOf.get(id) ?? 0,
          count: 0,
          mean: 0,
          counts: [0, 0, 0, 0, 0],
        };
        item.counts[Number(r.rating) - 1] += Number(r.n);
        byTrainer.set(id, item);
      }
      const items = [...byTrainer.values()].map((i) => {
        const { count, mean } = summarise(i.counts);
        return { ...i, count, mean: mean ?? 0 };
      });
      items.sort((a, b) => b.mean - a.mean || a.trainerId - b.trainerId);
      return { year, minResponses: MIN_RESPONSES, items };
    });
  }

  private async cohortsPerLecturer(em: EntityManager, actor: Actor, year: number): Promise<Map<number, number>> {
    const scope = lecturerResultsScope(actor, 'p');
    const qb = em
      .createQueryBuilder()
      .from('survey_question', 'q')
      .innerJoin('training_session', 's', 's.id = q.sessionId')
      .innerJoin('cohort', 'c', 'c.id = q.cohortId')
      .innerJoin('program', 'p', 'p.id = c.programId')
      .select('s.trainerId', 'trainerId')
      .addSelect('COUNT(DISTINCT q.cohortId)', 'cohorts')
      .where('p.year = :year AND s.trainerId IS NOT NULL', { year })
      .andWhere(
        `q.cohortId IN (SELECT r.cohortId FROM survey_response r GROUP BY r.cohortId HAVING COUNT(*) >= ${MIN_RESPONSES})`,
      )
      .groupBy('s.trainerId');
    if (scope) qb.andWhere(`(${scope.where})`, scope.params ?? {});
    const rows = await qb.getRawMany<{ trainerId: number; cohorts: number }>();
    return new Map(rows.map((r) => [Number(r.trainerId), Number(r.cohorts)]));
  }

  /** Three aggregate statements (ratings, open answers, counts): the work does not grow with the page. */
  private async compute(em: EntityManager, actor: Actor, cohort: Cohort): Promise<SurveyResultsDto> {
    const questions = await surveyQuestions(em, cohort.id);
    const owner = seesOpenAnswers(
      (await this.access.allowed(em, actor, PROGRAM_KIND, [cohort.programId], 'write')).size > 0,
    );
    const ratings = await em
      .createQueryBuilder()
      .from('survey_answer', 'a')
      .innerJoin('survey_question', 'q', 'q.id = a.questionId')
      .select('a.questionId', 'questionId')
      .addSelect('a.rating', 'rating')
      .addSelect('COUNT(*)', 'n')
      .where('q.cohortId = :cohortId AND a.rating IS NOT NULL', { cohortId: cohort.id })
      .groupBy('a.questionId')
      .addGroupBy('a.rating')
      .getRawMany<{ questionId: number; rating: number; n: number }>();
    const textRows = await em
      .createQueryBuilder()
      .from('survey_answer', 'a')
      .innerJoin('survey_question', 'q', 'q.id = a.questionId')
      .select('a.questionId', 'questionId')
      .addSelect('a.text', 'text')
      .where('q.cohortId = :cohortId AND a.text IS NOT NULL', { cohortId: cohort.id })
      .getRawMany<{ questionId: number; text: string }>();
    const textCounts = new Map<number, number>();
    const texts = new Map<number, string[]>();
    for (const r of textRows) {
      const id = Number(r.questionId);
      textCounts.set(id, (textCounts.get(id) ?? 0) + 1);
      texts.set(id, [...(texts.get(id) ?? []), r.text]);
    }
    // Sorted, so the list's order says nothing about who answered first.
    for (const list of texts.values()) list.sort((a, b) => a.localeCompare(b, 'zh-CN'));
    return buildResults({
      cohortId: cohort.id,
      questions,
      ratings: ratings.map((r) => ({ questionId: Number(r.questionId), rating: Number(r.rating), n: Number(r.n) })),
      texts: owner ? texts : null,
      textCounts,
      responses: await em.countBy(SurveyResponse, { cohortId: cohort.id }),
      trainees: await em.countBy(Enrolment, { cohortId: cohort.id, status: In(APPROVED_SEAT_HOLDING) }),
    });
  }
}

async function writeWorkbook(out: PassThrough, title: string, r: SurveyResultsDto, now: Date): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '师培';
  wb.created = now;
  const ws = wb.addWorksheet('评价结果', { views: [{ state: 'frozen', ySplit: 3 }] });
  const headers = ['序号', '题目', '类型', '授课教师', '作答数', '平均分', '1分', '2分', '3分', '4分', '5分'];
  [6, 40, 8, 12, 8, 8, 6, 6, 6, 6, 6].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.getCell(1, 1).value = safeCellText(title);
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getRow(1).commit();
  ws.getCell(2, 1).value =
    `评价 ${r.responses} 份，本班学员 ${r.trainees} 人，回收率 ${(r.responseRate * 100).toFixed(0)}%；导出日期 ${shanghaiDate(now)}` +
    (r.note ? `。${r.note}` : '');
  ws.getRow(2).commit();
  const head = ws.getRow(3);
  head.values = headers;
  head.font = { bold: true };
  head.commit();
  r.questions.forEach((q, i) => {
    ws.addRow([
      i + 1,
      safeCellText(q.text),
      q.kind === 'RATING' ? '评分' : '开放题',
      safeCellText(q.lecturerName ?? ''),
      q.count,
      q.mean ?? '',
      ...(q.counts ?? ['', '', '', '', '']),
    ]).commit();
  });
  ws.commit();
  const open = r.questions.filter((q) => q.texts?.length);
  if (open.length) {
    const ts = wb.addWorksheet('开放题回答');
    ts.getColumn(1).width = 40;
    ts.getColumn(2).width = 80;
    const h = ts.getRow(1);
    h.values = ['题目', '回答'];
    h.font = { bold: true };
    h.commit();
    for (const q of open) for (const t of q.texts!) ts.addRow([safeCellText(q.text), safeCellText(t)]).commit();
    ts.commit();
  }
  await wb.commit();
}
