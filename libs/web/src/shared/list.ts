import type { Page } from '@shipei/core';

export const PAGE_SIZE = 20;

export interface PagerView {
  total: number;
  /** 共 / 约: whether the total is exact (a filtered list past 10,000 rows shows an estimate). */
  approx?: boolean;
  /** The last page a page number reaches (the 跳至 form's max). */
  maxJump?: number;
  pageSize: number;
  page: number;
  pages: number;
  prev: string | null;
  next: string | null;
  links: { page: number; href: string; current: boolean }[];
  /** The filters as hidden inputs for the 跳转 form. */
  hidden: { name: string; value: string }[];
}

/** Query string of the current filters (empty values dropped), for links that keep them. */
export function queryString(filters: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The pager under a list: 共 N 条, 每页 20 条, previous/next and a window of page numbers. */
export function pager(path: string, page: Page<unknown>, filters: Record<string, unknown>): PagerView {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const href = (n: number) => `${path}${queryString(filters, { page: n > 1 ? n : undefined })}`;
  const from = Math.max(1, Math.min(page.page - 2, pages - 4));
  const to = Math.min(pages, from + 4);
  const links = [];
  for (let n = from; n <= to; n++) links.push({ page: n, href: href(n), current: n === page.page });
  return {
    total: page.total,
    approx: (page as Partial<CursorPage>).totalExact === false,
    pageSize: page.pageSize,
    page: page.page,
    pages,
    prev: page.page > 1 ? href(page.page - 1) : null,
    next: page.page < pages ? href(page.page + 1) : null,
    links,
    hidden: Object.entries(filters)
      .filter(([k, v]) => k !== 'page' && v !== undefined && v !== null && v !== '')
      .map(([name, value]) => ({ name, value: String(value) })),
  };
}

/** The filter values of a list as the form shows them back (strings; unknown keys dropped). */
export function pickFilters(query: Record<string, unknown> | undefined, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = query?.[n];
    const s = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof s === 'string' && s.trim() !== '') out[n] = s.trim().slice(0, 100);
  }
  return out;
}

/** Page numbers reached by offset (cheap: ≤ 80 rows skipped); further pages go by cursor. */
const NUMBERED_PAGES = 5;
/** The 跳至 form's furthest page: its offset (≤ 10,000 rows skipped) stays bounded. */
const MAX_JUMP_PAGE = 500;

/** A page of a keyset-paged list (the teacher list): cursors to the pages beside it, an exact or estimated total. */
export interface CursorPage<T = unknown> extends Page<T> {
  totalExact: boolean;
  next: string | null;
  prev: string | null;
}

/**
 * The pager of a keyset-paged list: numbered links for the first five pages (by offset), 上一页 /
 * 下一页 by cursor (`before=` / `after=`, with `page=` carried only as the number shown), so a deep
 * page costs what the first does; 跳至 reaches page 500 at most. An estimated total shows as 约 N.
 */
export function cursorPager(path: string, page: CursorPage, filters: Record<string, unknown>): PagerView {
  const { after: _a, before: _b, page: _p, ...keep } = filters;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize), page.next ? page.page + 1 : page.page);
  const numbered = (n: number) => `${path}${queryString(keep, { page: n > 1 ? n : undefined })}`;
  const cursor = (key: 'after' | 'before', value: string, n: number) =>
    n <= NUMBERED_PAGES ? numbered(n) : `${path}${queryString(keep, { [key]: value, page: n })}`;
  const links = [];
  for (let n = 1; n <= Math.min(pages, NUMBERED_PAGES); n++)
    links.push({ page: n, href: numbered(n), current: n === page.page });
  if (page.page > NUMBERED_PAGES) links.push({ page: page.page, href: '', current: true });
  return {
    total: page.total,
    approx: !page.totalExact,
    maxJump: Math.min(pages, MAX_JUMP_PAGE),
    pageSize: page.pageSize,
    page: page.page,
    pages,
    prev: page.prev && page.page > 1 ? cursor('before', page.prev, page.page - 1) : page.page > 1 ? numbered(1) : null,
    next: page.next ? cursor('after', page.next, page.page + 1) : null,
    links,
    hidden: Object.entries(keep)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([name, value]) => ({ name, value: String(value) })),
  };
}
