import type { Actor } from '@shipei/core';
import { BACKBONE_LABELS, PUTONGHUA_LEVELS, TITLES } from '@shipei/people';
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
export const PUTONGHUA_MIN_OPTIONS: Option[] = PUTONGHUA_LEVELS.map((l) => ({ value: l, label: `${l}及以上` }));
export const BACKBONE_MIN_OPTIONS: Option[] = (['COUNTY', 'CITY', 'PROVINCE'] as const).map((l) => ({
  value: l,
  label: `${BACKBONE_LABELS[l]}及以上`,
}));
export const ASSESSMENT_OPTIONS: Option[] = ASSESSMENTS.map((a) => ({ value: a, label: a }));

/** Fen (the ledger's unit) as ¥20,000.00. */
export function yuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : formatMoney(Number(fen) / 100);
}

/**
 * An amount typed in yuan (up to 7 digits, at most two decimals) as fen, or null when it is not
 * one. Counted on the digits, not by multiplying a float: '0.29' is 29 fen, never 28.
 */
export function yuanToFen(text: unknown): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(typeof text === 'string' ? text.trim() : '');
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** The selection rules of a scheme in words, one line each. */
export function rulesText(s: SchemeDto): string[] {
  const r = s.rules;
  const out: string[] = [];
  if (r.homeNotReceiving) out.push('所在学校不是受援学校');
  out.push(r.minYearsOfService != null ? `教龄满 ${r.minYearsOfService} 年（截至服务期开始）` : '教龄不限');
  out.push(r.minTitle ? `职称${r.minTitle}及以上` : '职称不限');
  if (r.kindergartenMinTitle) out.push(`幼儿园教师职称放宽至${r.kindergartenMinTitle}及以上`);
  if (r.minBackboneLevel) out.push(`${BACKBONE_LABELS[r.minBackboneLevel]}及以上骨干教师`);
  if (r.maxAgeMale != null) out.push(`男教师不超过 ${r.maxAgeMale} 周岁`);
  if (r.maxAgeFemale != null) out.push(`女教师不超过 ${r.maxAgeFemale} 周岁`);
  if (r.appraisalsQualified) out.push('近三年年度考核合格');
  if (r.notOnProbation) out.push('不在试用期内');
  if (r.notSpecialPost) out.push('非特岗教师');
  if (r.minPutonghua) out.push(`普通话${r.minPutonghua}及以上（已登记等级的教师）`);
  return out;
}

/** The split of the funding standard in words. */
export function stipendItemsText(s: SchemeDto): string {
  const i = s.stipendItems;
  const travel =
    i.travelMode === 'PER_TRIP'
      ? `每次 ${yuan(i.travelFen)} × ${i.travelTrips} 次`
      : `${yuan(i.travelFen)}（一次性包干）`;
  return `工作补助 ${yuan(i.workSubsidyFen)}（按在岗天数按月折算）；交通差旅费 ${travel}；意外保险 ${yuan(i.insuranceFen)}（付给保险公司）`;
}

/** Why the scheme's default rules are what they are (西部隆起带: the bureau's own choice). */
export function rulesSource(s: SchemeDto): string {
  return s.kind === 'WESTERN_BELT'
    ? '西部经济隆起带计划没有国家统一的选派条件，默认条件由本局自定（可在「默认选派条件」中修改），各计划可单独调整。'
    : '默认条件取自国家“三区”人才支持计划教师专项计划通知（2021–2025），各计划可单独调整。';
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
