import { isIP } from 'node:net';
import { IANAZone } from 'luxon';
import { supportedLocale } from '../common/house-style';
import { parseSip2Url, type Sip2Settings, Sip2SettingsError } from '../sip2/sip2-settings';
import { DEFAULT_DATABASE_URL, sqliteFileOf } from './sqlite-file';

export type DatabaseKind = 'sqlite' | 'postgres';

/** What Express's `trust proxy` takes: all or none, a number of hops, or addresses and subnets. */
export type TrustProxy = boolean | number | string[];

/** Typed, validated settings; built once from the environment at start. */
export class AppConfig {
  port: number;
  databaseUrl: string;
  databaseKind: DatabaseKind;
  /** File path for SQLite (`:memory:` allowed); unused on Postgres. */
  sqlitePath: string;
  timezone: string;
  /** BCP 47 locale every date and time for people is written in (`LIBRARY_LOCALE`). */
  locale: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  /** Seconds an SMTP server may keep the worker waiting (connecting, greeting, each reply). */
  smtpTimeoutSeconds: number;
  /** The sender of every e-mail. */
  mailFrom: MailAddress;
  /** Days the `.eml` files in the outbox folder and delivered messages' records are kept. */
  outboxKeepDays: number;
  demoUsers: boolean;
  production: boolean;
  logLevel: string;
  sessionHours: number;
  trustProxy: TrustProxy | undefined;
  /** Requests per minute allowed from one address on the API at large. */
  apiRatePerMinute: number;
  /** Sign-ins and registrations allowed from one address per 15 minutes. */
  authRatePer15Minutes: number;
  /** Where rate-limit counters are shared between instances; unset, each counts in memory. */
  redisUrl: string | undefined;
  /** Put before every key this service writes to Redis. */
  redisKeyPrefix: string;
  dataDir: string;
  /** Minutes after the start a booking may still be checked in before it is a no-show. */
  noShowGraceMinutes: number;
  /** This many no-shows within `noShowWindowDays` pause booking for `suspensionDays`. */
  noShowLimit: number;
  noShowWindowDays: number;
  suspensionDays: number;
  /** Hours before the start the reminder e-mail goes out. */
  reminderHours: number;
  /** Minutes before the start the desk may check a patron in. */
  checkInEarlyMinutes: number;
  /** Upcoming bookings one patron may hold across the whole lab at once; 0 means no cap. */
  maxLiveBookingsPerPatron: number;
  /** Months a certification lasts unless staff set otherwise; 0 means it does not expire. */
  certificationMonths: number;
  /** Whether this instance runs the every-minute sweeps (no-shows, reminders). */
  scheduledJobs: boolean;
  /** Who checks a patron's card and PIN: this service (`local`) or the library's ILS (`sip2`). */
  patronAuth: PatronAuth;
  /** The ILS's SIP2 service; set exactly when `patronAuth` is `sip2`. */
  sip2: Sip2Settings | undefined;
}

export type PatronAuth = 'local' | 'sip2';

export interface MailAddress {
  name: string;
  address: string;
}

export class ConfigError extends Error {}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return Number(raw);
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = BOOLEAN_WORDS[raw.trim().toLowerCase()];
  if (value === undefined) throw new ConfigError(`${name} must be true or false, got "${raw}".`);
  return value;
}

function readUrl(
  env: Env,
  name: string,
  fallback: string | undefined,
  protocols: string[],
): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}".`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}, got "${raw}".`);
  }
  try {
    // Drivers decode the user name and password when they connect; fail here, not there.
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new ConfigError(`${name} has a badly escaped user name or password (a stray %).`);
  }
  return raw.replace(/\/+$/, '');
}

export function databaseKindOf(url: string): DatabaseKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${url}".`);
}

