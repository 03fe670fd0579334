import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Teachers per county, kept in the same transaction as every write that adds a teacher or moves one
 * to another county (TeacherTally): the list's total for the city or a county and the staff home
 * page read 16 rows instead of counting up to a million index entries.
 */
@Entity('teacher_tally')
export class TeacherTallyRow {
  @PrimaryColumn({ type: 'integer' })
  countyId: number;

  @Column({ type: 'integer', default: 0 })
  teachers: number;
}
