import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Teacher } from '../teachers/teacher.entity';

/**
 * A teacher's credit hours in one calendar year (spec §8, §16): completed enrolments by their
 * cohort's end date plus external credits by their date, summed. Derived, never edited by hand:
 * every change to a credit adds its difference here in the same transaction ({@link addCredits}),
 * and `npm run credits:rebuild` recomputes it from the source rows.
 *
 * `countyId` and `schoolId` are the teacher's, copied so that the compliance lists and summaries
 * of a county or school read only this table's indexes (a join to `teacher` would look up one
 * teacher row per credit row: a city's year is hundreds of thousands of lookups). They follow the
 * teacher when the teacher moves ({@link followTeachers}).
 *
 * - `idx_credit_year_county` (year, county, hours): the teachers of a county (or the city) that
 *   meet a year's requirement are one index range; the per-county summary reads it in order.
 * - `idx_credit_year_school` (year, school, hours): the same for one school.
 * - `idx_credit_year_met` (year, hours): the same for the whole city (without it, the city's met
 *   set reads every row of the year; bench/compliance.bench.ts).
 */
@Entity('credit_year')
@Index('idx_credit_year_county', ['year', 'countyId', 'hours'])
@Index('idx_credit_year_school', ['year', 'schoolId', 'hours'])
@Index('idx_credit_year_met', ['year', 'hours'])
export class CreditYear {
  @ForeignKey(() => Teacher, { onDelete: 'RESTRICT' })
  @PrimaryColumn({ type: 'integer' })
  teacherId: number;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'integer' })
  schoolId: number;

  /** The year's hours (学时 = 学分), one decimal like their sources. */
  @Column({ type: 'decimal', precision: 9, scale: 1 })
  hours: string | number;
}
