import { buildResults, ResultInput, summarise } from './survey-results';

const questions: ResultInput['questions'] = [
  { id: 1, kind: 'RATING', text: '总体满意度', sessionId: null, lecturerName: null },
  { id: 2, kind: 'TEXT', text: '建议', sessionId: null, lecturerName: null },
];

function input(responses: number, texts: Map<number, string[]> | null): ResultInput {
  return {
    cohortId: 7,
    questions,
    ratings: [
      { questionId: 1, rating: 5, n: 3 },
      { questionId: 1, rating: 4, n: responses - 3 },
    ],
    texts,
    textCounts: new Map([[2, 2]]),
    responses,
    trainees: 10,
  };
}

describe('survey results', () => {
  it('gives mean, distribution and rate from 5 responses', () => {
    const r = buildResults(input(5, new Map([[2, ['好', '很好']]])));
    expect(r).toMatchObject({ shown: true, note: null, responses: 5, trainees: 10, responseRate: 0.5 });
    expect(r.questions[0]).toMatchObject({ count: 5, mean: 4.6, counts: [0, 0, 0, 2, 3] });
    expect(r.questions[1]).toMatchObject({ count: 2, mean: null, counts: null, texts: ['好', '很好'] });
  });

  it('hides every figure below 5 responses and says why', () => {
    const r = buildResults(input(4, new Map([[2, ['好']]])));
    expect(r.shown).toBe(false);
    expect(r.note).toContain('不足 5 份');
    expect(r.questions[0]).toMatchObject({ count: 0, mean: null, counts: null });
    expect(r.questions[1].texts).toBeUndefined();
  });

  it('leaves the open answers out for a caller who may not read them', () => {
    const r = buildResults(input(6, null));
    expect(r.questions[1].texts).toBeUndefined();
    expect(r.questions[1].count).toBe(2);
  });

  it('summarises a distribution', () => {
    expect(summarise([1, 0, 0, 0, 1])).toEqual({ count: 2, mean: 3 });
    expect(summarise([0, 0, 0, 0, 0])).toEqual({ count: 0, mean: null });
  });
});
