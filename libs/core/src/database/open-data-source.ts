import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * Opens a data source. A `mysql://` URL may point at MySQL or MariaDB; TypeORM reads
 * their catalogues differently (MariaDB quotes defaults), so we ask the server and
 * reopen with the `mariadb` driver when it is one. Without this the drift check
 * reports changes that are not there.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'mysql') return new DataSource(options).initialize();
  const ds = await new DataSource(options).initialize();
  const [row] = await ds.query('SELECT VERSION() AS v');
  if (!/mariadb/i.test(String(row.v))) return ds;
  await ds.destroy();
  return new DataSource({ ...options, type: 'mariadb' } as DataSourceOptions).initialize();
}
