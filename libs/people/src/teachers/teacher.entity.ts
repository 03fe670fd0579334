import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';

export const TITLES = ['正高级教师', '高级教师', '一级教师', '二级教师', '三级教师', '未定级'] as const;
export type Title = (typeof TITLES)[number];

/** 普通话水平测试等级, highest first (GB/T: 三级六等). */
export const PUTONGHUA_LEVELS = ['一级甲等', '一级乙等', '二级甲等', '二级乙等', '三级甲等', '三级乙等'] as const;
export type PutonghuaLevel = (typeof PUTONGHUA_LEVELS)[number];

export const BACKBONE_LEVELS = ['NONE', 'COUNTY', 'CITY', 'PROVINCE'] as const;
export type BackboneLevel = (typeof BACKBONE_LEVELS)[number];
export const BACKBONE_LABELS: Record<BackboneLevel, string> = {
  NONE: '无',
  COUNTY: '县级',
  CITY: '市级',
  PROVINCE: '省级',
};

/**
 * 教师. One row per 身份证号. `countyId` is copied from the school so that the county
 * scope and the county-filtered list are served by one index (county, id).
 */
@Entity('teacher')
@Index('idx_teacher_county', ['countyId', 'id'])
@Index('idx_teacher_school', ['schoolId', 'id'])
@Index('idx_teacher_name', ['name'])
// The list's filters (migration 1796720000000, which says why each): a page is a range walk in list order.
@Index('idx_teacher_county_name', ['countyId', 'name', 'id'])
@Index('idx_teacher_county_subject', ['countyId', 'subject', 'id'])
@Index('idx_teacher_county_school', ['countyId', 'schoolId', 'id'])
@Index('idx_teacher_county_stage', ['countyId', 'stage', 'id'])
@Index('idx_teacher_county_title', ['countyId', 'title', 'id'])
@Index('idx_teacher_county_backbone', ['countyId', 'backboneLevel', 'id'])
@Index('idx_teacher_subject', ['subject', 'id'])
@Index('idx_teacher_stage', ['stage', 'id'])
@Index('idx_teacher_title', ['title', 'id'])
@Index('idx_teacher_backbone', ['backboneLevel', 'id'])
export class Teacher {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Index('uq_teacher_id_number', { unique: true })
  @Column({ type: 'varchar', length: 18 })
  idNumber: string;

  @Column({ type: 'varchar', length: 1 })
  gender: 'M' | 'F';

  @Column({ type: 'date' })
  birthDate: string;

  @Index('uq_teacher_phone', { unique: true })
  @Column({ type: 'varchar', length: 11 })
  phone: string;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  schoolId: number;

  @ForeignKey(() => Organisation, { onDelete: 'RESTRICT' })
  @Column({ type: 'integer' })
  countyId: number;

  @Column({ type: 'varchar', length: 10, nullable: true })
  stage: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  subject: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  title: string | null;

  @Column({ type: 'varchar', length: 10, default: 'NONE' })
  backboneLevel: BackboneLevel;

  /** The year the teacher began teaching; 教龄 derives from it. */
  @Column({ type: 'integer', nullable: true })
  teachingStartYear: number | null;

  /** 近三年年度考核合格. */
  @Column({ type: 'boolean', default: false })
  appraisalsQualified: boolean;

  /** 试用期. */
  @Column({ type: 'boolean', default: false })
  onProbation: boolean;

  /** 特岗教师. */
  @Column({ type: 'boolean', default: false })
  specialPost: boolean;

  @Column({ type: 'varchar', length: 30, nullable: true })
  qualificationCertNo: string | null;

  /** 普通话等级, where recorded (null = not recorded). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  putonghuaLevel: PutonghuaLevel | null;

  @Column({ type: 'datetime' })
  createdAt: Date;

  @Column({ type: 'datetime' })
  updatedAt: Date;
}
