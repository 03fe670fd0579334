import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { EntityManager, In } from 'typeorm';
import { Scheme } from '../schemes/scheme.entity';
import { dayNumber, dateOf, inclusiveDays, prorate, Proration } from '../stipend/proration';
import { PlacementDto } from './dto/placement.dto';
import { Placement, PLACEMENT_STATUS_LABELS } from './placement.entity';

/** The days a placement has served, inclusive, or null when nothing is due (never arrived). */
export function servedRange(
  s: Pick<Scheme, 'termStart' | 'termEnd'>,
  p: Pick<Placement, 'status' | 'arrivalDate' | 'endDate'>,
  today: string,
): { from: string; to: string } | null {
  if (!p.arrivalDate) return null;
  if (p.status === 'IN_SERVICE') {
    const to = dateOf(Math.min(dayNumber(today), dayNumber(s.termEnd)));
    return to < p.arrivalDate ? null : { from: p.arrivalDate, to };
  }
  if ((p.status === 'COMPLETED' || p.status === 'TERMINATED') && p.endDate)
    return { from: p.arrivalDate, to: p.endDate };
  return null;
}

/** The stipend due for a placement (see the rounding rule in proration.ts). */
export function stipendOf(
  s: Pick<Scheme, 'termStart' | 'termEnd' | 'stipendPerYearFen'>,
  p: Pick<Placement, 'status' | 'arrivalDate' | 'endDate'>,
  today: string,
): Proration {
  const range = servedRange(s, p, today);
  if (!range) return { daysInTerm: inclusiveDays(s.termStart, s.termEnd), daysServed: 0, totalFen: 0, months: [] };
  return prorate(s.stipendPerYearFen, s.termStart, s.termEnd, range.from, range.to);
}

async function byIds<T extends { id: number }>(
  em: EntityManager,
  entity: new () => T,
  ids: number[],
  select: Record<string, boolean>,
): Promise<Map<number, T>> {
  const unique = [...new Set(ids)];
  const out = new Map<number, T>();
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await em.find(entity, { where: { id: In(unique.slice(i, i + 1000)) } as any, select: select as any });
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

export interface PlacementContext {
  schemes: Map<number, Scheme>;
  teachers: Map<number, Teacher>;
  orgs: Map<number, Organisation>;
}

/** Loads, in a few batched queries, what the register shows next to placements. */
export async function loadContext(em: EntityManager, rows: Placement[]): Promise<PlacementContext> {
  const schemes = await byIds(
    em,
    Scheme,
    rows.map((p) => p.schemeId),
    {},
  );
  const teachers = await byIds(
    em,
    Teacher,
    rows.map((p) => p.teacherId),
    { id: true, name: true, idNumber: true, gender: true },
  );
  const schoolIds = rows.flatMap((p) => [p.homeSchoolId, p.receivingSchoolId]);
  const schools = await byIds(em, Organisation, schoolIds, { id: true, name: true, countyId: true });
  const countyIds = [...rows.map((p) => p.countyId), ...[...schools.values()].map((o) => o.countyId ?? 0)];
  const counties = await byIds(em, Organisation, countyIds, { id: true, name: true, countyId: true });
  return { schemes, teachers, orgs: new Map([...schools, ...counties]) };
}

export function toPlacementDto(
  p: Placement,
  ctx: PlacementContext,
  today: string,
  due = stipendOf(ctx.schemes.get(p.schemeId)!, p, today),
): PlacementDto {
  const s = ctx.schemes.get(p.schemeId)!;
  const t = ctx.teachers.get(p.teacherId);
  const receiving = ctx.orgs.get(p.receivingSchoolId);
  return {
    id: p.id,
    schemeId: p.schemeId,
    schemeTitle: s.title,
    teacherId: p.teacherId,
    teacherName: t?.name ?? '',
    teacherIdNumber: maskIdNumber(t?.idNumber),
    countyId: p.countyId,
    countyName: ctx.orgs.get(p.countyId)?.name ?? '',
    homeSchoolId: p.homeSchoolId,
    homeSchoolName: ctx.orgs.get(p.homeSchoolId)?.name ?? '',
    receivingSchoolId: p.receivingSchoolId,
    receivingSchoolName: receiving?.name ?? '',
    receivingCountyName: (receiving?.countyId && ctx.orgs.get(receiving.countyId)?.name) || '',
    status: p.status,
    statusLabel: PLACEMENT_STATUS_LABELS[p.status],
    nominatedAt: p.nominatedAt.toISOString(),
    decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null,
    rejectionReason: p.rejectionReason,
    arrivalDate: p.arrivalDate,
    endDate: p.endDate,
    assessment: p.assessment,
    assessmentComment: p.assessmentComment,
    terminationReason: p.terminationReason,
    daysServed: due.daysServed,
    stipendDueFen: due.totalFen,
  };
}

export async function placementDtos(em: EntityManager, rows: Placement[], today: string): Promise<PlacementDto[]> {
  const ctx = await loadContext(em, rows);
  return rows.map((p) => toPlacementDto(p, ctx, today));
}
