import { ServiceUnavailableException } from '@nestjs/common';

/** What is wrong with the place the lab keeps its records, as `/health` names it. */
export type StorageFault = 'full' | 'read-only' | 'down';

/** SQLite result codes, PostgreSQL SQLSTATEs and Node errno codes that say the store failed. */
const EXACT: Record<string, StorageFault> = {
  SQLITE_FULL: 'full',
  SQLITE_CANTOPEN: 'down',
  SQLITE_NOTADB: 'down',
  // PostgreSQL: disk full, read-only transaction (a standby, or default_transaction_read_only).
  '53100': 'full',
  '25006': 'read-only',
  '57P01': 'down',
  '57P02': 'down',
  '57P03': 'down',
  // Files (uploads, the outbox) and sockets.
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'down',
  EPERM: 'down',
  EIO: 'down',
  ECONNREFUSED: 'down',
  ECONNRESET: 'down',
  ETIMEDOUT: 'down',
  EPIPE: 'down',
  ENOTFOUND: 'down',
  EAI_AGAIN: 'down',
};

const PREFIXES: [string, StorageFault][] = [
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_IOERR', 'down'],
  ['SQLITE_CORRUPT', 'down'],
  // PostgreSQL classes 53 (insufficient resources) and 08 (connection exception).
  ['53', 'down'],
  ['08', 'down'],
];

/** node-postgres says this, with no code, when the server goes away under a query. */
const LOST_CONNECTION =
  /Connection terminated|connection is closed|Client has encountered a connection error/i;

/**
 * The storage fault behind an error, or null when the error is something else (a rule, a
 * constraint, a bug). Looks through TypeORM's `QueryFailedError` to the driver's error.
 */
export function storageFault(error: unknown): StorageFault | null {
  if (!error || typeof error !== 'object') return null;
  const inner = (error as { driverError?: unknown }).driverError;
  const source = (inner && typeof inner === 'object' ? inner : error) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof source.code === 'string' ? source.code : '';
  if (code in EXACT) return EXACT[code];
  const prefixed = PREFIXES.find(([prefix]) => code.startsWith(prefix));
  if (prefixed && (prefixed[0].startsWith('SQLITE') || /^[0-9A-Z]{5}$/.test(code)))
    return prefixed[1];
  if (!code && typeof source.message === 'string' && LOST_CONNECTION.test(source.message))
    return 'down';
  return null;
}

const MESSAGES: Record<StorageFault, string> = {
  full: 'The lab’s storage is full, so this change was not saved. Please try again later.',
  'read-only':
    'The lab’s records can be read but not changed right now, so this change was not saved. Please try again later.',
  down: 'The lab’s records cannot be reached right now. Please try again in a few minutes.',
};

/** The `503` a patron sees for a storage fault. */
export function storageException(fault: StorageFault): ServiceUnavailableException {
  return new ServiceUnavailableException({
    code: fault === 'full' ? 'STORAGE_FULL' : 'STORAGE_UNAVAILABLE',
    message: MESSAGES[fault],
  });
}
