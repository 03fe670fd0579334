import { Enrolment } from '@shipei/enrolment';
import { Organisation, Teacher } from '@shipei/people';
import { TrainingSession } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { ROSTER_STATUSES, AttendanceStatus } from '../statuses';
import { AttendanceRecord } from './attendance-record.entity';

export interface Trainee {
  enrolmentId: number;
  teacherId: number;
  name: string;
  school: string;
  enrolmentStatus: string;
}

const collator = new Intl.Collator('zh-Hans-CN');

/** Roster order everywhere (screen, sheet, matrix): by school, then name (pinyin), then id. */
export function byRosterOrder(a: Trainee, b: Trainee): number {
  return collator.compare(a.school, b.school) || collator.compare(a.name, b.name) || a.enrolmentId - b.enrolmentId;
}

/** The trainees of a cohort (ROSTER_STATUSES), with name and school, in roster order. */
export async function cohortRoster(
  em: EntityManager,
  cohortId: number,
  enrolmentIds?: number[],
  statuses: readonly string[] = ROSTER_STATUSES,
): Promise<Trainee[]> {
  const qb = em
    .createQueryBuilder(Enrolment, 'e')
    .innerJoin(Teacher, 't', 't.id = e.teacherId')
    .innerJoin(Organisation, 'o', 'o.id = t.schoolId')
    .select([
      'e.id AS enrolmentId',
      'e.teacherId AS teacherId',
      'e.status AS status',
      't.name AS name',
      'o.name AS school',
    ])
    .where('e.cohortId = :cohortId AND e.status IN (:...statuses)', { cohortId, statuses });
  if (enrolmentIds) qb.andWhere('e.id IN (:...ids)', { ids: enrolmentIds.length ? enrolmentIds : [0] });
  const rows = await qb.getRawMany();
  return rows
    .map((r) => ({
      enrolmentId: Number(r.enrolmentId),
      teacherId: Number(r.teacherId),
      name: String(r.name),
      school: String(r.school),
      enrolmentStatus: String(r.status),
    }))
    .sort(byRosterOrder);
}

export function cohortSessions(em: EntityManager, cohortId: number): Promise<TrainingSession[]> {
  return em
    .createQueryBuilder(TrainingSession, 's')
    .where('s.cohortId = :cohortId', { cohortId })
    .orderBy('s.startsAt')
    .addOrderBy('s.id')
    .getMany();
}

/** Records of a cohort (or of some sessions), keyed "sessionId:enrolmentId". */
export async function recordMap(
  em: EntityManager,
  where: { cohortId?: number; sessionIds?: number[]; enrolmentIds?: number[] },
): Promise<Map<string, AttendanceRecord>> {
  const filter: Record<string, unknown> = {};
  if (where.cohortId !== undefined) filter.cohortId = where.cohortId;
  if (where.sessionIds) filter.sessionId = In(where.sessionIds);
  if (where.enrolmentIds) filter.enrolmentId = In(where.enrolmentIds);
  const rows = await em.find(AttendanceRecord, { where: filter });
  return new Map(rows.map((r) => [`${r.sessionId}:${r.enrolmentId}`, r]));
}

/**
 * The status a trainee has in a session at `now`: the stored one, else ABSENT once the session
 * has ended (derived until the trainer closes it), else null (not checked in yet).
 */
export function effectiveStatus(
  record: Pick<AttendanceRecord, 'status'> | undefined,
  session: Pick<TrainingSession, 'endsAt'>,
  now: Date,
): AttendanceStatus | null {
  if (record) return record.status;
  return new Date(session.endsAt).getTime() <= now.getTime() ? 'ABSENT' : null;
}
