import { ruralService } from './rural-service';

const TERM_END = '2020-07-15';
const base = { arrivalDate: '2019-09-01', endDate: null, assessment: null };

describe('the service year in the teacher file (农村任教经历)', () => {
  it('counts a completed term with a passing assessment, by its days (leap February included)', () => {
    for (const assessment of ['优秀', '合格', '基本合格'])
      expect(
        ruralService({ ...base, status: 'COMPLETED', endDate: TERM_END, assessment }, TERM_END, '2021-01-01'),
      ).toEqual({
        daysServed: 319,
        counts: true,
        note: '计入城镇教师到乡村任教经历（319 天），可用于职称评聘',
      });
  });

  it('does not count a term assessed 不合格', () => {
    expect(
      ruralService({ ...base, status: 'COMPLETED', endDate: TERM_END, assessment: '不合格' }, TERM_END, '2021-01-01'),
    ).toMatchObject({ daysServed: 319, counts: false, note: '期满考核不合格，不计入农村任教经历' });
  });

  it('records the days of an early return across the new year without claiming the year', () => {
    expect(ruralService({ ...base, status: 'TERMINATED', endDate: '2020-01-10' }, TERM_END, '2021-01-01')).toEqual({
      daysServed: 132,
      counts: false,
      note: '提前结束，实际在岗 132 天，未满服务期',
    });
  });

  it('counts a term under way to today, never past the term, and only once completed', () => {
    expect(ruralService({ ...base, status: 'IN_SERVICE' }, TERM_END, '2020-03-01')).toEqual({
      daysServed: 183, // 30 + 31 + 30 + 31 + 31 + 29 (February 2020) + 1
      counts: false,
      note: '在岗支教中（已 183 天），期满考核合格后计入农村任教经历',
    });
    expect(ruralService({ ...base, status: 'IN_SERVICE' }, TERM_END, '2020-12-31').daysServed).toBe(319);
  });

  it('records nothing before arrival', () => {
    expect(ruralService({ ...base, arrivalDate: null, status: 'APPROVED' }, TERM_END, '2019-08-20')).toEqual({
      daysServed: 0,
      counts: false,
      note: '尚未到岗',
    });
  });
});
