import { balance, Slot, Trainee } from './balance';

const slot = (cohortId: number, capacity: number, startDate = '2019-07-15', endDate = '2019-07-24'): Slot => ({
  cohortId,
  capacity,
  assigned: 0,
  startDate,
  endDate,
  byCounty: new Map(),
  bySubject: new Map(),
});
const t = (enrolmentId: number, county: string, subject: string, busy: [string, string][] = []): Trainee => ({
  enrolmentId,
  county,
  subject,
  busy,
});

const tally = (result: Map<number, number>, trainees: Trainee[], key: (t: Trainee) => string) => {
  const out: Record<string, Record<string, number>> = {};
  for (const tr of trainees) {
    const c = result.get(tr.enrolmentId);
    if (c === undefined) continue;
    out[c] ??= {};
    out[c][key(tr)] = (out[c][key(tr)] ?? 0) + 1;
  }
  return out;
};

describe('balance (automatic 分班)', () => {
  it('spreads each county evenly, then each subject within it', () => {
    const trainees = [
      t(1, 'A', '语文'),
      t(2, 'A', '语文'),
      t(3, 'A', '数学'),
      t(4, 'A', '数学'),
      t(5, 'B', '英语'),
      t(6, 'B', '英语'),
    ];
    const result = balance(trainees, [slot(10, 3), slot(11, 3)]);
    expect(result.size).toBe(6);
    expect(tally(result, trainees, (x) => x.county)).toEqual({ 10: { A: 2, B: 1 }, 11: { A: 2, B: 1 } });
    expect(tally(result, trainees, (x) => x.subject)).toEqual({
      10: { 语文: 1, 数学: 1, 英语: 1 },
      11: { 语文: 1, 数学: 1, 英语: 1 },
    });
  });

  it('is deterministic: the same input gives the same split, whatever the input order', () => {
    const trainees = Array.from({ length: 40 }, (_, i) =>
      t(i + 1, ['371302', '371311', '371312'][i % 3], ['语文', '数学'][i % 2]),
    );
    const a = balance(trainees, [slot(1, 20), slot(2, 20)]);
    const b = balance([...trainees].reverse(), [slot(1, 20), slot(2, 20)]);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
  });

  it('fills in proportion to capacity and never beyond it', () => {
    const trainees = Array.from({ length: 12 }, (_, i) => t(i + 1, 'A', '语文'));
    const slots = [slot(1, 4), slot(2, 8)];
    const result = balance(trainees, slots);
    expect(slots.map((s) => s.assigned)).toEqual([4, 8]);
    expect(result.size).toBe(12);
  });

  it('leaves out who does not fit, and skips cohorts overlapping a teacher’s other cohort', () => {
    const trainees = [t(1, 'A', '语文', [['2019-07-20', '2019-07-30']]), t(2, 'A', '语文'), t(3, 'A', '语文')];
    const slots = [slot(1, 1, '2019-07-15', '2019-07-24'), slot(2, 1, '2019-08-01', '2019-08-10')];
    const result = balance(trainees, slots);
    expect(result.get(1)).toBe(2); // cohort 1 overlaps its other cohort
    expect(result.get(2)).toBe(1);
    expect(result.has(3)).toBe(false); // no room left
  });
});
