import { readFileSync } from 'node:fs';
import type { Sip2Encoding } from './sip2-message';

/** Where the ILS's SIP2 service is and how to talk to it, from `SIP2_URL`. */
export interface Sip2Settings {
  host: string;
  port: number;
  tls: boolean;
  /** Login (93) user and password; no login is sent when the user is empty. */
  user: string;
  password: string;
  /** CP: the location code the ILS knows this service by. */
  location: string;
  /** AO: the institution id. */
  institution: string;
  /** AC: the terminal password, when the ILS asks for one. */
  terminalPassword: string;
  /** Milliseconds to connect, or to get each answer. */
  timeoutMs: number;
  /** Logged-in connections kept open at most. */
  poolSize: number;
  encoding: Sip2Encoding;
  /** PEM certificates to trust for TLS instead of the system's (an ILS with its own CA). */
  ca: string | undefined;
}

export class Sip2SettingsError extends Error {}

const KNOWN = [
  'location',
  'institution',
  'tls',
  'timeout',
  'pool',
  'terminalPassword',
  'encoding',
  'ca',
];

const EXAMPLE = 'sip2://user:password@ils.example.org:6001?location=CODE&institution=ID';

/**
 * Reads `sip2://user:password@host:6001?location=CODE&institution=ID`. `sip2s://` or `tls=true`
 * for TLS; `timeout` in seconds (default 5); `pool` connections (default 2); `terminalPassword`
 * (AC); `encoding` `utf8` (default) or `latin1`; `ca`, a PEM file of certificates to trust for TLS.
 */
export function parseSip2Url(raw: string): Sip2Settings {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Sip2SettingsError(`SIP2_URL must be a URL like ${EXAMPLE}.`);
  }
  if (url.protocol !== 'sip2:' && url.protocol !== 'sip2s:')
    throw new Sip2SettingsError(`SIP2_URL must start with sip2:// or sip2s://, like ${EXAMPLE}.`);
  if (!url.hostname)
    throw new Sip2SettingsError(`SIP2_URL must name the ILS host, like ${EXAMPLE}.`);
  const unknown = [...url.searchParams.keys()].filter((key) => !KNOWN.includes(key));
  if (unknown.length)
    throw new Sip2SettingsError(
      `SIP2_URL has unknown setting ${unknown.join(', ')}; known: ${KNOWN.join(', ')}.`,
    );
  const q = (name: string) => url.searchParams.get(name) ?? '';
  const tlsWord = q('tls').toLowerCase();
  if (tlsWord && !['true', 'false'].includes(tlsWord))
    throw new Sip2SettingsError(`SIP2_URL tls must be true or false, got "${q('tls')}".`);
  const timeout = q('timeout') === '' ? 5 : Number(q('timeout'));
  if (!Number.isFinite(timeout) || timeout < 0.05 || timeout > 120)
    throw new Sip2SettingsError(
      `SIP2_URL timeout must be a number of seconds from 0.05 to 120, got "${q('timeout')}".`,
    );
  const pool = q('pool') === '' ? 2 : Number(q('pool'));
  if (!Number.isInteger(pool) || pool < 1 || pool > 20)
    throw new Sip2SettingsError(
      `SIP2_URL pool must be a whole number from 1 to 20, got "${q('pool')}".`,
    );
  const encoding = q('encoding') || 'utf8';
  if (encoding !== 'utf8' && encoding !== 'latin1')
    throw new Sip2SettingsError(`SIP2_URL encoding must be utf8 or latin1, got "${encoding}".`);
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    throw new Sip2SettingsError('SIP2_URL has a badly escaped user name or password (a stray %).');
  }
  const values = [user, password, q('location'), q('institution'), q('terminalPassword')];
  if (values.some((v) => /[|\r\n]/.test(v)))
    throw new Sip2SettingsError('SIP2_URL values cannot hold "|" or line breaks.');
  return {
    ca: readCa(q('ca')),
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6001,
    tls: url.protocol === 'sip2s:' || tlsWord === 'true',
    user,
    password,
    location: q('location'),
    institution: q('institution'),
    terminalPassword: q('terminalPassword'),
    timeoutMs: Math.round(timeout * 1000),
    poolSize: pool,
    encoding,
  };
}

function readCa(path: string): string | undefined {
  if (!path) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new Sip2SettingsError(`SIP2_URL ca must name a readable PEM file, got "${path}".`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new Sip2SettingsError(`SIP2_URL ca must name a PEM file of certificates, got "${path}".`);
  return pem;
}
