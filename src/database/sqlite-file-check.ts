import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A database the service must not start on; its message is one line that names the file. */
export class DatabaseStartupError extends Error {}

/** Files already found sound by this process. */
const checked = new Set<string>();

/**
 * Checks the SQLite file before the service opens it, so that a damaged, foreign or read-only
 * file stops the start with one clear line instead of a late failure or a long retry: the folder
 * must be writable (SQLite keeps its journal beside the file), the file a database that passes
 * `PRAGMA quick_check`, made by this service (or empty), and open for writing.
 */
export function checkSqliteFile(file: string): void {
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
    inspect(db, path);
  } finally {
    db.close();
  }
  checked.add(path);
}

function inspect(db: Database.Database, path: string): void {
  let verdict: unknown;
  try {
    verdict = db.pragma('quick_check', { simple: true });
  } catch (error) {
    const code = codeOf(error);
    if (code === 'SQLITE_NOTADB')
      throw new DatabaseStartupError(`${path} is not a SQLite database.`);
    throw new DatabaseStartupError(`The database file ${path} is damaged (${code}).`);
  }
  if (verdict !== 'ok')
    throw new DatabaseStartupError(
      `The database file ${path} is damaged: ${String(verdict).split('\n')[0]}.`,
    );
  const tables = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[]
  ).map((t) => t.name);
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
