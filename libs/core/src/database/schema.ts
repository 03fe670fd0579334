import { TableColumnOptions, TableForeignKeyOptions, TableIndexOptions } from 'typeorm';

/**
 * Column builders for migrations. Migrations are written once with TypeORM's Table API
 * (not raw SQL), so the same file creates the same schema on SQLite and MySQL; the
 * drift test compares what they create with the entities on both engines.
 */
export const col = {
  id: (name = 'id'): TableColumnOptions => ({
    name,
    type: 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  }),
  int: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: 'integer',
    ...opts,
  }),
  str: (name: string, length: number, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    ...opts,
  }),
  text: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...opts }),
  // Defaults are raw SQL here: 1/0 is how both engines report a boolean default.
  bool: (name: string, def: boolean, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: 'boolean',
    default: def ? 1 : 0,
    ...opts,
  }),
  date: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'date', ...opts }),
  datetime: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: 'datetime',
    ...opts,
  }),
  decimal: (
    name: string,
    precision: number,
    scale: number,
    opts: Partial<TableColumnOptions> = {},
  ): TableColumnOptions => ({ name, type: 'decimal', precision, scale, ...opts }),
};

export function fk(
  columnNames: string[],
  referencedTableName: string,
  onDelete: TableForeignKeyOptions['onDelete'] = 'RESTRICT',
): TableForeignKeyOptions {
  return { columnNames, referencedTableName, referencedColumnNames: ['id'], onDelete, onUpdate: 'NO ACTION' };
}

export function index(name: string, columnNames: string[], isUnique = false): TableIndexOptions {
  return { name, columnNames, isUnique };
}
