import fc from 'fast-check';
import { largestRemainder, largestRemainderCapped, Share } from './largest-remainder';

const split = (seats: number, weights: [string, number][]) => {
  const shares: Share[] = weights.map(([code, weight], i) => ({ key: i + 1, code, weight }));
  const m = largestRemainder(seats, shares);
  return Object.fromEntries(shares.map((s) => [s.code, m.get(s.key)]));
};

describe('largestRemainder (hand-checked)', () => {
  it('gives exact shares when the division is exact', () => {
    // 400 × 100/400 = 100, 400 × 300/400 = 300
    expect(
      split(400, [
        ['371302', 100],
        ['371311', 300],
      ]),
    ).toEqual({ '371302': 100, '371311': 300 });
  });

  it('hands the leftover seats to the largest remainders', () => {
    // 7 seats over weights 5,3,2: exact 3.5, 2.1, 1.4 → floors 3,2,1 (6), 1 left; remainders .5,.1,.4 → first county gets it.
    expect(
      split(7, [
        ['A', 5],
        ['B', 3],
        ['C', 2],
      ]),
    ).toEqual({ A: 4, B: 2, C: 1 });
  });

  it('the classic Hamilton example: 10 seats, votes 1500/1500/900/500/500/200 (total 5100)', () => {
    // quotas 2.941, 2.941, 1.765, 0.980, 0.980, 0.392 → floors 2,2,1,0,0,0 (5); 5 left by remainders
    // .980(D), .980(E), .941(A), .941(B), .765(C) → 3,3,2,1,1,0
    expect(
      split(10, [
        ['A', 1500],
        ['B', 1500],
        ['C', 900],
        ['D', 500],
        ['E', 500],
        ['F', 200],
      ]),
    ).toEqual({ A: 3, B: 3, C: 2, D: 1, E: 1, F: 0 });
  });

  it('breaks equal remainders by county code, whatever the input order', () => {
    // 1 seat, three equal counties: remainders all 1/3 → lowest code wins.
    expect(
      split(1, [
        ['371311', 1],
        ['371302', 1],
        ['371312', 1],
      ]),
    ).toEqual({ '371311': 0, '371302': 1, '371312': 0 });
    // 2 seats, three equal: the two lowest codes.
    expect(
      split(2, [
        ['371312', 7],
        ['371302', 7],
        ['371311', 7],
      ]),
    ).toEqual({ '371312': 0, '371302': 1, '371311': 1 });
  });

  it('the 400-seat summer training over a Linyi-like distribution', () => {
    // weights 523, 311, 298, 150, 87, 0 (total 1369):
    // 400×523/1369 = 152.81, 400×311/1369 = 90.87, 400×298/1369 = 87.07, 400×150/1369 = 43.83, 400×87/1369 = 25.42
    // floors 152+90+87+43+25 = 397, 3 left → remainders .87 (B), .83 (D), .81 (A) → +1 each; C (.07), E (.42) stay.
    expect(
      split(400, [
        ['A', 523],
        ['B', 311],
        ['C', 298],
        ['D', 150],
        ['E', 87],
        ['F', 0],
      ]),
    ).toEqual({ A: 153, B: 91, C: 87, D: 44, E: 25, F: 0 });
  });

  it('always sums to the seats (when someone has weight) and never to a negative', () => {
    for (let seats = 0; seats < 60; seats += 7) {
      const m = largestRemainder(
        seats,
        [1, 2, 3, 5, 8, 13].map((w, i) => ({ key: i, code: String(i), weight: w })),
      );
      expect([...m.values()].reduce((a, b) => a + b, 0)).toBe(seats);
    }
  });

  it('gives nobody a seat when nobody is eligible', () => {
    expect(
      split(400, [
        ['A', 0],
        ['B', 0],
      ]),
    ).toEqual({ A: 0, B: 0 });
  });
});

describe('largestRemainderCapped (never more seats than weight)', () => {
  const capped = (seats: number, weights: [string, number][]) => {
    const shares: Share[] = weights.map(([code, weight], i) => ({ key: i + 1, code, weight }));
    const m = largestRemainderCapped(seats, shares);
    return Object.fromEntries(shares.map((s) => [s.code, m.get(s.key)]));
  };

  it('holds a small county at its eligible teachers and gives the rest to the others (兰山区 35 of 400)', () => {
    // Uncapped, A would get 400 × 35/135 = 103.7 seats for 35 teachers; capped, each county gets its
    // eligible teachers and the 265 seats nobody can take stay unallocated.
    expect(
      capped(400, [
        ['A', 35],
        ['B', 100],
        ['C', 0],
      ]),
    ).toEqual({ A: 35, B: 100, C: 0 });
    // 120 seats over 35/100/300: uncapped 10.0/28.9/81.1 → nobody over, same as the plain split.
    expect(
      capped(120, [
        ['A', 35],
        ['B', 100],
        ['C', 300],
      ]),
    ).toEqual(
      split(120, [
        ['A', 35],
        ['B', 100],
        ['C', 300],
      ]),
    );
  });

  it('redistributes over several rounds: one county alone eligible gets only its teachers', () => {
    expect(capped(400, [['371302', 35]])).toEqual({ '371302': 35 });
    // 300 seats over 50/60/100: uncapped 71.4/85.7/142.9 → A, B over → A 50, B 60, C gets 190 → capped at 100.
    expect(
      capped(300, [
        ['A', 50],
        ['B', 60],
        ['C', 100],
      ]),
    ).toEqual({ A: 50, B: 60, C: 100 });
  });

  it('always gives min(seats, total weight), nobody above its weight, and keeps the plain split when nobody is over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 17 }),
        (seats, weights) => {
          const shares = weights.map((weight, i) => ({ key: i, code: String(100 + i), weight }));
          const m = largestRemainderCapped(seats, shares);
          const total = weights.reduce((a, b) => a + b, 0);
          expect([...m.values()].reduce((a, b) => a + b, 0)).toBe(Math.min(seats, total));
          for (const s of shares) expect(m.get(s.key)!).toBeLessThanOrEqual(s.weight);
          const plain = largestRemainder(seats, shares);
          if (shares.every((s) => plain.get(s.key)! <= s.weight)) expect(m).toEqual(plain);
        },
      ),
    );
  });
});
