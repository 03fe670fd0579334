import { createPrivateKey, randomBytes } from 'node:crypto';
import { loadMessagingConfig, MailConfig, SmsConfig } from './messaging-config';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';

/**
 * The application's validated configuration. Built once at boot from the environment
 * by {@link loadAppConfig}; injected by class token so nothing reads process.env later.
 */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly port!: number;
  readonly databaseUrl!: string;
  readonly jwtSecret!: string;
  /** True when no JWT_SECRET was given and a random one was generated for this start. */
  readonly jwtSecretGenerated!: boolean;
  readonly jwtExpiresIn!: string;
  readonly publicBaseUrl!: string;
  /** The first admin's password on an empty database; undefined → generate and print once. */
  readonly adminPassword?: string;
  readonly logLevel!: string;
  readonly platformName!: string;
  /** First year of the five-year credit-hour cycles (继续教育学时周期): 2016 → 2016–2020, 2021–2025 … */
  readonly creditCycleStartYear!: number;
  /** Ed25519 private key (PKCS#8 PEM) that signs check-in passes; undefined → one kept in the database. */
  readonly checkinPassPrivateKey?: string;
  /** E-mail through SMTP; null → no e-mail. */
  readonly mail!: MailConfig | null;
  /** SMS through Aliyun or Tencent Cloud; null → no SMS (and no password reset by SMS). */
  readonly sms!: SmsConfig | null;
  /**
   * How often each process looks for reminders due (REMINDER_INTERVAL_SECONDS, default 60, 0 under
   * NODE_ENV=test where suites call the scheduler themselves; 0 = never). Every process runs it; the database sends each once.
   */
  readonly reminderIntervalMs!: number;
  /** A leave request still PENDING this many hours after it was made reminds the trainers (REMINDER_LEAVE_HOURS, default 24). */
  readonly reminderLeaveHours!: number;
  /**
   * How long a process holds the outbox rows it claimed (DELIVERY_CLAIM_SECONDS, default 60): a
   * process killed mid-send leaves them to another process after this.
   */
  readonly deliveryClaimMs!: number;
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of the app (TRUSTED_PROXIES). Only a
   * request from one of them has its X-Forwarded-For read; empty (the default): never read.
   */
  readonly trustedProxies!: string[];
  /**
   * Worker threads for PDF batches, archives and import parsing (WORKER_THREADS, default one fewer than
   * the cores, at least one): the event loop keeps a core for the light requests.
   */
  readonly workerThreads!: number;
}

