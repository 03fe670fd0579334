export interface Trainee {
  enrolmentId: number;
  /** County code: the primary balancing key (and sort order). */
  county: string;
  subject: string;
  /** Other cohorts the teacher is already in: [startDate, endDate] as 'YYYY-MM-DD'. */
  busy: [string, string][];
}

export interface Slot {
  cohortId: number;
  capacity: number;
  assigned: number;
  startDate: string;
  endDate: string;
  /** Trainees already in it, per county code and per subject. */
  byCounty: Map<string, number>;
  bySubject: Map<string, number>;
}

const overlaps = (a: [string, string], b: [string, string]) => a[0] <= b[1] && b[0] <= a[1];

/** a/b < c/d for non-negative counts over positive capacities, without floats. */
const less = (a: number, b: number, c: number, d: number) => a * d < c * b;

/**
 * Automatic 分班 (spec §3): balanced by county, then subject. Trainees are taken in
 * (county, subject, enrolment id) order; each goes to the cohort where its county, then its
 * subject, then everyone fills the smallest share of capacity (ties: lower cohort id), among
 * cohorts with room whose dates do not overlap the teacher's other cohorts. Deterministic.
 * Mutates the slots' counters; returns enrolment id → cohort id (absent = no room).
 */
export function balance(trainees: Trainee[], slots: Slot[]): Map<number, number> {
  const out = new Map<number, number>();
  const order = [...trainees].sort((a, b) =>
    a.county === b.county
      ? a.subject === b.subject
        ? a.enrolmentId - b.enrolmentId
        : a.subject < b.subject
          ? -1
          : 1
      : a.county < b.county
        ? -1
        : 1,
  );
  for (const t of order) {
    let best: Slot | null = null;
    for (const s of slots) {
      if (s.assigned >= s.capacity) continue;
      if (t.busy.some((b) => overlaps(b, [s.startDate, s.endDate]))) continue;
      if (!best || better(t, s, best)) best = s;
    }
    if (!best) continue;
    out.set(t.enrolmentId, best.cohortId);
    best.assigned++;
    best.byCounty.set(t.county, (best.byCounty.get(t.county) ?? 0) + 1);
    best.bySubject.set(t.subject, (best.bySubject.get(t.subject) ?? 0) + 1);
  }
  return out;
}

function better(t: Trainee, s: Slot, best: Slot): boolean {
  const keys: [number, number][] = [
    [s.byCounty.get(t.county) ?? 0, best.byCounty.get(t.county) ?? 0],
    [s.bySubject.get(t.subject) ?? 0, best.bySubject.get(t.subject) ?? 0],
    [s.assigned, best.assigned],
  ];
  for (const [a, b] of keys) {
    if (less(a, s.capacity, b, best.capacity)) return true;
    if (less(b, best.capacity, a, s.capacity)) return false;
  }
  return s.cohortId < best.cohortId;
}
