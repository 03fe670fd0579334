import { creditCycleOf } from './credit-ledger';

describe('creditCycleOf', () => {
  it('gives the first year of the five-year cycle holding a year, before the start year too', () => {
    expect([2016, 2020, 2021, 2025, 2026].map((y) => creditCycleOf(y, 2016))).toEqual([2016, 2016, 2021, 2021, 2026]);
    expect([2011, 2015].map((y) => creditCycleOf(y, 2016))).toEqual([2011, 2011]);
    expect([2017, 2021, 2022].map((y) => creditCycleOf(y, 2017))).toEqual([2017, 2017, 2022]);
  });
});
