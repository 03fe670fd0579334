import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { EntityManager, In } from 'typeorm';
import { Scheme } from '../schemes/scheme.entity';
import { dateOf, dayNumber, inclusiveDays, prorate, Proration } from '../stipend/proration';
import { StipendItems, stipendItems } from '../stipend/stipend-items';
import { StipendTrip } from '../stipend/stipend-trip.entity';
import { PlacementTeam } from '../teams/placement-team.entity';
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

/** The stipend items due for a placement (what was served so far, its recorded trips). */
export function itemsOf(
  s: Scheme,
  p: Pick<Placement, 'status' | 'arrivalDate' | 'endDate'>,
  today: string,
  trips: string[] = [],
): StipendItems {
  const range = servedRange(s, p, today);
  if (!range)
    return {
      daysInTerm: inclusiveDays(s.termStart, s.termEnd),
      daysServed: 0,
      months: [],
      workFen: 0,
      travelFen: 0,
      insuranceFen: 0,
      dueFen: 0,
      totalFen: 0,
    };
  return stipendItems(s, range.from, range.to, trips);
}

/** Recorded trip dates per placement, in date order. */
export async function tripsOf(em: EntityManager, placementIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < placementIds.length; i += 1000) {
    const rows = await em.find(StipendTrip, {
      where: { placementId: In(placementIds.slice(i, i + 1000)) },
      select: { placementId: true, tripDate: true },
      order: { tripDate: 'ASC', id: 'ASC' },
    });
    for (const r of rows) {
      const list = out.get(r.placementId) ?? [];
      list.push(r.tripDate);
      out.set(r.placementId, list);
    }
  }
  return out;
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
  teams: Map<number, PlacementTeam>;
  trips: Map<number, string[]>;
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
  const teams = await byIds(
    em,
    PlacementTeam,
    rows.flatMap((p) => (p.teamId ? [p.teamId] : [])),
    {},
  );
  // Trips matter only where travel is paid per trip.
  const perTrip = rows.filter((p) => schemes.get(p.schemeId)?.travelMode === 'PER_TRIP').map((p) => p.id);
  const trips = await tripsOf(em, perTrip);
  return { schemes, teachers, orgs: new Map([...schools, ...counties]), teams, trips };
}

export function toPlacementDto(
  p: Placement,
  ctx: PlacementContext,
  today: string,
  due = itemsOf(ctx.schemes.get(p.schemeId)!, p, today, ctx.trips.get(p.id)),
): PlacementDto {
  const s = ctx.schemes.get(p.schemeId)!;
  const team = p.teamId ? ctx.teams.get(p.teamId) : undefined;
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
    stipendDueFen: due.dueFen,
    teamId: team?.id ?? null,
    teamName: team?.name ?? null,
    teamLeader: !!team && team.leaderPlacementId === p.id,
  };
}

export async function placementDtos(em: EntityManager, rows: Placement[], today: string): Promise<PlacementDto[]> {
  const ctx = await loadContext(em, rows);
  return rows.map((p) => toPlacementDto(p, ctx, today));
}
