import fc from 'fast-check';
import { dayNumber, inclusiveDays, largestRemainder, prorate, roundedShare, termMonths, yuan } from './proration';

const STIPEND = 2_000_000; // ¥20,000 in fen
const TERM: [string, string] = ['2019-09-01', '2020-07-15']; // 319 days, with a February 2020 of 29 days

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('stipend proration', () => {
  it('counts days inclusively and knows leap years', () => {
    expect(inclusiveDays(...TERM)).toBe(319);
    expect(inclusiveDays('2020-02-01', '2020-02-29')).toBe(29);
    expect(inclusiveDays('2021-02-01', '2021-02-28')).toBe(28);
    expect(inclusiveDays('2020-03-02', '2020-03-01')).toBe(0);
    expect(() => dayNumber('2019-02-29')).toThrow();
  });

  it('pays exactly the yearly stipend for the whole term, split by days with the largest remainder', () => {
    const p = prorate(STIPEND, ...TERM, ...TERM);
    expect(p).toMatchObject({ daysInTerm: 319, daysServed: 319, totalFen: STIPEND });
    expect(p.months.map((m) => [m.month, m.days, m.amountFen])).toEqual([
      ['2019-09', 30, 188088],
      ['2019-10', 31, 194358],
      ['2019-11', 30, 188088],
      ['2019-12', 31, 194357],
      ['2020-01', 31, 194357],
      ['2020-02', 29, 181818],
      ['2020-03', 31, 194357],
      ['2020-04', 30, 188088],
      ['2020-05', 31, 194357],
      ['2020-06', 30, 188088],
      ['2020-07', 15, 94044],
    ]);
    expect(sum(p.months.map((m) => m.amountFen))).toBe(STIPEND);
  });

  it('prorates an arrival in the middle of a month', () => {
    // 2019-09-16 .. 2020-07-15: 15 days in September, 304 in all; 2,000,000 × 304 ÷ 319 = 1,905,956.11 → 1,905,956
    const p = prorate(STIPEND, ...TERM, '2019-09-16', TERM[1]);
    expect(p.daysServed).toBe(304);
    expect(p.totalFen).toBe(1_905_956);
    expect(p.months[0]).toEqual({ month: '2019-09', days: 15, amountFen: expect.any(Number) });
    expect(Math.abs(p.months[0].amountFen - (1_905_956 * 15) / 304)).toBeLessThan(1);
    expect(sum(p.months.map((m) => m.amountFen))).toBe(p.totalFen);
  });

  it('prorates an early return to the last day served', () => {
    // 2019-09-01 .. 2020-01-10: 30 + 31 + 30 + 31 + 10 = 132 days; 2,000,000 × 132 ÷ 319 = 827,586.21 → 827,586
    const p = prorate(STIPEND, ...TERM, TERM[0], '2020-01-10');
    expect(p).toMatchObject({ daysServed: 132, totalFen: 827_586 });
    expect(p.months.map((m) => m.month)).toEqual(['2019-09', '2019-10', '2019-11', '2019-12', '2020-01']);
    expect(p.months[4].days).toBe(10);
    expect(sum(p.months.map((m) => m.amountFen))).toBe(827_586);
  });

  it('gives a leap-year February its 29 days', () => {
    // Only February 2020 served: 2,000,000 × 29 ÷ 319 = 181,818.18 → 181,818
    const feb = prorate(STIPEND, ...TERM, '2020-02-01', '2020-02-29');
    expect(feb).toMatchObject({
      daysServed: 29,
      totalFen: 181_818,
      months: [{ month: '2020-02', days: 29, amountFen: 181_818 }],
    });
    // The same term a year later has 318 days and a February of 28.
    const next = prorate(STIPEND, '2020-09-01', '2021-07-15', '2021-02-01', '2021-02-28');
    expect(next).toMatchObject({ daysInTerm: 318, daysServed: 28, totalFen: 176_101 });
  });

  it('clips service to the term and owes nothing for no days', () => {
    expect(prorate(STIPEND, ...TERM, '2019-08-01', '2020-08-31').totalFen).toBe(STIPEND);
    expect(prorate(STIPEND, ...TERM, '2020-07-16', '2020-08-01')).toMatchObject({
      daysServed: 0,
      totalFen: 0,
      months: [],
    });
    expect(prorate(0, ...TERM, ...TERM).totalFen).toBe(0);
  });

  it('rounds half up to the fen', () => {
    expect(roundedShare(1, 1, 2)).toBe(1); // 0.5 → 1
    expect(roundedShare(3, 1, 2)).toBe(2); // 1.5 → 2
    expect(roundedShare(10, 1, 3)).toBe(3); // 3.33 → 3
    expect(roundedShare(20, 1, 3)).toBe(7); // 6.67 → 7
  });

  it('splits with the largest remainder, earlier parts first on a tie', () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainder(100, [1, 2])).toEqual([33, 67]);
    expect(largestRemainder(0, [3, 4])).toEqual([0, 0]);
  });

  it('always sums the months to the total, each within one fen of its exact share (property)', () => {
    const date = fc.integer({ min: dayNumber('2015-01-01'), max: dayNumber('2030-12-31') });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        date,
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 0, max: 365 }),
        (stipend, start, len, a, b) => {
          const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
          const termStart = iso(start);
          const termEnd = iso(start + len);
          const from = iso(start + Math.min(a, b));
          const to = iso(start + Math.max(a, b));
          const p = prorate(stipend, termStart, termEnd, from, to);
          expect(sum(p.months.map((m) => m.amountFen))).toBe(p.totalFen);
          expect(p.totalFen).toBeLessThanOrEqual(stipend);
          expect(Math.abs(p.totalFen - (stipend * p.daysServed) / p.daysInTerm)).toBeLessThanOrEqual(0.5);
          for (const m of p.months)
            expect(Math.abs(m.amountFen - (p.totalFen * m.days) / p.daysServed)).toBeLessThan(1);
          expect(sum(p.months.map((m) => m.days))).toBe(p.daysServed);
        },
      ),
    );
  });

  it('lists the months of a term and formats yuan', () => {
    expect(termMonths(...TERM)).toHaveLength(11);
    expect(termMonths('2019-12-01', '2020-01-31')).toEqual(['2019-12', '2020-01']);
    expect(yuan(181_818)).toBe('1818.18');
    expect(yuan(5)).toBe('0.05');
  });
});
