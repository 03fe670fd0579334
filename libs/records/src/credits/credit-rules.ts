import { round1 } from '../shared/files';

/**
 * Shandong's continuing-education requirement for teachers (spec §3, §8): at least 48 credit hours
 * a calendar year and 360 in a five-year cycle; 1 学时 = 1 学分. The cycles start at a configured
 * year (CREDIT_CYCLE_START_YEAR, default 2016: 2016–2020, 2021–2025 …).
 */
export const YEARLY_REQUIREMENT = 48;
export const CYCLE_REQUIREMENT = 360;
export const CYCLE_YEARS = 5;
export const REQUIREMENT_NOTE =
  '山东省中小学教师继续教育：每年不少于 48 学时，每五年周期不少于 360 学时；1 学时 = 1 学分';

export interface Period {
  /** First day, 'YYYY-MM-DD'. */
  from: string;
  /** Last day, 'YYYY-MM-DD'. */
  to: string;
  required: number;
  label: string;
}

/** The first year of the cycle that contains `year`. */
export function cycleStartOf(year: number, cycleStartYear: number): number {
  return cycleStartYear + CYCLE_YEARS * Math.floor((year - cycleStartYear) / CYCLE_YEARS);
}

export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31`, required: YEARLY_REQUIREMENT, label: `${year}年` };
}

export function cyclePeriod(startYear: number): Period {
  const end = startYear + CYCLE_YEARS - 1;
  return {
    from: `${startYear}-01-01`,
    to: `${end}-12-31`,
    required: CYCLE_REQUIREMENT,
    label: `${startYear}–${end}年周期`,
  };
}

/** One credit of a teacher: its calendar year, hours, and whether it was earned outside the system. */
export interface CreditItem {
  year: number;
  hours: number;
  external: boolean;
}

export interface YearSummary {
  year: number;
  internalHours: number;
  externalHours: number;
  totalHours: number;
  required: number;
  shortfall: number;
  met: boolean;
  /** The current year: not over yet. */
  inProgress: boolean;
}

export interface CycleSummary {
  startYear: number;
  endYear: number;
  label: string;
  totalHours: number;
  required: number;
  shortfall: number;
  met: boolean;
  inProgress: boolean;
  /** Years of the cycle (up to now) that met the yearly requirement. */
  yearsMet: number;
}

/**
 * Totals per calendar year and per five-year cycle. Every cycle from the first one with a credit
 * (or the current one when there is none) to the current cycle is listed, so a cycle without any
 * training shows as short rather than missing; years run from the first listed cycle's start to the
 * current year (or a later credit's year).
 */
export function summariseCredits(
  items: CreditItem[],
  currentYear: number,
  cycleStartYear: number,
): { years: YearSummary[]; cycles: CycleSummary[] } {
  const firstYear = items.reduce((min, i) => Math.min(min, i.year), currentYear);
  const lastYear = items.reduce((max, i) => Math.max(max, i.year), currentYear);
  const firstCycle = cycleStartOf(firstYear, cycleStartYear);
  const lastCycle = cycleStartOf(lastYear, cycleStartYear);

  const internal = new Map<number, number>();
  const external = new Map<number, number>();
  for (const i of items) {
    const m = i.external ? external : internal;
    m.set(i.year, (m.get(i.year) ?? 0) + i.hours);
  }

  const years: YearSummary[] = [];
  for (let year = firstCycle; year <= lastYear; year++) {
    const internalHours = round1(internal.get(year) ?? 0);
    const externalHours = round1(external.get(year) ?? 0);
    const totalHours = round1(internalHours + externalHours);
    years.push({
      year,
      internalHours,
      externalHours,
      totalHours,
      required: YEARLY_REQUIREMENT,
      shortfall: round1(Math.max(0, YEARLY_REQUIREMENT - totalHours)),
      met: totalHours >= YEARLY_REQUIREMENT,
      inProgress: year === currentYear,
    });
  }

  const cycles: CycleSummary[] = [];
  for (let start = firstCycle; start <= lastCycle; start += CYCLE_YEARS) {
    const end = start + CYCLE_YEARS - 1;
    const own = years.filter((y) => y.year >= start && y.year <= end);
    const totalHours = round1(own.reduce((s, y) => s + y.totalHours, 0));
    cycles.push({
      startYear: start,
      endYear: end,
      label: `${start}–${end}`,
      totalHours,
      required: CYCLE_REQUIREMENT,
      shortfall: round1(Math.max(0, CYCLE_REQUIREMENT - totalHours)),
      met: totalHours >= CYCLE_REQUIREMENT,
      inProgress: currentYear >= start && currentYear <= end,
      yearsMet: own.filter((y) => y.met).length,
    });
  }
  return { years, cycles };
}
