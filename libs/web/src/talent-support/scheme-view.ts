import type { Actor } from '@shipei/core';
import { TITLES } from '@shipei/people';
import {
  ASSESSMENTS,
  PLACEMENT_STATUSES,
  SCHEME_KIND_LABELS,
  SCHEME_KINDS,
  type SchemeDto,
} from '@shipei/talent-support';
import { formatMoney } from '../shared/format';
import { STATUS_TAGS } from '../shared/labels';
import type { Option, Tab } from '../programs/program-view';
import type { Crumb } from '../shared/page-renderer.service';

export const SCHEME_KIND_OPTIONS: Option[] = SCHEME_KINDS.map((k) => ({ value: k, label: SCHEME_KIND_LABELS[k] }));
export const TITLE_MIN_OPTIONS: Option[] = TITLES.filter((t) => t !== '未定级').map((t) => ({
  value: t,
  label: `${t}及以上`,
}));
export const PLACEMENT_STATUS_OPTIONS: Option[] = PLACEMENT_STATUSES.map((s) => ({
  value: s,
  label: STATUS_TAGS.placement[s]?.[0] ?? s,
}));
export const ASSESSMENT_OPTIONS: Option[] = ASSESSMENTS.map((a) => ({ value: a, label: a }));

/** Fen (the ledger's unit) as ¥20,000.00. */
export function yuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : formatMoney(Number(fen) / 100);
}

/** The selection rules of a scheme in words, one line each. */
export function rulesText(s: SchemeDto): string[] {
  const r = s.rules;
  const out: string[] = [];
  out.push(r.minYearsOfService != null ? `教龄满 ${r.minYearsOfService} 年（截至服务期开始）` : '教龄不限');
  out.push(r.minTitle ? `职称${r.minTitle}及以上` : '职称不限');
  if (r.appraisalsQualified) out.push('近三年年度考核合格');
  if (r.notOnProbation) out.push('不在试用期内');
  if (r.notSpecialPost) out.push('非特岗教师');
  return out;
}

export function schemeCrumbs(s?: Pick<SchemeDto, 'id' | 'title'>, extra: Crumb[] = []): Crumb[] {
  return [
    { label: '首页', href: '/app' },
    { label: '支持计划', href: '/app/schemes' },
    ...(s ? [{ label: s.title, href: `/app/schemes/${s.id}` }] : []),
    ...extra,
  ];
}

export function schemeTabs(actor: Actor, s: SchemeDto, current: string): Tab[] {
  const base = `/app/schemes/${s.id}`;
  const tabs: [string, string, boolean][] = [
    ['overview', '概况与名额', true],
    ['nominate', '推荐教师', actor.role === 'COUNTY_ADMIN'],
    ['placements', '选派台账', true],
    ['ledger', '津贴台账', true],
    ['dashboard', '统计', true],
  ];
  return tabs
    .filter(([, , show]) => show)
    .map(([key, label]) => ({ label, href: key === 'overview' ? base : `${base}/${key}`, current: key === current }));
}
