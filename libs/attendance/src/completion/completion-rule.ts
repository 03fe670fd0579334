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

export function decideCompletion(
  attendedHours: number,
  totalHours: number,
  threshold: number,
  programCreditHours: number,
): CompletionDecision {
  const total = cents(totalHours);
  const attended = cents(attendedHours);
  const completed = total > 0 && attended * 10_000 >= Math.round(threshold * 10_000) * total;
  return {
    completed,
    rate: attendanceRate(attendedHours, totalHours),
    creditHours: completed ? programCreditHours : 0,
  };
}
