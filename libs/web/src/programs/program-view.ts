import type { Actor } from '@shipei/core';
import { BACKBONE_LABELS, STAGES } from '@shipei/people';
import {
  PROGRAM_KIND_LABELS,
  PROGRAM_KINDS,
  PROGRAM_STATUSES,
  type ProgramDto,
  type ProgramKind,
} from '@shipei/programs';
import type { FormBody } from '../shared/forms';
import type { Crumb } from '../shared/page-renderer.service';
import { STATUS_TAGS } from '../shared/labels';

export type Option = { value: string | number; label: string };

export const KIND_OPTIONS: Option[] = PROGRAM_KINDS.map((k) => ({ value: k, label: PROGRAM_KIND_LABELS[k] }));
export const STATUS_OPTIONS: Option[] = PROGRAM_STATUSES.map((s) => ({
  value: s,
  label: STATUS_TAGS.program[s]?.[0] ?? s,
}));
export const STAGE_CHOICES: Option[] = STAGES.map((s) => ({ value: s, label: s }));
export const MIN_BACKBONE_OPTIONS: Option[] = (['COUNTY', 'CITY', 'PROVINCE'] as const).map((l) => ({
  value: l,
  label: `${BACKBONE_LABELS[l]}及以上骨干教师`,
}));

/** Kinds a role may create: the city its programs, a county only its thematic training (the service enforces it). */
export function creatableKinds(actor: Actor): Option[] {
  return actor.role === 'COUNTY_ADMIN'
    ? KIND_OPTIONS.filter((k) => k.value === 'COUNTY_THEMATIC')
    : KIND_OPTIONS.filter((k) => k.value !== 'COUNTY_THEMATIC');
}

export function kindLabel(kind: ProgramKind | string): string {
  return PROGRAM_KIND_LABELS[kind as ProgramKind] ?? kind;
}

/**
 * Whether the actor runs this program (the city every program, a county its thematic ones):
 * decides which buttons a page shows. The services decide what may be done.
 */
export function ownsProgram(actor: Actor, p: Pick<ProgramDto, 'ownerCountyId'>): boolean {
  // The city also oversees the counties' thematic programs (their access rule gives it write).
  if (actor.role === 'CITY_ADMIN') return true;
  return actor.role === 'COUNTY_ADMIN' && p.ownerCountyId !== null && p.ownerCountyId === actor.countyId;
}

/** A county nominates its teachers into open programs: the city's, or its own thematic ones. */
export function mayNominate(actor: Actor, p: Pick<ProgramDto, 'ownerCountyId' | 'status'>): boolean {
  return (
    actor.role === 'COUNTY_ADMIN' &&
    p.status === 'OPEN' &&
    (p.ownerCountyId === null || p.ownerCountyId === actor.countyId)
  );
}

export function programCrumbs(p?: Pick<ProgramDto, 'id' | 'title'>, extra: Crumb[] = []): Crumb[] {
  return [
    { label: '首页', href: '/app' },
    { label: '培训项目', href: '/app/programs' },
    ...(p ? [{ label: p.title, href: `/app/programs/${p.id}` }] : []),
    ...extra,
  ];
}

export interface Tab {
  label: string;
  href: string;
  current: boolean;
}

/** The sub-pages of one program, as tabs above its content. */
export function programTabs(actor: Actor, p: ProgramDto, current: string): Tab[] {
  const owner = ownsProgram(actor, p);
  const base = `/app/programs/${p.id}`;
  const tabs: [string, string, boolean][] = [
    ['overview', '概况', true],
    ['quotas', '名额分配', owner],
    [
      'nominate',
      '推荐教师',
      actor.role === 'COUNTY_ADMIN' && (p.ownerCountyId === null || p.ownerCountyId === actor.countyId),
    ],
    ['enrolments', owner ? '推荐审核' : '推荐名单', true],
    ['cohorts', '班级与分班', owner],
    ['dashboard', '分县区统计', true],
  ];
  return tabs
    .filter(([, , show]) => show)
    .map(([key, label]) => ({ label, href: key === 'overview' ? base : `${base}/${key}`, current: key === current }));
}

/** Ids ticked in a list (`name` repeated), as positive integers, at most `max`. */
export function tickedIds(body: FormBody | undefined, name = 'ids', max = 500): number[] {
  const raw = body?.[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return [...new Set(list.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))].slice(0, max);
}

/** A decimal number typed in a form (学时, 出勤率), or the text itself so the DTO's message shows. */
export function decimal(text: unknown): number | string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const t = text.trim();
  return /^-?\d{1,9}(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** 2019-06-30 + 17:00 (Shanghai) → an ISO 8601 instant with its offset; undefined when the date is empty. */
export function shanghaiInstant(date: string, time: string): string | undefined {
  if (!date) return undefined;
  return `${date}T${time || '00:00'}:00+08:00`;
}

/** An ISO instant as the date and time a Shanghai user types. */
export function splitShanghai(iso: string | null | undefined): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return { date: d.slice(0, 10), time: d.slice(11, 16) };
}

/** 0.8 → 80%; 0.8333 → 83.33% */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(Number(rate))) return '—';
  return `${Number((Number(rate) * 100).toFixed(2))}%`;
}

/** Hours as people write them: 48, 3.5. */
export function hours(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return String(Number(Number(n).toFixed(2)));
}
