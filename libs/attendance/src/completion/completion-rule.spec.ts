import { assessmentPassed, attendanceRate, decideCompletion, rateMeetsThreshold } from './completion-rule';

describe('completion rule', () => {
  it('completes at exactly the threshold and not just under it', () => {
    expect(decideCompletion(32, 40, 0.8, 48)).toEqual({ completed: true, rate: 0.8, creditHours: 48 });
    expect(decideCompletion(31.99, 40, 0.8, 48)).toEqual({ completed: false, rate: 0.7997, creditHours: 0 });
    expect(decideCompletion(40, 40, 0.8, 48).completed).toBe(true);
  });

  it('is exact where floating point is not (0.1 + 0.2 hours, thirds)', () => {
    // 2.4 of 3 hours is 80%: 2.4 / 3 = 0.7999999999999999 in floating point
    expect(2.4 / 3 >= 0.8).toBe(false);
    expect(decideCompletion(2.4, 3, 0.8, 10).completed).toBe(true);
    expect(0.7 + 0.1 >= 0.8).toBe(false);
    expect(decideCompletion(0.7 + 0.1, 1, 0.8, 10).completed).toBe(true);
    expect(decideCompletion(2, 3, 0.6667, 10).completed).toBe(false);
    expect(decideCompletion(2, 3, 0.6666, 10).completed).toBe(true);
  });

  it('rounds the rate down so a NOT_COMPLETED rate never shows the threshold', () => {
    expect(attendanceRate(7.99, 9.99)).toBe(0.7997);
    expect(attendanceRate(79.99, 100)).toBe(0.7999);
    expect(attendanceRate(1, 0)).toBe(0);
  });

  it('never completes a cohort without hours, and a threshold of 0 completes everyone with hours', () => {
    expect(decideCompletion(0, 0, 0.8, 48).completed).toBe(false);
    expect(decideCompletion(0, 10, 0, 48).completed).toBe(true);
  });

  it('needs every scored item passed besides attendance (考核)', () => {
    const items = [
      { id: 1, passMark: 60 },
      { id: 2, passMark: 0.3 },
    ];
    expect(assessmentPassed([], new Map())).toBe(true);
    expect(assessmentPassed(items, new Map([[1, 60]]))).toBe(false); // item 2 has no score
    expect(
      assessmentPassed(
        items,
        new Map([
          [1, 60],
          [2, 0.1 + 0.2],
        ]),
      ),
    ).toBe(true); // 0.30000000000000004
    expect(
      assessmentPassed(
        items,
        new Map([
          [1, 59.99],
          [2, 1],
        ]),
      ),
    ).toBe(false);
    expect(decideCompletion(40, 40, 0.8, 48, false)).toEqual({ completed: false, rate: 1, creditHours: 0 });
    expect(decideCompletion(32, 40, 0.8, 48, true).completed).toBe(true);
    expect(decideCompletion(31.99, 40, 0.8, 48, true).completed).toBe(false);
  });

  it('gives from a stored (rounded-down) rate the same answer as from the hours', () => {
    for (const [att, total, thr] of [
      [2.4, 3, 0.8],
      [2, 3, 0.6667],
      [2, 3, 0.6666],
      [31.99, 40, 0.8],
      [7.99, 9.99, 0.7997],
      [7.99, 9.99, 0.7998],
    ])
      expect(rateMeetsThreshold(attendanceRate(att, total), thr)).toBe(decideCompletion(att, total, thr, 1).completed);
  });
});
