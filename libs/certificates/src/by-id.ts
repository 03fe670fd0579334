import { EntityManager, In } from 'typeorm';

/** Rows by id in a few batched queries (ids ≤ 0 are skipped); `select` limits the columns. */
export async function byId<T extends { id: number }>(
  em: EntityManager,
  entity: new () => T,
  ids: number[],
  select?: Record<string, boolean>,
): Promise<Map<number, T>> {
  const unique = [...new Set(ids.filter((id) => id > 0))];
  const out = new Map<number, T>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await em.find(entity, {
      where: { id: In(unique.slice(i, i + 500)) } as never,
      ...(select ? { select: select as never } : {}),
    });
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}
