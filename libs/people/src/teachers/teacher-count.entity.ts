import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How many teachers a school has, kept by every teacher write in its transaction (create, import,
 * move: {@link countTeachers}), so that the teachers of a county or of the city are a sum over
 * its schools' rows (2,000 in a province) instead of a count over a million teacher index entries
 * (~250 ms on MariaDB at 1M). Rebuilt from the teacher table by `npm run credits:rebuild`.
 */
@Entity('teacher_count')
@Index('idx_teacher_count_county', ['countyId', 'schoolId', 'teachers'])
export class TeacherCount {
  @PrimaryColumn({ type: 'integer' })
  schoolId: number;

  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'integer', default: 0 })
  teachers: number;
}
