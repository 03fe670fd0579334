import { BACKBONE_LABELS, PUTONGHUA_LEVELS, STAGES, TeacherDto, TITLES } from '@shipei/people';
import { GENDER_LABELS } from '../shared/labels';

export const STAGE_OPTIONS = STAGES.map((s) => ({ value: s, label: s }));
export const TITLE_OPTIONS = TITLES.map((s) => ({ value: s, label: s }));
export const BACKBONE_OPTIONS = Object.entries(BACKBONE_LABELS).map(([value, label]) => ({
  value,
  label: value === 'NONE' ? '非骨干教师' : `${label}骨干教师`,
}));
export const PUTONGHUA_OPTIONS = PUTONGHUA_LEVELS.map((s) => ({ value: s, label: s }));
export const YES_NO_OPTIONS = [
  { value: 'true', label: '是' },
  { value: 'false', label: '否' },
];

export interface TeacherRow extends TeacherDto {
  genderLabel: string;
  backboneLabel: string;
  schoolName: string;
  countyName: string;
  /** 教龄 in years, from the year teaching began. */
  teachingYears: number | null;
}

/** A teacher as pages show it (labels instead of codes, names instead of ids). Masking is the service's. */
export function teacherRow(t: TeacherDto, names: Map<number, string>, now = new Date()): TeacherRow {
  return {
    ...t,
    genderLabel: GENDER_LABELS[t.gender] ?? '',
    backboneLabel: t.backboneLevel === 'NONE' ? '否' : `${BACKBONE_LABELS[t.backboneLevel]}骨干教师`,
    schoolName: names.get(t.schoolId) ?? '',
    countyName: names.get(t.countyId) ?? '',
    teachingYears: t.teachingStartYear ? Math.max(0, now.getFullYear() - t.teachingStartYear) : null,
  };
}
