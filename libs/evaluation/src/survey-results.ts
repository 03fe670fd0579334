import { MIN_RESPONSES, QuestionResultDto, SurveyResultsDto } from './dto/survey.dto';
import type { QuestionKind } from './survey.entities';

export interface ResultQuestion {
  id: number;
  kind: QuestionKind;
  text: string;
  sessionId: number | null;
  lecturerName: string | null;
}

export interface ResultInput {
  cohortId: number;
  questions: ResultQuestion[];
  /** Ratings per question: [questionId, rating 1–5, how many]. */
  ratings: { questionId: number; rating: number; n: number }[];
  /** Open answers per question; null when the caller may not read them (only the owner may). */
  texts: Map<number, string[]> | null;
  /** Open answers given per question (counted for everyone; the words only for the owner). */
  textCounts: Map<number, number>;
  responses: number;
  trainees: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A 1–5 distribution's count and mean (null when empty). */
export function summarise(counts: number[]): { count: number; mean: number | null } {
  const count = counts.reduce((a, b) => a + b, 0);
  const total = counts.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return { count, mean: count ? round2(total / count) : null };
}

/**
 * The results of one cohort's form (spec §15). Below {@link MIN_RESPONSES} responses only the
 * numbers of responses and trainees are given: a mean of three answers could tell who said what.
 */
export function buildResults(input: ResultInput): SurveyResultsDto {
  const shown = input.responses >= MIN_RESPONSES;
  const dist = new Map<number, number[]>();
  for (const r of input.ratings) {
    if (r.rating < 1 || r.rating > 5) continue;
    const d = dist.get(r.questionId) ?? [0, 0, 0, 0, 0];
    d[r.rating - 1] += Number(r.n);
    dist.set(r.questionId, d);
  }
  const questions: QuestionResultDto[] = input.questions.map((q) => {
    const base = { id: q.id, kind: q.kind, text: q.text, sessionId: q.sessionId, lecturerName: q.lecturerName };
    if (q.kind === 'TEXT') {
      const out: QuestionResultDto = {
        ...base,
        count: shown ? (input.textCounts.get(q.id) ?? 0) : 0,
        mean: null,
        counts: null,
      };
      if (shown && input.texts) out.texts = input.texts.get(q.id) ?? [];
      return out;
    }
    const counts = dist.get(q.id) ?? [0, 0, 0, 0, 0];
    const { count, mean } = summarise(counts);
    return shown ? { ...base, count, mean, counts } : { ...base, count: 0, mean: null, counts: null };
  });
  return {
    cohortId: input.cohortId,
    responses: input.responses,
    trainees: input.trainees,
    responseRate: input.trainees ? round2(input.responses / input.trainees) : 0,
    minResponses: MIN_RESPONSES,
    shown,
    note: shown ? null : `评价不足 ${MIN_RESPONSES} 份，暂不显示结果（保护学员匿名）`,
    questions,
  };
}
