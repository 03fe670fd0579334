import { dbDate } from '@shipei/core';
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

  it('reads datetimes as either driver returns them', () => {
    expect(dbDate(new Date('2019-07-15T01:00:00Z')).toISOString()).toBe('2019-07-15T01:00:00.000Z');
    expect(dbDate('2019-07-15 01:00:00.000').toISOString()).toBe('2019-07-15T01:00:00.000Z');
    expect(dbDate('2019-07-15T01:00:00.000Z').toISOString()).toBe('2019-07-15T01:00:00.000Z');
  });
});
