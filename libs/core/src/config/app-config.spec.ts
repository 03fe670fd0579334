import { ConfigError, loadAppConfig } from './app-config';

describe('loadAppConfig', () => {
  it('defaults to SQLite under data/ and port 3000', () => {
    const cfg = loadAppConfig({});
    expect(cfg.databaseUrl).toBe('sqlite:data/shipei.sqlite');
    expect(cfg.port).toBe(3000);
    expect(cfg.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('generates a random JWT secret outside production and says so', () => {
    const a = loadAppConfig({});
    const b = loadAppConfig({});
    expect(a.jwtSecretGenerated).toBe(true);
    expect(a.jwtSecret).not.toBe(b.jwtSecret);
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses production without JWT_SECRET, naming the variable', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
  });

  it('lists every problem at once', () => {
    try {
      loadAppConfig({ PORT: 'abc', DATABASE_URL: 'postgres://x', ADMIN_PASSWORD: 'short' });
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(3);
    }
  });

  it('accepts a MySQL URL and trims the public base URL', () => {
    const cfg = loadAppConfig({
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/test',
      PUBLIC_BASE_URL: 'https://px.example.cn/',
    });
    expect(cfg.databaseUrl).toMatch(/^mysql:/);
    expect(cfg.publicBaseUrl).toBe('https://px.example.cn');
  });

  it('ticks reminders every minute, not under test unless asked, and refuses nonsense', () => {
    expect(loadAppConfig({}).reminderIntervalMs).toBe(60_000);
    expect(loadAppConfig({ NODE_ENV: 'test' }).reminderIntervalMs).toBe(0);
    expect(loadAppConfig({ NODE_ENV: 'test', REMINDER_INTERVAL_SECONDS: '0.2' }).reminderIntervalMs).toBe(200);
    expect(loadAppConfig({}).reminderLeaveHours).toBe(24);
    expect(() => loadAppConfig({ REMINDER_INTERVAL_SECONDS: 'soon' })).toThrow(/REMINDER_INTERVAL_SECONDS/);
    expect(() => loadAppConfig({ REMINDER_LEAVE_HOURS: '0' })).toThrow(/REMINDER_LEAVE_HOURS/);
  });
});
