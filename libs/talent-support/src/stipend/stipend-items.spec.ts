import fc from 'fast-check';
import { StipendSplit, stipendItems, travelBudgetFen, workSubsidyFen } from './stipend-items';

const TERM = { termStart: '2019-09-01', termEnd: '2020-07-15' }; // 319 days, February 2020 has 29
const LUMP: StipendSplit = {
  stipendPerYearFen: 2_000_000,
  travelMode: 'LUMP_SUM',
  travelFen: 150_000,
  travelTrips: 0,
  insuranceFen: 50_000,
};
const PER_TRIP: StipendSplit = { ...LUMP, travelMode: 'PER_TRIP', travelFen: 40_000, travelTrips: 4 };

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('stipend items', () => {
  it('splits the standard: work subsidy is what travel and insurance leave', () => {
    expect(travelBudgetFen(LUMP)).toBe(150_000);
    expect(workSubsidyFen(LUMP)).toBe(1_800_000);
    expect(travelBudgetFen(PER_TRIP)).toBe(160_000);
    expect(workSubsidyFen(PER_TRIP)).toBe(1_790_000);
    expect(workSubsidyFen({ ...LUMP, travelFen: 2_000_000 })).toBeLessThan(0);
  });

  it('adds up to the standard exactly for a full term (lump sum), travel and insurance in the first month', () => {
    const r = stipendItems({ ...LUMP, ...TERM }, TERM.termStart, TERM.termEnd);
    expect(r).toMatchObject({ daysServed: 319, workFen: 1_800_000, travelFen: 150_000, insuranceFen: 50_000 });
    expect(r.totalFen).toBe(2_000_000);
    expect(r.dueFen).toBe(1_950_000);
    expect(r.months[0]).toMatchObject({ month: '2019-09', days: 30, travelFen: 150_000, insuranceFen: 50_000 });
    expect(r.months.slice(1).every((m) => m.travelFen === 0 && m.insuranceFen === 0)).toBe(true);
    expect(sum(r.months.map((m) => m.dueFen))).toBe(r.dueFen);
  });

  it('adds up to the standard for a full term with every budgeted trip, in the trips’ months', () => {
    const trips = ['2019-10-01', '2020-01-20', '2020-02-29', '2020-05-01', '2020-06-01'];
    const r = stipendItems({ ...PER_TRIP, ...TERM }, TERM.termStart, TERM.termEnd, trips);
    expect(r.travelFen).toBe(160_000); // the fifth trip is beyond the budget of 4
    expect(r.totalFen).toBe(2_000_000);
    expect(r.months.find((m) => m.month === '2020-02')).toMatchObject({ days: 29, travelFen: 40_000 });
    expect(r.months.find((m) => m.month === '2020-06')!.travelFen).toBe(0);
  });

  it('counts a leap February by its 29 days', () => {
    const r = stipendItems({ ...LUMP, ...TERM }, '2020-02-01', '2020-02-29');
    expect(r.daysServed).toBe(29);
    // 1,800,000 × 29 ÷ 319 = 163,636.36… → 163,636
    expect(r.workFen).toBe(163_636);
    expect(r.months).toEqual([
      { month: '2020-02', days: 29, workFen: 163_636, travelFen: 150_000, insuranceFen: 50_000, dueFen: 313_636 },
    ]);
  });

  it('prorates a term across two calendar years month by month, with the months in term order', () => {
    const r = stipendItems({ ...LUMP, ...TERM }, '2019-12-20', '2020-01-10');
    expect(r.months.map((m) => [m.month, m.days])).toEqual([
      ['2019-12', 12],
      ['2020-01', 10],
    ]);
    expect(r.workFen).toBe(Math.floor((2 * 1_800_000 * 22 + 319) / (2 * 319)));
    expect(r.months[0].travelFen).toBe(150_000);
  });

  it('on early termination pays work to the last day, keeps the lump sum and premium, and drops later trips', () => {
    const r = stipendItems({ ...PER_TRIP, ...TERM }, '2019-09-01', '2020-01-10', ['2019-10-01', '2020-03-01']);
    expect(r.daysServed).toBe(132);
    expect(r.workFen).toBe(Math.floor((2 * 1_790_000 * 132 + 319) / (2 * 319)));
    expect(r.travelFen).toBe(40_000);
    expect(r.insuranceFen).toBe(50_000);
    expect(r.totalFen).toBeLessThan(2_000_000);
  });

  it('never splits the months off their totals, whatever the dates and split', () => {
    expect.hasAssertions();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 318 }),
        fc.integer({ min: 0, max: 318 }),
        fc.integer({ min: 0, max: 500_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (a, b, travel, insurance) => {
          const day = (n: number) => new Date(Date.UTC(2019, 8, 1 + n)).toISOString().slice(0, 10);
          const [from, to] = a <= b ? [day(a), day(b)] : [day(b), day(a)];
          const r = stipendItems({ ...LUMP, travelFen: travel, insuranceFen: insurance, ...TERM }, from, to);
          expect(sum(r.months.map((m) => m.workFen))).toBe(r.workFen);
          expect(sum(r.months.map((m) => m.dueFen))).toBe(r.dueFen);
          expect(r.totalFen).toBe(r.workFen + r.travelFen + r.insuranceFen);
          expect(r.totalFen).toBeLessThanOrEqual(2_000_000);
        },
      ),
    );
  });
});
