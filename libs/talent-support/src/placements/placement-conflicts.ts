import { EntityManager, In } from 'typeorm';
import { Scheme } from '../schemes/scheme.entity';
import { ACTIVE_STATUSES, Placement, PlacementStatus } from './placement.entity';
import { shanghaiDate } from '@shipei/core';

export interface PlacementConflict {
  teacherId: number;
  placementId: number;
  schemeId: number;
  schemeTitle: string;
  status: PlacementStatus;
  /** The service period the dates overlap: from arrival (or the term's start) to the term's end. */
  serviceFrom: string;
  serviceTo: string;
}

function asDate(d: string | Date): string {
  return typeof d === 'string' ? d.slice(0, 10) : shanghaiDate(d);
}

/**
 * The teachers among `teacherIds` whose active placement (NOMINATED, APPROVED or IN_SERVICE)
 * has a service period overlapping `from`..`to` (inclusive dates, 'YYYY-MM-DD'; a Date is read in
 * Asia/Shanghai). For enrolment: a teacher away on a placement should not be put in a training
 * cohort during their service term, so it warns the office. No actor: the caller scopes.
 */
export async function placementConflicts(
  em: EntityManager,
  teacherIds: number[],
  from: string | Date,
  to: string | Date,
): Promise<PlacementConflict[]> {
  const f = asDate(from);
  const t = asDate(to);
  const ids = [...new Set(teacherIds.filter((id) => Number.isSafeInteger(id)))];
  const out: PlacementConflict[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await em
      .createQueryBuilder(Placement, 'p')
      .innerJoin(Scheme, 's', 's.id = p.schemeId')
      .select(['p.id', 'p.teacherId', 'p.schemeId', 'p.status', 'p.arrivalDate'])
      .where('p.activeKey IN (:...ids)', { ids: ids.slice(i, i + 1000) })
      .andWhere('p.status IN (:...active)', { active: ACTIVE_STATUSES })
      .andWhere('s.termStart <= :to AND s.termEnd >= :from', { from: f, to: t })
      .getMany();
    if (!rows.length) continue;
    const schemes = new Map(
      (await em.find(Scheme, { where: { id: In([...new Set(rows.map((r) => r.schemeId))]) } })).map((s) => [s.id, s]),
    );
    for (const p of rows) {
      const s = schemes.get(p.schemeId)!;
      const serviceFrom = p.arrivalDate && p.arrivalDate > s.termStart ? p.arrivalDate : s.termStart;
      if (serviceFrom > t || s.termEnd < f) continue;
      out.push({
        teacherId: p.teacherId,
        placementId: p.id,
        schemeId: s.id,
        schemeTitle: s.title,
        status: p.status,
        serviceFrom,
        serviceTo: s.termEnd,
      });
    }
  }
  return out.sort((a, b) => a.teacherId - b.teacherId);
}
