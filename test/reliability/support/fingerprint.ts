import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * A fingerprint of every table's content, per table, to prove a refused request wrote nothing
 * (inserts, updates and deletes alike). MySQL/MariaDB: `CHECKSUM TABLE` of all tables in one
 * statement (the server hashes every row). SQLite: every row read and hashed here, rows sorted after
 * serialisation so the scan order does not matter; prefixed with the row count.
 */
export async function fingerprint(db: DataSource): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tables = [...new Set(db.entityMetadatas.map((m) => m.tableName))].sort();
  if (db.options.type !== 'better-sqlite3') {
    const rows: { Table: string; Checksum: string | number | null }[] = await db.query(
      `CHECKSUM TABLE ${tables.map((t) => db.driver.escape(t)).join(', ')}`,
    );
    for (const r of rows) out.set(r.Table.split('.').pop()!, String(r.Checksum));
    return out;
  }
  for (const table of tables) {
    const rows: unknown[] = await db.query(`SELECT * FROM ${db.driver.escape(table)}`);
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    out.set(table, `${rows.length} rows:${createHash('sha1').update(lines.join('\n')).digest('hex')}`);
  }
  return out;
}

/** Tables whose content differs (with their row counts before → after on SQLite). */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const count = (v?: string) => (v?.includes(' rows:') ? v.split(' rows:')[0] : '?');
  return [...after.keys()]
    .filter((k) => before.get(k) !== after.get(k))
    .map((k) => `${k} (rows ${count(before.get(k))} → ${count(after.get(k))})`);
}
