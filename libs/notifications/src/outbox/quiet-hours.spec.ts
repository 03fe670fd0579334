import { inQuietHours } from './quiet-hours';

describe('SMS quiet hours (22:00–07:00 Beijing)', () => {
  it.each([
    ['2026-12-07T13:59:59Z', false], // 21:59:59
    ['2026-12-07T14:00:00Z', true], // 22:00
    ['2026-12-07T18:30:00Z', true], // 02:30
    ['2026-12-07T22:59:59Z', true], // 06:59:59
    ['2026-12-07T23:00:00Z', false], // 07:00
    ['2026-12-08T04:00:00Z', false], // 12:00
  ])('%s → %s', (at, quiet) => expect(inQuietHours(new Date(at))).toBe(quiet));
});
