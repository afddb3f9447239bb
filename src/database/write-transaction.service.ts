import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { catalogChangedBy, rememberVersion } from './catalog-version';
import { StorageFault, storageException, storageFault } from './storage-errors';
import { PgConnection } from './named-query';
import { startAppending, stopAppending, writeAppendedRowsAnd } from './rows';

export type WriteWork<T> = (manager: EntityManager) => Promise<T>;

/** What `inSavepoint` gives for a call it refused. */
const REFUSED = Symbol('refused');

/** How the write path fared last, for `/health`. */
export interface WriteOutcome {
  /** The storage fault of the last write that reached the database, or null when it worked. */
  fault: StorageFault | null;
  /** `Date.now()` when that was learned. */
  at: number;
}

/** A write running this long means the write path is stuck, not busy (busy_timeout is 5 s). */
export const STUCK_AFTER_MS = 15_000;

/**
 * The most calls one SQLite transaction takes, and how long it goes on taking more once the turn
 * of the event loop that lets them in has ended: the first call of a group is answered only at
 * its commit.
 */
const MOST_IN_GROUP = 32;
const GROUP_OPEN_MS = 25;

/** A call waiting in SQLite's queue. */
interface QueuedWrite {
  work: WriteWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** What TypeORM's query runner keeps of its transaction (`transactionDepth` is protected). */
interface TransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/** The parts of TypeORM's better-sqlite3 driver that say whether a transaction is open. */
interface SqliteDriverState {
  databaseConnection: { inTransaction: boolean; exec(sql: string): unknown };
  queryRunner?: TransactionState;
}

/**
 * The one way the app writes. On Postgres each call is a real transaction on its own pooled
 * connection. On SQLite TypeORM hands every caller the same connection, so concurrent
 * transactions would interleave on it (statements of one landing inside another, callers told OK
 * for rows that were rolled back); here calls wait in one FIFO queue and run one at a time, each
 * transaction starting with a write so that it holds SQLite's write lock from its first
 * statement, even against another process on the same file.
 *
 * Calls that queued up while a transaction ran share the next one (a group commit): the first
 * runs as the transaction's own work, each later one inside a savepoint of its own, so a call
 * that fails takes back only what it wrote, and nobody is answered before the one commit that
 * keeps every call of the group. A commit writes each page the group changed once (a booking
 * alone changes about twenty: the row and its indexes, its notice, its audit record), and SQLite's
 * checkpoints, which copy those pages into the file on the server's own thread, come that much
 * less often. A call that changed the catalog ends its group, so that what this process holds
 * of the catalog is renewed (`CatalogCache`) before the next call reads it.
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
  private readonly queued: QueuedWrite[] = [];
  private draining = false;
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

  /**
   * On PostgreSQL, has `listener` called as each transaction of `run` commits, before its caller
   * hears of it. (On SQLite, see `SqliteChanges`.)
   */
  onCommitted(listener: () => void): void {
    this.committed.push(listener);
  }

  private readonly committed: (() => void)[] = [];

