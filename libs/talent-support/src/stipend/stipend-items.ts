import { prorate, termMonths } from './proration';
import type { TravelMode } from '../schemes/scheme.entity';

/**
 * The items the yearly funding standard pays for (经费构成), per person and term:
 * - 工作补助: monthly, prorated by days in service (see proration.ts);
 * - 交通差旅费: a lump sum in the month of arrival, or a fixed amount per recorded trip in the
 *   trip's month (at most the budgeted trips);
 * - 意外保险: the premium, paid to the insurer (not to the teacher) in the month of arrival.
 * The three add up to the standard for a full term with every budgeted trip, so a scheme's totals
 * can be read against its standard: what was not spent (early return, fewer trips) is the balance.
 */
export interface StipendSplit {
  stipendPerYearFen: number;
  travelMode: TravelMode;
  /** Lump sum, or amount per trip. */
  travelFen: number;
  /** Budgeted trips a year (PER_TRIP only). */
  travelTrips: number;
  insuranceFen: number;
}

/** 交通差旅费 budgeted per person-year. */
export function travelBudgetFen(s: StipendSplit): number {
  return s.travelMode === 'PER_TRIP' ? s.travelFen * s.travelTrips : s.travelFen;
}

/** 工作补助 per person-year: what the standard leaves after travel and insurance (negative = the split is wrong). */
export function workSubsidyFen(s: StipendSplit): number {
  return s.stipendPerYearFen - travelBudgetFen(s) - s.insuranceFen;
}

export interface ItemMonth {
  /** 'YYYY-MM' */
  month: string;
  /** Days in service in the month. */
  days: number;
  workFen: number;
  travelFen: number;
  /** Paid to the insurer. */
  insuranceFen: number;
  /** 应发 to the teacher: 工作补助 + 交通差旅费. */
  dueFen: number;
}

export interface StipendItems {
  daysInTerm: number;
  daysServed: number;
  months: ItemMonth[];
  workFen: number;
  travelFen: number;
  insuranceFen: number;
  /** 应发 to the teacher. */
  dueFen: number;
  /** All items, the insurer's premium included. */
  totalFen: number;
}

/**
 * The items due for service from `from` to `to` (inclusive, already clipped to the term), with
 * `trips` the dates of recorded trips. Months are those with days in service, or with a trip.
 */
export function stipendItems(
  s: StipendSplit & { termStart: string; termEnd: string },
  from: string,
  to: string,
  trips: string[] = [],
): StipendItems {
  const work = prorate(Math.max(0, workSubsidyFen(s)), s.termStart, s.termEnd, from, to);
  const byMonth = new Map<string, ItemMonth>();
  const month = (m: string) => {
    let row = byMonth.get(m);
    if (!row) byMonth.set(m, (row = { month: m, days: 0, workFen: 0, travelFen: 0, insuranceFen: 0, dueFen: 0 }));
    return row;
  };
  for (const m of work.months) Object.assign(month(m.month), { days: m.days, workFen: m.amountFen });
  if (work.daysServed > 0) {
    const first = month(from.slice(0, 7));
    first.insuranceFen += s.insuranceFen;
    if (s.travelMode === 'LUMP_SUM') first.travelFen += s.travelFen;
  }
  if (s.travelMode === 'PER_TRIP')
    for (const d of trips.slice(0, s.travelTrips))
      if (d >= from && d <= to) month(d.slice(0, 7)).travelFen += s.travelFen;
  const order = termMonths(s.termStart, s.termEnd);
  const months = [...byMonth.values()].sort((a, b) => order.indexOf(a.month) - order.indexOf(b.month));
  for (const m of months) m.dueFen = m.workFen + m.travelFen;
  const sum = (k: 'workFen' | 'travelFen' | 'insuranceFen') => months.reduce((n, m) => n + m[k], 0);
  const workFen = sum('workFen');
  const travelFen = sum('travelFen');
  const insuranceFen = sum('insuranceFen');
  return {
    daysInTerm: work.daysInTerm,
    daysServed: work.daysServed,
    months,
    workFen,
    travelFen,
    insuranceFen,
    dueFen: workFen + travelFen,
    totalFen: workFen + travelFen + insuranceFen,
  };
}
