/**
 * Stipend proration (津贴按天折算).
 *
 * Rounding, stated once and relied on everywhere (API doc, ledger, exports):
 * - days are calendar days, both ends inclusive; the days served are clipped to the service term;
 * - total due = stipend per year × days served ÷ days in the term, rounded half up to the fen;
 *   serving the whole term therefore gives exactly the yearly stipend;
 * - the total is split over calendar months by days served in each month with the
 *   largest-remainder method: each month gets floor(total × its days ÷ days served) fen, and the
 *   fen left over go one each to the months with the largest remainders (earlier month first on a
 *   tie), so the months always add up to the total exactly.
 * All arithmetic is on integers (fen × days stays far below 2^53).
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const cache = new Map<string, number>();

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (calendar arithmetic, no time zone involved). */
export function dayNumber(date: string): number {
  const hit = cache.get(date);
  if (hit !== undefined) return hit;
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`Not a date: ${date}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]))
    throw new Error(`Not a calendar date: ${date}`);
  const n = Date.UTC(y, mo - 1, d) / DAY_MS;
  // Ledgers ask for the same few dates (term ends, arrivals) over and over.
  if (cache.size > 50_000) cache.clear();
  cache.set(date, n);
  return n;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`, both included (0 when `to` is before `from`). */
export function inclusiveDays(from: string, to: string): number {
  return Math.max(0, dayNumber(to) - dayNumber(from) + 1);
}

export interface MonthDue {
  /** 'YYYY-MM' */
  month: string;
  days: number;
  amountFen: number;
}

export interface Proration {
  daysInTerm: number;
  daysServed: number;
  totalFen: number;
  months: MonthDue[];
}

/** stipend × served ÷ term, rounded half up to an integer (all inputs non-negative integers). */
export function roundedShare(stipendFen: number, served: number, term: number): number {
  return Math.floor((2 * stipendFen * served + term) / (2 * term));
}

/** Largest-remainder split of `total` by `weights` (non-negative integers, not all zero). */
export function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) return weights.map(() => 0);
  const parts = weights.map((w, i) => ({ i, floor: Math.floor((total * w) / sum), rem: (total * w) % sum }));
  let left = total - parts.reduce((s, p) => s + p.floor, 0);
  const order = [...parts].sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const p of order) {
    if (left <= 0) break;
    if (weights[p.i] === 0) continue;
    p.floor += 1;
    left -= 1;
  }
  return parts.map((p) => p.floor);
}

/**
 * What is due for service from `servedFrom` to `servedTo` (inclusive) in a term
 * `termStart`..`termEnd`, for a yearly stipend of `stipendPerYearFen`.
 */
export function prorate(
  stipendPerYearFen: number,
  termStart: string,
  termEnd: string,
  servedFrom: string,
  servedTo: string,
): Proration {
  if (!Number.isSafeInteger(stipendPerYearFen) || stipendPerYearFen < 0)
    throw new Error('The stipend must be a non-negative integer of fen');
  const t0 = dayNumber(termStart);
  const t1 = dayNumber(termEnd);
  if (t1 < t0) throw new Error('The term ends before it starts');
  const daysInTerm = t1 - t0 + 1;
  const s0 = Math.max(t0, dayNumber(servedFrom));
  const s1 = Math.min(t1, dayNumber(servedTo));
  if (s1 < s0) return { daysInTerm, daysServed: 0, totalFen: 0, months: [] };
  const daysServed = s1 - s0 + 1;
  const totalFen = roundedShare(stipendPerYearFen, daysServed, daysInTerm);

  const months: { month: string; days: number }[] = [];
  const first = new Date(s0 * DAY_MS);
  let y = first.getUTCFullYear();
  let mo = first.getUTCMonth(); // 0-based
  let d = s0;
  while (d <= s1) {
    const nextMonth = Date.UTC(y, mo + 1, 1) / DAY_MS;
    const last = Math.min(s1, nextMonth - 1);
    months.push({ month: `${y}-${String(mo + 1).padStart(2, '0')}`, days: last - d + 1 });
    d = last + 1;
    mo += 1;
    if (mo === 12) {
      mo = 0;
      y += 1;
    }
  }
  const amounts = largestRemainder(
    totalFen,
    months.map((m) => m.days),
  );
  return { daysInTerm, daysServed, totalFen, months: months.map((m, i) => ({ ...m, amountFen: amounts[i] })) };
}

/** The calendar months a term touches, 'YYYY-MM', in order (the columns of the ledger). */
export function termMonths(termStart: string, termEnd: string): string[] {
  const out: string[] = [];
  let [y, m] = termStart.slice(0, 7).split('-').map(Number);
  const [ey, em] = termEnd.slice(0, 7).split('-').map(Number);
  while (y < ey || (y === ey && m <= em)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** 12345 fen → '123.45' */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