  run<T>(work: WriteWork<T>): Promise<T> {
    if (!this.serialised)
      return this.observed(async () => {
        const value = await this.transactOnPostgres(work);
        for (const listener of this.committed) listener();
        return value;
      });
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /**
   * One transaction on a pooled connection, READ COMMITTED (the session's default, see
   * `dataSourceOptions`). The driver pipelines, so its own statements ride with the work's:
   * `START TRANSACTION` goes out with the work's first statement, and `COMMIT` right behind the
   * statement that writes the rows the work appended (audit records, queued e-mails, a booking;
   * `writeAppendedRowsAnd`). A booking is then three round trips, not five. TypeORM's own
   * `transaction` would wait for the answer to each. The app's subscribers hear of the commit or
   * the rollback as they do from TypeORM (`CatalogCache`, `SessionCache`).
   */
  private async transactOnPostgres<T>(work: WriteWork<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner() as QueryRunner & TransactionState;
    try {
      const connection = (await runner.connect()) as PgConnection;
      const control = (sql: string) => {
        const logger = this.dataSource.logger;
        logger.logQuery(sql, [], runner);
        return connection.query({ text: sql }).catch((error: Error) => {
          logger.logQueryError(error, sql, [], runner);
          throw new QueryFailedError(sql, [], error);
        });
      };
      const begun = control('START TRANSACTION');
      // Its failure (a lost connection) fails the work's statements too; it is awaited below.
      begun.catch(() => undefined);
      runner.isTransactionActive = true;
      runner.transactionDepth = 1;
      startAppending(runner);
      let value: T;
      try {
        value = await work(runner.manager);
        await runner.broadcaster.broadcast('BeforeTransactionCommit');
        const committed = await writeAppendedRowsAnd(runner.manager, connection, () =>
          control('COMMIT'),
        );
        await begun;
        // PostgreSQL answers COMMIT with ROLLBACK when a statement of the work failed and the
        // work went on regardless: nothing was kept, and the caller must not be told otherwise.
        if (committed.command !== 'COMMIT')
          throw new Error('The transaction was rolled back: one of its statements failed.');
      } catch (error) {
        stopAppending(runner);
        await control('ROLLBACK').catch(() => undefined);
        this.ended(runner);
        await runner.broadcaster.broadcast('AfterTransactionRollback');
        throw error;
      }
      this.ended(runner);
      await runner.broadcaster.broadcast('AfterTransactionCommit');
      return value;
    } finally {
      await runner.release();
    }
  }

  private ended(runner: TransactionState): void {
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
  }

  /**
   * Work that sends one statement, atomic on its own, needing no transaction around it: on
   * PostgreSQL it is sent as it is, one round trip rather than three with `START TRANSACTION`
   * and `COMMIT`; on SQLite it takes its turn in the one queue of writes, as `run` does.
   */
  single<T>(work: WriteWork<T>): Promise<T> {
    if (!this.serialised) return this.observed(() => work(this.dataSource.manager));
    return this.run(work);
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

  /** Runs SQLite's queue, a group of calls to a transaction, until no call is waiting. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queued.length > 0) await this.runGroup(this.queued.shift()!);
    } finally {
      this.draining = false;
    }
  }

  /**
   * One SQLite transaction: `first`, then whoever queued meanwhile (see the class). Each call is
   * answered once the commit has kept its work, or refused with its own error; when the
   * transaction itself fails (the commit, or SQLite giving the transaction up on a storage
   * fault), every call of the group is refused with that error, none having been answered.
   */
  private async runGroup(first: QueuedWrite): Promise<void> {
    const done: { write: QueuedWrite; value: unknown }[] = [];
    let current = first;
    try {
      await this.observed(async () => {
        this.leaveTransaction();
        if (this.wedged) throw storageException('down');
        try {
          await this.dataSource.transaction(async (manager) => {
            // The same statement reads the catalog version, so the booking path needs no other.
            const rows = await manager.query<{ catalog_version: unknown }[]>(
              'UPDATE write_lock SET ticks = ticks + 1 WHERE id = 1 RETURNING (SELECT version FROM catalog_version WHERE id = 1) AS catalog_version',
            );
            rememberVersion(manager, rows[0]?.catalog_version);
            done.push({ write: first, value: await first.work(manager) });
            // A booking's work runs on settled promises alone, so no request could reach the
            // queue while it ran: one turn of the event loop lets those that arrived meanwhile in.
            // Under load that turn takes as long as the window: timed from before it, the window
            // closed on calls the turn had just queued, and they waited for the next group.
            if (!catalogChangedBy(manager)) await new Promise(setImmediate);
            const openUntil = Date.now() + GROUP_OPEN_MS;
            while (
              this.queued.length > 0 &&
              done.length < MOST_IN_GROUP &&
              Date.now() < openUntil &&
              !catalogChangedBy(manager)
            ) {
              current = this.queued.shift()!;
              const value = await this.inSavepoint(manager, current);
              if (value !== REFUSED) done.push({ write: current, value });
            }
            current = first;
          });
          if (this.sqlite().databaseConnection.inTransaction) {
            // TypeORM committed a savepoint, not the transaction: nothing is on disk yet.
            this.logger.error(
              'A commit left SQLite inside a transaction; the write was not saved.',
            );
            throw storageException('down');
          }
        } finally {
          this.leaveTransaction();
        }
      });
    } catch (error) {
      const refused = new Set([current, ...done.map((d) => d.write)]);
      for (const write of refused) write.reject(error);
      return;
    }
    for (const { write, value } of done) write.resolve(value);
  }

  /**
   * A later call of a group, in a savepoint: its failure rolls back what it wrote and refuses it
   * alone. Throws when SQLite has given the whole transaction up (a storage fault does that).
   */
  private async inSavepoint(manager: EntityManager, write: QueuedWrite): Promise<unknown> {
    await manager.query('SAVEPOINT queued_write');
    try {
      const value = await write.work(manager);
      await manager.query('RELEASE queued_write');
      return value;
    } catch (error) {
      if (!this.sqlite().databaseConnection.inTransaction) throw error;
      await manager.query('ROLLBACK TO queued_write');
      await manager.query('RELEASE queued_write');
      write.reject(this.noted(error));
      return REFUSED;
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
      throw this.noted(error);
    } finally {
      this.running.delete(job);
    }
  }

  /** A storage fault remembered for `/health` and turned into its `503`; other errors as they are. */
  private noted(error: unknown): unknown {
    const fault = storageFault(error);
    if (!fault) return error;
    this.outcome = { fault, at: Date.now() };
    this.logger.warn(`A write failed for lack of storage (${fault}): ${String(error)}`);
    return storageException(fault);
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
