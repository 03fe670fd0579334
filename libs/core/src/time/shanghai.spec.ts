import {
  calendarDateZh,
  shanghaiDate,
  shanghaiDateTime,
  shanghaiDateZh,
  shanghaiTime,
  shanghaiWeekday,
  shanghaiWhen,
  shanghaiYear,
} from './shanghai';

describe('Beijing-time helpers', () => {
  it('shift UTC by eight hours, across the day and year boundary', () => {
    const d = new Date('2019-12-31T16:30:00Z');
    expect(shanghaiDate(d)).toBe('2020-01-01');
    expect(shanghaiTime(d)).toBe('00:30');
    expect(shanghaiDateTime(d)).toBe('2020-01-01 00:30');
    expect(shanghaiYear(d)).toBe(2020);
    expect(shanghaiWeekday(d)).toBe(3); // 2020-01-01 was a Wednesday
    expect(shanghaiDateZh(d)).toBe('2020年1月1日');
    expect(shanghaiDate(new Date('2020-02-28T16:30:00Z'))).toBe('2020-02-29');
    expect(shanghaiDate(new Date('2020-02-28T15:59:59Z'))).toBe('2020-02-28');
  });

  it('shanghaiWhen gives the time alone on the same Shanghai day, else the date too', () => {
    expect(shanghaiWhen(new Date('2019-07-15T05:30:00Z'), new Date('2019-07-15T01:00:00Z'))).toBe('13:30');
    expect(shanghaiWhen(new Date('2019-07-16T00:30:00Z'), new Date('2019-07-15T01:00:00Z'))).toBe('7月16日 08:30');
    expect(shanghaiWhen(new Date('2019-07-15T17:00:00Z'), new Date('2019-07-15T15:00:00Z'))).toBe('7月16日 01:00');
    expect(shanghaiWhen(new Date('2019-07-15T17:00:00Z'), new Date('2019-07-15T16:30:00Z'))).toBe('01:00');
  });

  it('calendarDateZh reads a DATE column the same from either driver, and nothing as nothing', () => {
    expect(calendarDateZh('2019-07-05')).toBe('2019年7月5日'); // SQLite: the text
    expect(calendarDateZh(new Date('2019-07-05T00:00:00Z'))).toBe('2019年7月5日'); // mysql2: UTC midnight
    expect(calendarDateZh('2020-02-29')).toBe('2020年2月29日');
    expect(calendarDateZh(null)).toBe('');
    expect(calendarDateZh('')).toBe('');
  });
});
