import { connectionOptions, redactDatabaseUrl } from './database-url';
import { dialectOf } from './dialect';

describe('connectionOptions', () => {
  it('reads a sqlite path', () => {
    const o = connectionOptions('sqlite::memory:') as any;
    expect(o.type).toBe('better-sqlite3');
    expect(o.database).toBe(':memory:');
    expect(dialectOf('sqlite:data/x.sqlite')).toBe('sqlite');
  });

  it('reads a mysql URL with an encoded password', () => {
    const o = connectionOptions('mysql://app:p%40ss@db.local:3307/shipei') as any;
    expect(o).toMatchObject({
      type: 'mysql',
      host: 'db.local',
      port: 3307,
      username: 'app',
      password: 'p@ss',
      database: 'shipei',
    });
    expect(o.charset).toMatch(/^utf8mb4/);
  });

  it('hides the password for logs', () => {
    expect(redactDatabaseUrl('mysql://app:secret@h:1/db')).toBe('mysql://app:***@h:1/db');
  });
});
