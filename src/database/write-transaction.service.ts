import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rememberVersion } from './catalog-version';
import { StorageFault, storageException, storageFault } from './storage-errors';
import { withAppendedRows } from './rows';

export type WriteWork<T> = (manager: EntityManager) => Promise<T>;

/** How the write path fared last, for `/health`. */
export interface WriteOutcome {
  /** The storage fault of the last write that reached the database, or null when it worked. */
  fault: StorageFault | null;
  /** `Date.now()` when that was learned. */
  at: number;
}

/** A write running this long means the write path is stuck, not busy (busy_timeout is 5 s). */
export const STUCK_AFTER_MS = 15_000;

/** The parts of TypeORM's better-sqlite3 driver that say whether a transaction is open. */
interface SqliteDriverState {
  databaseConnection: { inTransaction: boolean; exec(sql: string): unknown };
  queryRunner?: { isTransactionActive: boolean; transactionDepth: number };
}

/**
 * The one way the app writes. On Postgres each call is a real transaction on its own pooled
 * connection. On SQLite TypeORM hands every caller the same connection, so concurrent
 * transactions would interleave on it (statements of one landing inside another, callers told OK
 * for rows that were rolled back); here calls wait in one FIFO queue and run one at a time, each
 * starting with a write so that it holds SQLite's write lock from its first statement, even
 * against another process on the same file.
 *
 * A write is either durable or refused. When SQLite fails a statement for lack of space it rolls
 * the transaction back itself; TypeORM's own ROLLBACK then fails and TypeORM goes on believing a
 * transaction is open, so every later "transaction" became a savepoint inside a transaction that
 * never committed, and patrons were told OK for writes a restart threw away. So after every write
 * the connection is checked with better-sqlite3's own `inTransaction`, rolled back and TypeORM's
 * state reset when needed, and a commit is only reported once SQLite is out of its transaction.
 * Storage faults are answered `503` (`STORAGE_FULL`, `STORAGE_UNAVAILABLE`) and remembered for
 * `/health`; the next write tries again, so the service recovers by itself when space returns.
 */
@Injectable()
export class WriteTransactionService {
  private readonly logger = new Logger('Writes');
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serialised: boolean;
  private readonly running = new Set<{ since: number }>();
  private outcome: WriteOutcome = { fault: null, at: 0 };
  /** Set when SQLite could not be brought out of a transaction: writes are refused until it is. */
  private wedged = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialised = dataSource.options.type !== 'postgres';
  }

  get onPostgres(): boolean {
    return !this.serialised;
  }

  get lastOutcome(): WriteOutcome {
    return this.outcome;
  }

  /** Whether a write has been running for longer than any healthy one does, or SQLite is wedged. */
  stuck(now = Date.now()): boolean {
    if (this.wedged) return true;
    for (const job of this.running) if (now - job.since > STUCK_AFTER_MS) return true;
    return false;
  }

  run<T>(work: WriteWork<T>): Promise<T> {
    if (!this.serialised)
      // READ COMMITTED, the session's default (see `dataSourceOptions`). Audit records and
      // queued e-mails go to the database together, as the work ends (`withAppendedRows`).
      return this.observed(() =>
        this.dataSource.transaction((manager) => withAppendedRows(manager, work)),
      );
    const result = this.tail.then(() => this.observed(() => this.runOnSqlite(work)));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * A cheap real write, for `/health`. On SQLite, after a write failed for lack of space, also
   * whether the file may still grow: updating the one lock row in place would succeed even then.
   */
  async probe(): Promise<void> {
    const wasFull = this.outcome.fault === 'full';
    await this.run(async (manager) => {
      await manager.query('UPDATE write_lock SET ticks = ticks + 1 WHERE id = 1');
      if (!this.serialised || !wasFull) return;
      const [pages, limit, free] = await Promise.all(
        ['page_count', 'max_page_count', 'freelist_count'].map(async (pragma) => {
          const rows = await manager.query<Record<string, number>[]>(`PRAGMA ${pragma}`);
          return Number(Object.values(rows[0])[0]);
        }),
      );
      if (pages >= limit && free === 0)
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
  }

  private async runOnSqlite<T>(work: WriteWork<T>): Promise<T> {
    this.leaveTransaction();
    if (this.wedged) throw storageException('down');
    try {
      const value = await this.dataSource.transaction(async (manager) => {
        // The same statement reads the catalog version, so the booking path needs no other.
        const rows = await manager.query<{ catalog_version: unknown }[]>(
          'UPDATE write_lock SET ticks = ticks + 1 WHERE id = 1 RETURNING (SELECT version FROM catalog_version WHERE id = 1) AS catalog_version',
        );
        rememberVersion(manager, rows[0]?.catalog_version);
        return work(manager);
      });
      if (this.sqlite().databaseConnection.inTransaction) {
        // TypeORM committed a savepoint, not the transaction: nothing is on disk yet.
        this.logger.error('A commit left SQLite inside a transaction; the write was not saved.');
        throw storageException('down');
      }
      return value;
    } finally {
      this.leaveTransaction();
    }
  }

  /** Times the write for `stuck()`, turns storage faults into `503`s and remembers the outcome. */
  private async observed<T>(write: () => Promise<T>): Promise<T> {
    const job = { since: Date.now() };
    this.running.add(job);
    try {
      const value = await write();
      this.outcome = { fault: null, at: Date.now() };
      return value;
    } catch (error) {
      const fault = storageFault(error);
      if (!fault) throw error;
      this.outcome = { fault, at: Date.now() };
      this.logger.warn(`A write failed for lack of storage (${fault}): ${String(error)}`);
      throw storageException(fault);
    } finally {
      this.running.delete(job);
    }
  }

  /** Makes sure SQLite and TypeORM agree that no transaction is open, rolling back if one is. */
  private leaveTransaction(): void {
    const { databaseConnection: db, queryRunner: runner } = this.sqlite();
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch (error) {
        this.logger.error(`Could not roll back a transaction SQLite left open: ${String(error)}`);
      }
    }
    if (runner) {
      runner.isTransactionActive = false;
      runner.transactionDepth = 0;
    }
    this.wedged = db.inTransaction;
  }

  private sqlite(): SqliteDriverState {
    return this.dataSource.driver as unknown as SqliteDriverState;
  }
}
