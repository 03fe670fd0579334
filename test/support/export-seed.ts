import { DataSource } from 'typeorm';
import { makeIdNumber, makePhone } from './fixtures';

/** What {@link seedExportRows} made: one program whose roster and registers have `rows` rows each. */
export interface ExportSeed {
  programId: number;
  cohortId: number;
  /** The counties the teachers are spread over (interleaved, as registrations arrive). */
  countyIds: number[];
  rows: number;
}

const STATEMENT_ROWS = 500;

/**
 * `rows` teachers (one school per county, spread over every county), one program with one cohort,
 * a COMPLETED enrolment per teacher and a certificate per enrolment (every 7th revoked), written
 * with bulk SQL after the migrations: 100,000 of each take seconds, not the hours the API would.
 * Certificate sequences run against the id order and come in equal pairs, so an export ordered by
 * (sequence, id) differs from one in insertion order. `serialFrom` keeps 身份证号 and phones apart
 * from a suite's other teachers.
 */
export async function seedExportRows(db: DataSource, rows: number, serialFrom = 500_000): Promise<ExportSeed> {
  const mysql = db.options.type !== 'better-sqlite3';
  const concat = (...parts: string[]) => (mysql ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));
  const now = db.driver.preparePersistentValue(
    new Date(),
    db.getMetadata('teacher').findColumnWithPropertyName('createdAt')!,
  );
  const counties: { id: number }[] = await db.query(`SELECT id FROM organisation WHERE type = 'COUNTY' ORDER BY code`);
  const countyIds = counties.map((c) => Number(c.id));
  const schools = new Map<number, number>();
  for (const county of countyIds) {
    await db.query(
      `INSERT INTO organisation (type, name, parentId, countyId, stages, povertyVillage, receivingSchool, createdAt) VALUES ('SCHOOL', ?, ?, ?, '', 0, 0, ?)`,
      [`导出压测学校${county}-${serialFrom}`, county, county, now],
    );
    const [s] = await db.query(`SELECT id FROM organisation WHERE name = ?`, [`导出压测学校${county}-${serialFrom}`]);
    schools.set(county, Number(s.id));
  }
  const marker = `导${serialFrom}-`;
  await db.transaction(async (em) => {
    for (let start = 0; start < rows; start += STATEMENT_ROWS) {
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let i = start; i < Math.min(rows, start + STATEMENT_ROWS); i++) {
        const county = countyIds[i % countyIds.length];
        const id = makeIdNumber(serialFrom + i);
        params.push(
          `${marker}${i}`,
          id,
          Number(id[16]) % 2 ? 'M' : 'F',
          `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
          makePhone(serialFrom + i),
          schools.get(county),
          county,
          ['小学', '初中', '高中'][i % 3],
          '语文',
          '一级教师',
          now,
          now,
        );
        tuples.push(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NONE', 2000, 1, 0, 0, ?, ?)`);
      }
      await em.query(
        `INSERT INTO teacher (name, idNumber, gender, birthDate, phone, schoolId, countyId, stage, subject, title, backboneLevel, teachingStartYear, appraisalsQualified, onProbation, specialPost, createdAt, updatedAt) VALUES ${tuples.join(', ')}`,
        params,
      );
    }
  });
  const [city] = await db.query(`SELECT id FROM organisation WHERE type = 'CITY'`);
  const prefix = `EX${serialFrom}`;
  await db.query(
    `INSERT INTO program (kind, year, title, ownerOrganisationId, seats, approvedCount, creditHours, attendanceThreshold, lateGraceMinutes, status, requirePovertyVillage, stages, subjects, certificatePrefix, certificateSeq, startDate, endDate, createdAt, updatedAt)
     VALUES ('BACKBONE_SUMMER', 2019, ?, ?, ?, ?, 48, 0.8, 15, 'RUNNING', 0, '', '', ?, ?, '2019-07-01', '2019-08-15', ?, ?)`,
    [`导出压测项目${serialFrom}`, Number(city.id), rows, rows, prefix, rows, now, now],
  );
  const [program] = await db.query(`SELECT id FROM program WHERE certificatePrefix = ?`, [prefix]);
  const programId = Number(program.id);
  await db.query(
    `INSERT INTO cohort (programId, name, capacity, assignedCount, startDate, endDate, venue, createdAt, updatedAt) VALUES (?, '压测一期', ?, ?, '2019-07-08', '2019-07-17', '', ?, ?)`,
    [programId, rows, rows, now, now],
  );
  const [cohort] = await db.query(`SELECT id FROM cohort WHERE programId = ?`, [programId]);
  const cohortId = Number(cohort.id);
  await db.query(
    `INSERT INTO enrolment (programId, teacherId, countyId, status, cohortId, attendedHours, attendanceRate, creditHours, createdAt, updatedAt, completedAt)
     SELECT ?, id, countyId, 'COMPLETED', ?, 46, 0.9583, 48, ?, ?, ? FROM teacher WHERE name LIKE ?`,
    [programId, cohortId, now, now, now, `${marker}%`],
  );
  // Sequence: against the id order, and equal for each pair of ids (ties broken by id).
  const top = 10_000_000;
  await db.query(
    `INSERT INTO certificate (number, sequence, verificationCode, kind, status, sourceType, sourceId, activeKey, enrolmentId, programId, cohortId, teacherId, countyId, template, holderName, schoolName, programTitle, startDate, endDate, creditHours, issuer, issueDate, issuedAt)
     SELECT ${concat(`'${prefix}-'`, 'e.id')}, ${top} - (e.id - e.id % 2), ${concat(`'${prefix}v'`, 'e.id')}, 'TRAINING', 'VALID', 'ENROLMENT', e.id, ${concat(`'${prefix}a'`, 'e.id')},
            e.id, e.programId, e.cohortId, e.teacherId, e.countyId, 'default', t.name, '导出压测学校', '导出压测项目', '2019-07-08', '2019-07-17', 48, '临沂市教育局', '2019-07-20', ?
     FROM enrolment e JOIN teacher t ON t.id = e.teacherId WHERE e.programId = ?`,
    [now, programId],
  );
  await db.query(
    `UPDATE certificate SET status = 'REVOKED', activeKey = NULL, revokedAt = ?, revokeReason = '压测撤销' WHERE programId = ? AND id % 7 = 0`,
    [now, programId],
  );
  if (mysql) await db.query('ANALYZE TABLE teacher, enrolment, certificate');
  else await db.query('ANALYZE');
  return { programId, cohortId, countyIds, rows };
}
