import { DataSource } from 'typeorm';

/**
 * Rows of the 训后评价 suites (issue 19), inserted directly: a program that already ran, a cohort
 * that ended (so its form is open), its trainer, sessions with a lecturer and trainees' enrolments.
 * The program/enrolment rules are not what these suites test.
 */
async function insert(db: DataSource, table: string, values: Record<string, unknown>): Promise<number> {
  const res = await db.createQueryBuilder().insert().into(table).values(values).execute();
  return Number(res.identifiers[0]?.id ?? (res.raw as { insertId?: number }).insertId);
}

export async function insertProgram(
  db: DataSource,
  owner: { org: number; county: number | null },
  title: string,
  year = 2019,
): Promise<number> {
  const now = new Date();
  return insert(db, 'program', {
    kind: owner.county ? 'COUNTY_THEMATIC' : 'BACKBONE_SUMMER',
    year,
    title,
    ownerOrganisationId: owner.org,
    ownerCountyId: owner.county,
    seats: 1000,
    approvedCount: 0,
    creditHours: 24,
    attendanceThreshold: 0.8,
    lateGraceMinutes: 15,
    status: 'RUNNING',
    requirePovertyVillage: false,
    stages: '',
    subjects: '',
    certificatePrefix: `SV${Math.floor(Math.random() * 1e6)}`,
    certificateTemplate: null,
    certificateSeq: 0,
    startDate: `${year}-07-01`,
    endDate: `${year}-07-31`,
    createdAt: now,
    updatedAt: now,
  });
}

export async function insertCohort(
  db: DataSource,
  programId: number,
  name: string,
  opts: { trainerUserId?: number; endDate?: string; capacity?: number } = {},
): Promise<number> {
  const now = new Date();
  const id = await insert(db, 'cohort', {
    programId,
    name,
    capacity: opts.capacity ?? 500,
    assignedCount: 0,
    startDate: '2019-07-08',
    endDate: opts.endDate ?? '2019-07-12',
    venue: '临沂大学',
    createdAt: now,
    updatedAt: now,
  });
  if (opts.trainerUserId)
    await db
      .createQueryBuilder()
      .insert()
      .into('cohort_trainer')
      .values({ cohortId: id, userId: opts.trainerUserId, head: true })
      .execute();
  return id;
}

export async function insertSession(
  db: DataSource,
  cohortId: number,
  title: string,
  trainerId: number | null,
): Promise<number> {
  const at = new Date('2019-07-09T01:00:00Z');
  return insert(db, 'training_session', {
    cohortId,
    title,
    startsAt: at,
    endsAt: new Date(at.getTime() + 3 * 3_600_000),
    hours: 3,
    trainerId,
    room: '',
    createdAt: new Date(),
  });
}

export async function insertEnrolment(
  db: DataSource,
  programId: number,
  cohortId: number,
  teacherId: number,
  status = 'CONFIRMED',
): Promise<number> {
  const [t] = await db.query(`SELECT countyId FROM teacher WHERE id = ?`, [teacherId]);
  const now = new Date();
  return insert(db, 'enrolment', {
    programId,
    teacherId,
    countyId: Number(t.countyId),
    status,
    cohortId,
    createdAt: now,
    updatedAt: now,
  });
}
