import { BadInputError } from '@shipei/core';

/**
 * The list's sort key and its keyset cursor. A list is in id order, or in (name, id) order when it
 * searches a name prefix (served by the (countyId, name, id) and (name) indexes, so the search stops
 * after the page instead of sorting every match). A cursor is the key of a row, base64url JSON:
 * `[id]` or `[name, id]`; the next page is the rows after it in the same order.
 */
export type SortKey = { byName: false; id: number } | { byName: true; name: string; id: number };

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key.byName ? [key.name, key.id] : [key.id])).toString('base64url');
}

export function decodeCursor(cursor: string, byName: boolean, field: 'after' | 'before'): SortKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  const ok = (id: unknown): id is number => Number.isSafeInteger(id) && (id as number) > 0;
  if (Array.isArray(value)) {
    if (!byName && value.length === 1 && ok(value[0])) return { byName: false, id: value[0] };
    if (byName && value.length === 2 && typeof value[0] === 'string' && value[0].length <= 50 && ok(value[1]))
      return { byName: true, name: value[0], id: value[1] };
  }
  const message = `翻页位置（${field}）无效或与查询条件不符，请从第一页重新查询`;
  throw new BadInputError('INVALID_CURSOR', message, { errors: [{ field, message }] });
}
