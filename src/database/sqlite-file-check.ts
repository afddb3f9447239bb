import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A database the service must not start on; its message is one line that names the file. */
export class DatabaseStartupError extends Error {}

/** From this size on, the damage scan runs in a worker thread (see `startSqliteScan`). */
const SCAN_IN_WORKER_FROM_BYTES = 32 * 1024 * 1024;

/**
 * What this process knows of its SQLite files: those found sound (`checked`), and the damage
 * scans started in a worker thread, by path (`scanning`, see `startSqliteScan`), each settling
 * with the problem found or null. The server's loader (server-loader.ts) and the server are two
 * bundles, each with its own copy of this module (and of `DatabaseStartupError`): the state is
 * kept on globalThis, and holds only plain values, so that the server waits for the scan the
 * loader started instead of starting another.
 */
interface SqliteFileState {
  checked: Set<string>;
  scanning: Map<string, Promise<string | null>>;
}
const STATE = Symbol.for('dml.sqliteFiles');
const { checked, scanning } = ((globalThis as Record<symbol, SqliteFileState>)[STATE] ??= {
  checked: new Set(),
  scanning: new Map(),
});

/**
 * Checks the SQLite file before the service opens it, so that a damaged, foreign or read-only
 * file stops the start with one clear line instead of a late failure or a long retry: the folder
 * must be writable (SQLite keeps its journal beside the file), the file a database that passes
 * `PRAGMA quick_check`, made by this service (or empty), and open for writing.
 */
export function checkSqliteFile(file: string, options: { scan: boolean } = { scan: true }): void {
  if (file === ':memory:') return;
  const path = resolve(file);
  // The server checks before Nest starts and the data source again on opening: once is enough.
  if (checked.has(path)) return;
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new DatabaseStartupError(
      `The database folder ${folder} cannot be written to (${codeOf(error)}).`,
    );
  }
  if (existsSync(path)) {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new DatabaseStartupError(`The database file ${path} is read-only (${codeOf(error)}).`);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new DatabaseStartupError(
      `The database file ${path} cannot be opened (${codeOf(error)}).`,
    );
  }
  try {
    inspect(db, path, options.scan);
  } finally {
    db.close();
  }
  if (options.scan) checked.add(path);
}

/**
 * Starts the damage scan of `checkSqliteFile` (`PRAGMA quick_check`, which reads every page: half
 * a second for 500,000 bookings); run `checkSqliteFile(file, { scan: false })` first. A small file
 * is scanned at once (a damaged one throws the start-up error). A large one is scanned in a worker
 * thread, so that the server can load its modules and build the app meanwhile: whatever opens the
 * file awaits `sqliteFileScanned` first. Once the file is found sound, `checkSqliteFile` does not
 * scan it again.
 */
export function startSqliteScan(file: string): void {
  const path = resolve(file);
  if (file === ':memory:' || checked.has(path) || scanning.has(path)) return;
  // A small file is scanned in less time than a worker takes to start.
  if (!existsSync(path) || statSync(path).size < SCAN_IN_WORKER_FROM_BYTES) {
    const problem = existsSync(path) ? scanForDamage(path) : null;
    if (problem) throw new DatabaseStartupError(problem);
    checked.add(path);
    return;
  }
  const scan = scanInWorker(path).then((problem) => {
    if (!problem) checked.add(path);
    return problem;
  });
  scanning.set(path, scan);
}

/**
 * Settles when the file's scan started by `startSqliteScan` has: resolves when the file is sound,
 * rejects with the start-up error when it is not. Resolves at once when no scan was started.
 */
export async function sqliteFileScanned(file: string): Promise<void> {
  const problem = await scanning.get(resolve(file));
  if (problem) throw new DatabaseStartupError(problem);
}

/** Settles with the worker's verdict: the problem's one line, or null when the file is sound. */
function scanInWorker(path: string): Promise<string | null> {
  return new Promise((settle) => {
    const worker = new Worker(join(__dirname, 'sqlite-scan.worker.js'), { workerData: { path } });
    worker.once('message', (verdict: ScanVerdict) => settle(verdict.problem));
    worker.once('error', (error) => settle(`The check of ${path} failed (${codeOf(error)}).`));
    worker.once('exit', (code) => {
      if (code !== 0) settle(`The check of ${path} stopped (${code}).`);
    });
  });
}

/** What the scan worker reports: nothing wrong, or the start-up error's one line. */
export interface ScanVerdict {
  problem: string | null;
}

/** The damage scan itself, on a file opened read-only: null when sound, else the line to print. */
export function scanForDamage(path: string): string | null {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    return `The database file ${path} cannot be opened (${codeOf(error)}).`;
  }
  try {
    scan(db, path);
    return null;
  } catch (error) {
    if (error instanceof DatabaseStartupError) return error.message;
    throw error;
  } finally {
    db.close();
  }
}

function scan(db: Database.Database, path: string): void {
  let verdict: unknown;
  try {
    verdict = db.pragma('quick_check', { simple: true });
  } catch (error) {
    throw unreadable(error, path);
  }
  if (verdict !== 'ok')
    throw new DatabaseStartupError(
      `The database file ${path} is damaged: ${String(verdict).split('\n')[0]}.`,
    );
}

function unreadable(error: unknown, path: string): DatabaseStartupError {
  const code = codeOf(error);
  if (code === 'SQLITE_NOTADB')
    return new DatabaseStartupError(`${path} is not a SQLite database.`);
  return new DatabaseStartupError(`The database file ${path} is damaged (${code}).`);
}

function inspect(db: Database.Database, path: string, withScan: boolean): void {
  if (withScan) scan(db, path);
  let tables: string[];
  try {
    tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string }[]
    ).map((t) => t.name);
  } catch (error) {
    throw unreadable(error, path);
  }
  if (tables.length > 0 && !tables.includes('migrations'))
    throw new DatabaseStartupError(
      `${path} holds another program's tables (${tables.slice(0, 3).join(', ')}), not the lab's.`,
    );
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
  } catch (error) {
    throw new DatabaseStartupError(
      `The database file ${path} cannot be written to (${codeOf(error)}).`,
    );
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
