import type { CatalogListener } from './catalog-listener';
import type { SqliteChanges } from './sqlite-changes';
import type { WriteTransactionService } from './write-transaction.service';

/**
 * When an instance may hold in memory what it read of tables that any instance may change, and
 * when it must let it go; the holder keeps the rows, this keeps the rule.
 *
 * - **SQLite**: the holder follows its tables with `SqliteChanges` (a change through the server's
 *   connection drops what it names as it is made, and again as its transaction ends); a commit by
 *   another connection drops everything (`current`).
 * - **PostgreSQL**: held only while `CatalogListener` hears every change announced on `channel`
 *   (statement triggers on the tables) and every new catalog version; each announcement drops
 *   everything, as does each write transaction of this instance as it commits, before it is
 *   answered.
 *
 * A read that began before a drop is not kept: the holder notes the `generation` as it starts
 * reading and keeps what it read only if it has not moved on.
 */
export class HeldWhileUnchanged {
  private moves = 0;
  private seenEpoch = -1;
  /** Whether anything may be held: on SQLite always, on PostgreSQL while changes are heard. */
  private holding: boolean;

  constructor(
    private readonly changes: SqliteChanges,
    listener: CatalogListener,
    writes: WriteTransactionService,
    channel: string,
    private readonly dropAll: () => void,
  ) {
    this.holding = changes.active;
    if (changes.active) return;
    listener.follow(
      [channel],
      () => this.drop(),
      (on) => {
        this.holding = on;
        this.drop();
      },
    );
    writes.onCommitted(() => this.drop());
  }

  /** Moves on at every drop, whole or in part: a read begun under an earlier one is not kept. */
  get generation(): number {
    return this.moves;
  }

  /** Something held was dropped (the holder let part of it go). */
  moveOn(): void {
    this.moves += 1;
  }

  /** Everything held goes. */
  drop(): void {
    this.moves += 1;
    this.dropAll();
  }

  /**
   * Whether anything may be held. On SQLite, drops everything once another connection has
   * committed, and has what a transaction now over changed told again.
   */
  current(): boolean {
    if (!this.holding) return false;
    if (!this.changes.active) return true;
    const epoch = this.changes.epoch();
    if (epoch !== this.seenEpoch) {
      this.seenEpoch = epoch;
      this.drop();
    }
    this.changes.settle();
    return true;
  }
}
