import { cnDate, cnDateTime, short } from './message';

describe('message formatting', () => {
  it('writes dates in Chinese from either engine', () => {
    expect(cnDate('2026-07-10')).toBe('2026年7月10日');
    expect(cnDate(new Date('2026-07-10T00:00:00Z'))).toBe('2026年7月10日');
    expect(cnDate(null)).toBe('待定');
  });
  it('writes a moment in Beijing time', () => {
    expect(cnDateTime(new Date('2026-07-09T23:30:00Z'))).toBe('7月10日 07:30');
    expect(cnDateTime('2026-07-10 01:05:00.000')).toBe('7月10日 09:05'); // SQLite's UTC text
  });
  it('cuts SMS variables', () => expect(short('一二三四五', 4)).toBe('一二三…'));
});
