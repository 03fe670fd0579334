import { ENROLMENT_STATUS_LABELS } from '@shipei/enrolment';
import { PROGRAM_STATUS_LABELS } from '@shipei/programs';
import { PLACEMENT_STATUS_LABELS } from '@shipei/talent-support';
import { STATUS_TAGS, statusLabel } from './labels';

describe('status labels', () => {
  it('show the words of ui.md, taken from the lib that owns the status, with a colour', () => {
    expect(statusLabel('enrolment', 'NOMINATED')).toEqual({ label: '待审核', tone: 'warning' });
    expect(statusLabel('enrolment', 'DECLINED')).toEqual({ label: '已放弃', tone: 'neutral' });
    expect(statusLabel('enrolment', 'COMPLETED').label).toBe('已结业');
    expect(statusLabel('placement', 'IN_SERVICE')).toEqual({ label: '在岗支教', tone: 'success' });
    expect(statusLabel('placement', 'TERMINATED').label).toBe('提前终止');
    expect(statusLabel('program', 'CLOSED').label).toBe('推荐截止');
    expect(statusLabel('attendance', 'PENDING').label).toBe('未签到');
    expect(statusLabel('enrolment', 'SOMETHING')).toEqual({ label: 'SOMETHING', tone: 'neutral' });
  });

  it('has a colour for every status of the libs, and no word of its own for them', () => {
    for (const [kind, words] of [
      ['enrolment', ENROLMENT_STATUS_LABELS],
      ['program', PROGRAM_STATUS_LABELS],
      ['placement', PLACEMENT_STATUS_LABELS],
    ] as const) {
      expect(Object.keys(STATUS_TAGS[kind]).sort()).toEqual(Object.keys(words).sort());
      for (const [code, word] of Object.entries(words)) expect(STATUS_TAGS[kind][code][0]).toBe(word);
    }
  });
});