/** Validates the environment; throws a ConfigError naming the first bad variable. */
export function loadAppConfig(env: Env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const databaseKind = databaseKindOf(databaseUrl);
  if (databaseKind === 'postgres')
    readUrl(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const sqlitePath = databaseKind === 'sqlite' ? (sqliteFileOf(env) ?? '') : '';
  if (databaseKind === 'sqlite' && sqlitePath === '') {
    throw new ConfigError(
      'DATABASE_URL must name a file after sqlite:, e.g. sqlite:data/dml.sqlite.',
    );
  }
  const timezone = env.LIBRARY_TIMEZONE || 'America/New_York';
  if (!IANAZone.isValidZone(timezone)) {
    throw new ConfigError(
      `LIBRARY_TIMEZONE must be an IANA time zone such as America/New_York, got "${timezone}".`,
    );
  }
  const publicUrl = readUrl(env, 'PUBLIC_URL', 'http://localhost:3000', ['http:', 'https:'])!;
  const config = new AppConfig();
  Object.assign(config, {
    port: readInt(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    databaseKind,
    sqlitePath,
    timezone,
    locale: readLocale(env),
    publicUrl,
    smtpUrl: readUrl(env, 'SMTP_URL', undefined, ['smtp:', 'smtps:']),
    smtpTimeoutSeconds: readInt(env, 'SMTP_TIMEOUT_SECONDS', 30, 1, 600),
    mailFrom: readMailFrom(env, publicUrl),
    outboxKeepDays: readInt(env, 'OUTBOX_KEEP_DAYS', 14, 1, 3650),
    demoUsers: readBool(env, 'DEMO_USERS', !production),
    production,
    logLevel: readLogLevel(env),
    sessionHours: readInt(env, 'SESSION_HOURS', 12, 1, 24 * 90),
    trustProxy: readTrustProxy(env),
    apiRatePerMinute: readInt(env, 'API_RATE_PER_MINUTE', 12000, 6000, 10_000_000),
    authRatePer15Minutes: readInt(env, 'AUTH_RATE_PER_15_MINUTES', 600, 300, 10_000_000),
    redisUrl: readUrl(env, 'REDIS_URL', undefined, ['redis:', 'rediss:']),
    redisKeyPrefix: readKeyPrefix(env),
    dataDir: env.DATA_DIR || 'data',
    noShowGraceMinutes: readInt(env, 'NO_SHOW_GRACE_MINUTES', 15, 1, 240),
    noShowLimit: readInt(env, 'NO_SHOW_LIMIT', 3, 1, 100),
    noShowWindowDays: readInt(env, 'NO_SHOW_WINDOW_DAYS', 60, 1, 730),
    suspensionDays: readInt(env, 'SUSPENSION_DAYS', 14, 1, 365),
    reminderHours: readInt(env, 'REMINDER_HOURS', 24, 1, 336),
    checkInEarlyMinutes: readInt(env, 'CHECK_IN_EARLY_MINUTES', 15, 0, 240),
    maxLiveBookingsPerPatron: readInt(env, 'MAX_LIVE_BOOKINGS_PER_PATRON', 0, 0, 1000),
    scheduledJobs: readBool(env, 'SCHEDULED_JOBS', true),
    certificationMonths: readInt(env, 'CERTIFICATION_MONTHS', 0, 0, 120),
    ...readPatronAuth(env),
  } satisfies AppConfig);
  return config;
}

function readLocale(env: Env): string {
  const raw = env.LIBRARY_LOCALE?.trim() || 'en-US';
  const locale = supportedLocale(raw);
  if (!locale) {
    throw new ConfigError(
      `LIBRARY_LOCALE must be a locale such as en-US or en-GB that this Node.js knows, got "${raw}".`,
    );
  }
  return locale;
}

/** `PATRON_AUTH` and, with `sip2`, the `SIP2_URL` it needs. */
function readPatronAuth(env: Env): Pick<AppConfig, 'patronAuth' | 'sip2'> {
  const mode = (env.PATRON_AUTH || 'local').trim().toLowerCase();
  if (mode !== 'local' && mode !== 'sip2')
    throw new ConfigError(`PATRON_AUTH must be local or sip2, got "${env.PATRON_AUTH}".`);
  const raw = env.SIP2_URL?.trim();
  if (mode === 'sip2' && !raw)
    throw new ConfigError(
      'SIP2_URL must be set when PATRON_AUTH=sip2, e.g. sip2://user:password@ils.example.org:6001?location=CODE&institution=ID.',
    );
  let sip2: Sip2Settings | undefined;
  try {
    // Checked even while unused, so a typo shows before someone switches PATRON_AUTH over.
    sip2 = raw ? parseSip2Url(raw) : undefined;
  } catch (error) {
    if (error instanceof Sip2SettingsError) throw new ConfigError(error.message);
    throw error;
  }
  return mode === 'sip2' ? { patronAuth: 'sip2', sip2 } : { patronAuth: 'local', sip2: undefined };
}

function readKeyPrefix(env: Env): string {
  const raw = env.REDIS_KEY_PREFIX;
  if (raw === undefined || raw === '') return 'dml:';
  if (!/^[A-Za-z0-9:._-]{1,64}$/.test(raw))
    throw new ConfigError(
      `REDIS_KEY_PREFIX must be 1 to 64 letters, digits or ":._-", got "${raw}".`,
    );
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readLogLevel(env: Env): string {
  const level = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${level}".`);
  }
  return level;
}

/** `MAIL_FROM`: `Name <address>` or a bare address; by default the lab at the public host. */
function readMailFrom(env: Env, publicUrl: string): MailAddress {
  const raw = env.MAIL_FROM?.trim();
  if (!raw) return { name: 'Digital Media Lab', address: `dml@${new URL(publicUrl).hostname}` };
  const match = /^(?:"?([^"<>]*?)"?\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(raw);
  const address = match?.[2] ?? match?.[3];
  if (!match || !address || !/^[^@\s]+@[^@\s]+$/.test(address) || /[\r\n]/.test(raw)) {
    throw new ConfigError(
      `MAIL_FROM must be an e-mail address, optionally with a name: "Digital Media Lab <dml@library.example>", got "${raw}".`,
    );
  }
  return { name: (match[1] ?? '').trim(), address };
}

/** Express's names for address ranges, accepted in TRUST_PROXY lists. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isSubnet(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  if (/^\d{1,3}$/.test(bits)) return Number(bits) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(bits) === 4;
}

/**
 * TRUST_PROXY as Express takes it: `true`/`false`, a number of proxies in front, or a list of
 * proxy addresses and subnets. Express itself would take the word `true` for an address and
 * stop with a stack trace.
 */
function readTrustProxy(env: Env): TrustProxy | undefined {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw.trim() === '') return undefined;
  const word = raw.trim().toLowerCase();
  if (word === 'true' || word === 'yes') return true;
  if (word === 'false' || word === 'no') return false;
  if (/^\d{1,3}$/.test(word)) return Number(word);
  const entries = word.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => PROXY_RANGES.includes(entry) || isSubnet(entry))) return entries;
  throw new ConfigError(
    'TRUST_PROXY must be true, false, a number of proxies, or proxy addresses and subnets ' +
      `separated by commas (e.g. loopback, 10.0.0.0/8), got "${raw}".`,
  );
}
