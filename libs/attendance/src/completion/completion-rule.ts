/**
 * The completion rule (spec §5), in exact integer arithmetic: hours are DECIMAL(·,2) and the
 * threshold DECIMAL(5,4), so comparing hundredths of hours × ten-thousandths of the threshold never
 * suffers from floating point (exactly 80% is 80%).
 */
export interface CompletionDecision {
  completed: boolean;
  /** attended ÷ total, rounded down to 4 decimals (so a shown rate never reaches the threshold unless completed). */
  rate: number;
  creditHours: number;
}

const cents = (hours: number) => Math.round(hours * 100);

/** attended ÷ total rounded down to 4 decimals; 0 when there are no hours. */
export function attendanceRate(attendedHours: number, totalHours: number): number {
  const total = cents(totalHours);
  if (total <= 0) return 0;
  return Math.floor((cents(attendedHours) * 10_000) / total) / 10_000;
}

/** Whether a stored attendance rate (rounded down to 4 decimals) meets the threshold: the same answer as from the hours. */
export function rateMeetsThreshold(rate: number, threshold: number): boolean {
  return Math.round(rate * 10_000) >= Math.round(threshold * 10_000);
}

/** A scored item (考核项目) as the rule needs it. */
export interface AssessmentRule {
  id: number;
  passMark: number;
}

/**
 * 考核 passed: every item of the program has a score at or above its pass mark (compared in
 * hundredths, the precision scores are kept in). A program without items passes; a missing score
 * does not.
 */
export function assessmentPassed(items: readonly AssessmentRule[], scores: ReadonlyMap<number, number>): boolean {
  return items.every((i) => {
    const s = scores.get(i.id);
    return s !== undefined && cents(s) >= cents(i.passMark);
  });
}

/**
 * 结业 (spec §5, §15): attendance ≥ the threshold AND every scored item passed (`passedAssessment`,
 * true for a program without items). Credit hours only when completed.
 */
export function decideCompletion(
  attendedHours: number,
  totalHours: number,
  threshold: number,
  programCreditHours: number,
  passedAssessment = true,
): CompletionDecision {
  const total = cents(totalHours);
  const attended = cents(attendedHours);
  const completed = passedAssessment && total > 0 && attended * 10_000 >= Math.round(threshold * 10_000) * total;
  return {
    completed,
    rate: attendanceRate(attendedHours, totalHours),
    creditHours: completed ? programCreditHours : 0,
  };
}
