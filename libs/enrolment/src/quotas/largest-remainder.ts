export interface Share {
  key: number;
  /** Tie-breaker: lower code first (county code, e.g. 371302). */
  code: string;
  weight: number;
}

/**
 * Splits `seats` in proportion to the weights by the largest-remainder (Hamilton) method:
 * everyone gets floor(seats × w / W); the seats left over go one each to the largest
 * remainders, ties broken by code (then key), so the result is deterministic. Integer
 * arithmetic only (remainders compared as seats × w mod W), so no float rounding decides.
 * All weights zero → nobody gets a seat.
 */
export function largestRemainder(seats: number, shares: Share[]): Map<number, number> {
  if (!Number.isSafeInteger(seats) || seats < 0) throw new RangeError('seats must be a non-negative integer');
  const total = shares.reduce((s, x) => s + x.weight, 0);
  const out = new Map(shares.map((s) => [s.key, 0]));
  if (total === 0 || seats === 0) return out;
  const rows = shares.map((s) => {
    const exact = BigInt(seats) * BigInt(s.weight);
    return { ...s, base: Number(exact / BigInt(total)), rem: exact % BigInt(total) };
  });
  let left = seats - rows.reduce((s, r) => s + r.base, 0);
  for (const r of rows) out.set(r.key, r.base);
  const order = [...rows].sort((a, b) =>
    a.rem === b.rem ? (a.code === b.code ? a.key - b.key : a.code < b.code ? -1 : 1) : a.rem > b.rem ? -1 : 1,
  );
  for (const r of order) {
    if (left <= 0) break;
    out.set(r.key, out.get(r.key)! + 1);
    left--;
  }
  return out;
}

/**
 * The largest-remainder split where nobody gets more seats than its weight: a county is never
 * suggested more seats than it has eligible teachers. A share that would get more is held at its
 * weight and the seats it cannot take go to the others by the same method, round after round, until
 * nobody is over. Seats beyond the total weight stay unallocated (the office sees them unassigned).
 */
export function largestRemainderCapped(seats: number, shares: Share[]): Map<number, number> {
  const out = new Map(shares.map((s) => [s.key, 0]));
  let open = shares.filter((s) => s.weight > 0);
  let left = Math.min(
    seats,
    open.reduce((sum, s) => sum + s.weight, 0),
  );
  while (open.length && left > 0) {
    const split = largestRemainder(left, open);
    const over = open.filter((s) => split.get(s.key)! > s.weight);
    if (!over.length) {
      for (const s of open) out.set(s.key, split.get(s.key)!);
      break;
    }
    for (const s of over) {
      out.set(s.key, s.weight);
      left -= s.weight;
    }
    open = open.filter((s) => !over.includes(s));
  }
  return out;
}
