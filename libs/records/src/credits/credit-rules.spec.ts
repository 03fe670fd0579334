import { loadAppConfig } from '@shipei/core';
import { cycleStartOf, cyclePeriod, summariseCredits, yearPeriod } from './credit-rules';

describe('credit cycles and totals', () => {
  it('places a year in its five-year cycle from the configured start', () => {
    expect(cycleStartOf(2016, 2016)).toBe(2016);
    expect(cycleStartOf(2020, 2016)).toBe(2016);
    expect(cycleStartOf(2021, 2016)).toBe(2021);
    expect(cycleStartOf(2025, 2016)).toBe(2021);
    expect(cycleStartOf(2015, 2016)).toBe(2011);
    expect(cycleStartOf(2019, 2018)).toBe(2018);
    expect(cycleStartOf(2023, 2018)).toBe(2023);
    expect(cyclePeriod(2021)).toEqual({
      from: '2021-01-01',
      to: '2025-12-31',
      required: 360,
      label: '2021–2025年周期',
    });
    expect(yearPeriod(2019)).toEqual({ from: '2019-01-01', to: '2019-12-31', required: 48, label: '2019年' });
  });

  it('adds internal and external credits per year and per cycle, across a cycle boundary', () => {
    const { years, cycles } = summariseCredits(
      [
        { year: 2019, hours: 40, external: false },
        { year: 2019, hours: 8.5, external: true },
        { year: 2020, hours: 47.9, external: false },
        { year: 2021, hours: 50, external: false },
      ],
      2022,
      2016,
    );
    expect(years.map((y) => [y.year, y.totalHours, y.shortfall, y.met])).toEqual([
      [2016, 0, 48, false],
      [2017, 0, 48, false],
      [2018, 0, 48, false],
      [2019, 48.5, 0, true],
      [2020, 47.9, 0.1, false],
      [2021, 50, 0, true],
      [2022, 0, 48, false],
    ]);
    expect(years.find((y) => y.year === 2019)).toMatchObject({ internalHours: 40, externalHours: 8.5 });
    expect(years.find((y) => y.year === 2022)!.inProgress).toBe(true);
    expect(cycles).toEqual([
      {
        startYear: 2016,
        endYear: 2020,
        label: '2016–2020',
        totalHours: 96.4,
        required: 360,
        shortfall: 263.6,
        met: false,
        inProgress: false,
        yearsMet: 1,
      },
      {
        startYear: 2021,
        endYear: 2025,
        label: '2021–2025',
        totalHours: 50,
        required: 360,
        shortfall: 310,
        met: false,
        inProgress: true,
        yearsMet: 1,
      },
    ]);
  });

  it('shows the current cycle for a teacher without credits, and sums without float drift', () => {
    const empty = summariseCredits([], 2026, 2016);
    expect(empty.cycles.map((c) => c.label)).toEqual(['2026–2030']);
    expect(empty.years.map((y) => y.year)).toEqual([2026]);
    const tenths = summariseCredits(
      Array.from({ length: 10 }, () => ({ year: 2026, hours: 4.8, external: false })),
      2026,
      2016,
    );
    expect(tenths.years[0]).toMatchObject({ totalHours: 48, met: true, shortfall: 0 });
  });

  it('reads CREDIT_CYCLE_START_YEAR from the environment, 2016 by default, and refuses a non-year', () => {
    expect(loadAppConfig({}).creditCycleStartYear).toBe(2016);
    expect(loadAppConfig({ CREDIT_CYCLE_START_YEAR: '2018' }).creditCycleStartYear).toBe(2018);
    expect(() => loadAppConfig({ CREDIT_CYCLE_START_YEAR: '18' })).toThrow(/CREDIT_CYCLE_START_YEAR/);
    expect(() => loadAppConfig({ CREDIT_CYCLE_START_YEAR: '1800' })).toThrow(/CREDIT_CYCLE_START_YEAR/);
  });
});
