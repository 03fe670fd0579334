import type { Page } from '@shipei/core';

export const PAGE_SIZE = 20;

export interface PagerView {
  total: number;
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
