import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource } from 'typeorm';

/** What SQLite calls back, from this connection's own triggers, as a followed row changes. */
const CHANGED_FUNCTION = 'dml_followed_row_changed';

/** Past this many keys changed by one transaction, all of a name are taken as changed. */
const MOST_KEYS_OPEN = 1_000;
const EVERY_KEY = Symbol('every key');

export type RowChange = 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * On SQLite, how what the server holds in memory learns that the rows it was read from changed.
 * The server has one connection to the file, and every change it makes goes through it; other
 * processes (the staff command, a librarian's `sqlite3` shell) have connections of their own.
 *
 * - Changes through this connection, in whatever form (an entity, a query builder, SQL written
 *   by hand), are told by temporary triggers, which only this connection runs, as each row
 *   changes. A change inside a transaction is told again once the transaction is over, committed
 *   or undone: SQLite shows an open transaction's rows to every read of the process, so whatever
 *   was read meanwhile may have been read from rows that are then taken back.
 * - Commits by any other connection show as a new `PRAGMA data_version` (`epoch`).
 *
 * Inactive (every method a no-op) on PostgreSQL, where `CatalogListener` hears changes instead.
 */
@Injectable()
export class SqliteChanges {
  private readonly db: Database | null;
  private readonly dataVersion: Statement | null;
  private seenVersion: unknown = undefined;
  private epochs = 0;
  private checkedThisTurn = false;
  private readonly followers = new Map<string, (key: unknown) => void>();
  /** What the transaction still open has changed, by name, told again as it ends. */
  private open = new Map<string, Set<unknown> | typeof EVERY_KEY>();

  constructor(@InjectDataSource() dataSource: DataSource) {
    if (dataSource.options.type !== 'better-sqlite3') {
      this.db = null;
      this.dataVersion = null;
      return;
    }
    const db = (dataSource.driver as unknown as { databaseConnection: Database })
      .databaseConnection;
    this.db = db;
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    db.function(CHANGED_FUNCTION, { deterministic: false }, (name: unknown, key: unknown) => {
      this.told(String(name), key);
      return null;
    });
  }

  get active(): boolean {
    return this.db !== null;
  }

  /**
   * Calls `changed` with a column of the row (of the old and of the new row, on an update; null
   * when `column` is) each time a row of `table` is changed by one of `changes` through this
   * connection, and once more for each such change as its transaction ends (with null when the
   * transaction changed too many rows to name them all).
   */
  follow(
    name: string,
    table: string,
    changes: RowChange[],
    column: string | null,
    changed: (key: unknown) => void,
  ): void {
    const db = this.db;
    if (!db) return;
    if (!/^\w+$/.test(name) || !/^\w+$/.test(table) || (column && !/^\w+$/.test(column)))
      throw new Error(`Not a name to follow: ${name} ${table} ${column}`);
    this.followers.set(name, changed);
    for (const change of changes) {
      const rows = change === 'INSERT' ? ['NEW'] : change === 'DELETE' ? ['OLD'] : ['OLD', 'NEW'];
      const calls = rows
        .map(
          (row) =>
            `SELECT ${CHANGED_FUNCTION}('${name}', ${column ? `${row}.${column}` : 'NULL'});`,
        )
        .join(' ');
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS followed_${name}_${change.toLowerCase()} AFTER ${change} ON main.${table} BEGIN ${calls} END`,
      );
    }
  }

  /**
   * A number that moves on each time another connection is found to have committed to the file.
   * The file is asked at most once per turn of the event loop: a commit made elsewhere within
   * that turn is seen on the next, as if it had come a moment later.
   */
  epoch(): number {
    if (!this.dataVersion || this.checkedThisTurn) return this.epochs;
    this.checkedThisTurn = true;
    setImmediate(() => {
      this.checkedThisTurn = false;
    });
    const version = this.dataVersion.get();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.epochs += 1;
    }
    return this.epochs;
  }

  /**
   * Whether a transaction still open has changed rows followed as `name` (with this key, if
   * given), once `settle` has told again the changes of a transaction that is over.
   */
  changing(name: string, key?: unknown): boolean {
    if (!this.settle()) return false;
    const keys = this.open.get(name);
    if (!keys) return false;
    return key === undefined || keys === EVERY_KEY || keys.has(key);
  }

  /**
   * Tells the followers once more of the changes of a transaction now over; whether one is open
   * that has changed followed rows.
   */
  settle(): boolean {
    if (this.open.size === 0) return false;
    if (this.db!.inTransaction) return true;
    const ended = this.open;
    this.open = new Map();
    for (const [name, keys] of ended) {
      const changed = this.followers.get(name);
      if (keys === EVERY_KEY) changed?.(null);
      else for (const key of keys) changed?.(key);
    }
    return false;
  }

  private told(name: string, key: unknown): void {
    this.followers.get(name)?.(key);
    if (!this.db!.inTransaction) return;
    const keys = this.open.get(name);
    if (keys === EVERY_KEY) return;
    if (!keys) this.open.set(name, new Set([key]));
    else if (keys.size < MOST_KEYS_OPEN) keys.add(key);
    else this.open.set(name, EVERY_KEY);
  }
}
