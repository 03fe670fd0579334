import { dbDate, shanghaiWhen } from '../time';
import { checkinStatus, checkinWindow } from './checkin.service';

describe('check-in window and lateness', () => {
  const s = { startsAt: new Date('2019-07-15T01:00:00Z'), endsAt: new Date('2019-07-15T03:00:00Z') };

  it('opens 30 minutes before the start and closes at the end', () => {
    expect(checkinWindow(s)).toEqual({ opensAt: new Date('2019-07-15T00:30:00Z'), closesAt: s.endsAt });
  });

  it('is PRESENT up to start + grace inclusive, LATE after', () => {
    expect(checkinStatus(new Date('2019-07-15T00:45:00Z'), s.startsAt, 15)).toBe('PRESENT');
    expect(checkinStatus(new Date('2019-07-15T01:15:00Z'), s.startsAt, 15)).toBe('PRESENT');
    expect(checkinStatus(new Date('2019-07-15T01:15:00.001Z'), s.startsAt, 15)).toBe('LATE');
    expect(checkinStatus(new Date('2019-07-15T01:00:01Z'), s.startsAt, 0)).toBe('LATE');
  });

  it('says when in Shanghai time, with the date when it is another day', () => {
    expect(shanghaiWhen(new Date('2019-07-15T05:30:00Z'), new Date('2019-07-15T01:00:00Z'))).toBe('13:30');
    expect(shanghaiWhen(new Date('2019-07-16T00:30:00Z'), new Date('2019-07-15T01:00:00Z'))).toBe('7月16日 08:30');
    // 23:00 and 01:00 in Shanghai are on different days, though the same UTC day
    expect(shanghaiWhen(new Date('2019-07-15T17:00:00Z'), new Date('2019-07-15T15:00:00Z'))).toBe('7月16日 01:00');
    expect(shanghaiWhen(new Date('2019-07-15T17:00:00Z'), new Date('2019-07-15T16:30:00Z'))).toBe('01:00');
  });

  it('reads datetimes as either driver returns them', () => {
    expect(dbDate(new Date('2019-07-15T01:00:00Z')).toISOString()).toBe('2019-07-15T01:00:00.000Z');
    expect(dbDate('2019-07-15 01:00:00.000').toISOString()).toBe('2019-07-15T01:00:00.000Z');
    expect(dbDate('2019-07-15T01:00:00.000Z').toISOString()).toBe('2019-07-15T01:00:00.000Z');
  });
});
