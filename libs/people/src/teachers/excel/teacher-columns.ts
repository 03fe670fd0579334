import type { ImportColumn as CoreImportColumn } from '@shipei/core';
import { STAGES } from '../../organisations/organisation.entity';
import { BACKBONE_LABELS, BACKBONE_LEVELS, PUTONGHUA_LEVELS, TITLES, type BackboneLevel } from '../teacher.entity';

/** The keys a sheet row can carry. */
export type ImportKey =
  | 'name'
  | 'idNumber'
  | 'phone'
  | 'school'
  | 'stage'
  | 'subject'
  | 'title'
  | 'backboneLevel'
  | 'teachingStartYear'
  | 'appraisalsQualified'
  | 'qualificationCertNo'
  | 'onProbation'
  | 'specialPost'
  | 'putonghuaLevel';

export interface ImportColumn extends CoreImportColumn<ImportKey> {
  key: ImportKey;
  /** The Chinese header, exactly as in the template. */
  label: string;
  required: boolean;
  /** Text column (身份证号, phone, certificate number): formatted '@' in the template and exports. */
  text?: boolean;
  /** Allowed Chinese values, for the template's drop-down and the instructions. */
  values?: readonly string[];
  width: number;
  hint: string;
}

const YES_NO = ['是', '否'] as const;
export const BACKBONE_CHOICES = ['省级', '市级', '县级', '无'] as const;

/** The import template's columns, in order (spec §2 fields). */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'name', label: '姓名', required: true, width: 12, hint: '2–50 个字' },
  {
    key: 'idNumber',
    label: '身份证号',
    required: true,
    text: true,
    width: 22,
    hint: '18 位，末位可为 X；请以文本格式填写，数字格式会丢失后几位',
  },
  { key: 'phone', label: '手机号', required: true, text: true, width: 15, hint: '11 位手机号，不能与其他教师重复' },
  { key: 'school', label: '学校', required: true, width: 26, hint: '本县区学校的全称（与系统中的名称一致）或单位代码' },
  { key: 'stage', label: '学段', required: false, values: STAGES, width: 10, hint: STAGES.join('/') },
  { key: 'subject', label: '学科', required: false, width: 10, hint: '如 语文、数学，不超过 30 个字' },
  { key: 'title', label: '职称', required: false, values: TITLES, width: 12, hint: TITLES.join('/') },
  {
    key: 'backboneLevel',
    label: '骨干教师',
    required: false,
    values: BACKBONE_CHOICES,
    width: 10,
    hint: '省级/市级/县级/无，空白视为无',
  },
  { key: 'teachingStartYear', label: '开始任教年份', required: false, width: 14, hint: '四位年份，如 2008' },
  { key: 'appraisalsQualified', label: '近三年考核合格', required: false, values: YES_NO, width: 16, hint: '是/否' },
  {
    key: 'qualificationCertNo',
    label: '教师资格证号',
    required: false,
    text: true,
    width: 22,
    hint: '6–30 位字母或数字',
  },
  { key: 'onProbation', label: '试用期', required: false, values: YES_NO, width: 8, hint: '是/否' },
  { key: 'specialPost', label: '特岗教师', required: false, values: YES_NO, width: 10, hint: '是/否' },
  {
    key: 'putonghuaLevel',
    label: '普通话等级',
    required: false,
    values: PUTONGHUA_LEVELS,
    width: 12,
    hint: '如 二级甲等；未测可空白（旧模板没有此列也可导入）',
  },
];

export const LABEL_OF: Record<ImportKey, string> = Object.fromEntries(
  IMPORT_COLUMNS.map((c) => [c.key, c.label]),
) as Record<ImportKey, string>;

export const BACKBONE_BY_LABEL: Record<string, BackboneLevel> = Object.fromEntries(
  BACKBONE_LEVELS.map((l) => [BACKBONE_LABELS[l], l]),
);

export const yesNo = (v: boolean | null | undefined): string => (v ? '是' : '否');