/** One TRUSTED_PROXIES entry: an IPv4/IPv6 address, a CIDR range, or proxy-addr's names for ranges. */
function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [addr, bits, extra] = entry.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置无效 (invalid configuration):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'sqlite:data/shipei.sqlite';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Validates the environment and returns the typed config, or throws one error listing every problem. */
export function loadAppConfig(env: Record<string, string | undefined>): AppConfig {
  const problems: string[] = [];
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${env.NODE_ENV}")`);
  }

  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number between 0 and 65535 (got "${portText}")`);
  }

  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^(sqlite:.+|mysql:\/\/.+|mariadb:\/\/.+)$/.test(databaseUrl)) {
    problems.push('DATABASE_URL must look like sqlite:data/shipei.sqlite or mysql://user:pass@host:3306/db');
  }

  let jwtSecret = env.JWT_SECRET ?? '';
  let jwtSecretGenerated = false;
  if (!jwtSecret) {
    if (nodeEnv === 'production') {
      problems.push('JWT_SECRET is required when NODE_ENV=production (use at least 32 random characters)');
    } else {
      jwtSecret = randomBytes(32).toString('base64url');
      jwtSecretGenerated = true;
    }
  } else if (jwtSecret.length < 32 && nodeEnv === 'production') {
    problems.push('JWT_SECRET must be at least 32 characters long in production');
  }

  const jwtExpiresIn = env.JWT_EXPIRES_IN ?? '8h';
  if (!/^\d+[smhd]$/.test(jwtExpiresIn))
    problems.push(`JWT_EXPIRES_IN must look like 30m, 8h or 1d (got "${jwtExpiresIn}")`);

  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${Number.isFinite(port) ? port : 3000}`).replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\/[^\s]+$/.test(publicBaseUrl)) {
    problems.push(`PUBLIC_BASE_URL must be an http(s) URL (got "${env.PUBLIC_BASE_URL}")`);
  }

  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (
    adminPassword !== undefined &&
    !(adminPassword.length >= 8 && /[A-Za-z]/.test(adminPassword) && /\d/.test(adminPassword))
  ) {
    problems.push('ADMIN_PASSWORD must have at least 8 characters with letters and digits');
  }

  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const cycleText = env.CREDIT_CYCLE_START_YEAR ?? '2016';
  const creditCycleStartYear = Number(cycleText);
  if (!/^\d{4}$/.test(cycleText) || creditCycleStartYear < 1990 || creditCycleStartYear > 2100) {
    problems.push(`CREDIT_CYCLE_START_YEAR must be a year between 1990 and 2100 (got "${cycleText}")`);
  }

  // PEM with its line breaks is awkward in an environment variable: "\n" escapes are accepted too.
  const checkinPassPrivateKey = env.CHECKIN_PASS_PRIVATE_KEY?.replace(/\\n/g, '\n') || undefined;
  if (checkinPassPrivateKey) {
    let type: string | undefined;
    try {
      type = createPrivateKey(checkinPassPrivateKey).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'ed25519') problems.push('CHECKIN_PASS_PRIVATE_KEY must be an Ed25519 private key in PKCS#8 PEM');
  }
  const { mail, sms } = loadMessagingConfig(env, problems);
  // Off by default under test: suites that set the Clock would otherwise see reminders of their own dates.
  const intervalText = env.REMINDER_INTERVAL_SECONDS ?? (nodeEnv === 'test' ? '0' : '60');
  if (!/^\d+(\.\d+)?$/.test(intervalText) || Number(intervalText) > 86_400)
    problems.push(`REMINDER_INTERVAL_SECONDS must be a number of seconds up to 86400, 0 = off (got "${intervalText}")`);
  const leaveText = env.REMINDER_LEAVE_HOURS ?? '24';
  if (!/^\d+$/.test(leaveText) || Number(leaveText) < 1 || Number(leaveText) > 720)
    problems.push(`REMINDER_LEAVE_HOURS must be a whole number of hours from 1 to 720 (got "${leaveText}")`);
  const claimText = env.DELIVERY_CLAIM_SECONDS ?? '60';
  if (!/^\d+$/.test(claimText) || Number(claimText) < 1 || Number(claimText) > 3600)
    problems.push(`DELIVERY_CLAIM_SECONDS must be a whole number of seconds from 1 to 3600 (got "${claimText}")`);
  const trustedProxies = (env.TRUSTED_PROXIES ?? '').split(/[\s,]+/).filter(Boolean);
  const badProxies = trustedProxies.filter((p) => !isProxyEntry(p));
  if (badProxies.length)
    problems.push(
      `TRUSTED_PROXIES must list IP addresses or CIDR ranges, e.g. 10.0.0.0/8 (got "${badProxies.join(', ')}")`,
    );

  const threadsText = env.WORKER_THREADS ?? String(Math.max(1, availableParallelism() - 1));
  if (!/^\d+$/.test(threadsText) || Number(threadsText) < 1 || Number(threadsText) > 64)
    problems.push(`WORKER_THREADS must be a whole number from 1 to 64 (got "${threadsText}")`);

  if (problems.length) throw new ConfigError(problems);
  return Object.assign(new AppConfig(), {
    nodeEnv,
    port,
    databaseUrl,
    jwtSecret,
    jwtSecretGenerated,
    jwtExpiresIn,
    publicBaseUrl,
    adminPassword,
    logLevel,
    platformName: env.PLATFORM_NAME ?? '临沂市教师培训与人才支持管理平台',
    creditCycleStartYear,
    checkinPassPrivateKey,
    mail,
    sms,
    reminderIntervalMs: Math.round(Number(intervalText) * 1000),
    reminderLeaveHours: Number(leaveText),
    deliveryClaimMs: Number(claimText) * 1000,
    trustedProxies,
    workerThreads: Number(threadsText),
  });
}
