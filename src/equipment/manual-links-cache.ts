import { Injectable } from '@nestjs/common';
import { CatalogListener } from '../database/catalog-listener';
import { MANUAL_LINKS_CHANNEL } from '../database/migrations/1765230000000-manual-links-notify';
import { SqliteChanges } from '../database/sqlite-changes';
import { WriteTransactionService } from '../database/write-transaction.service';
import type { ManualLink } from './equipment.response';

/** The tables a device's walkthrough links are read from. */
const TABLES = ['manuals', 'manual_revisions', 'manual_equipment'];

/**
 * Every device's published walkthroughs, read once and held until a walkthrough, its revisions
 * or the devices it belongs to change, so that listing devices ("what's free", the catalog, a
 * device's page) reads no walkthroughs from the database. A lab has tens of walkthroughs: all of
 * them are held, not a device at a time.
 *
 * - **SQLite** (`SqliteChanges`): a change to those tables through the server's connection drops
 *   them as it is made and again as its transaction ends, a commit by another connection drops
 *   them, and links read while a transaction that changed them is open are not kept.
 * - **PostgreSQL**: held only while `CatalogListener` hears every change to those tables (the
 *   `manual_links_changed` migration); anything heard drops them, as does each write transaction
 *   of this instance as it commits, before it is answered.
 *
 * A read that began before a drop is not kept.
 */
@Injectable()
export class ManualLinksCache {
  private held: Map<string, ManualLink[]> | null = null;
  private generation = 0;
  private seenEpoch = -1;
  /** Whether anything may be held: on SQLite always, on PostgreSQL while changes are heard. */
  private holding: boolean;

  constructor(
    private readonly changes: SqliteChanges,
    listener: CatalogListener,
    writes: WriteTransactionService,
  ) {
    this.holding = changes.active;
    if (!changes.active) {
      listener.follow(
        [MANUAL_LINKS_CHANNEL],
        () => this.forget(),
        (on) => {
          this.holding = on;
          this.forget();
        },
      );
      writes.onCommitted(() => this.forget());
      return;
    }
    for (const table of TABLES)
      changes.follow(`links_${table}`, table, ['INSERT', 'UPDATE', 'DELETE'], null, () =>
        this.forget(),
      );
  }

  /** Every device's links (devices without any are absent), as held or as `load` reads them. */
  async all(load: () => Promise<Map<string, ManualLink[]>>): Promise<Map<string, ManualLink[]>> {
    if (this.current() && this.held) return this.held;
    const since = this.generation;
    const found = await load();
    if (this.keeping(since)) this.held = found;
    return found;
  }

  private keeping(readingSince: number): boolean {
    if (!this.current() || readingSince !== this.generation) return false;
    return !TABLES.some((table) => this.changes.changing(`links_${table}`));
  }

  /** Whether anything may be held; on SQLite, drops what is held once another connection committed. */
  private current(): boolean {
    if (!this.holding) return false;
    if (!this.changes.active) return true;
    const epoch = this.changes.epoch();
    if (epoch !== this.seenEpoch) {
      this.seenEpoch = epoch;
      this.forget();
    }
    this.changes.settle();
    return true;
  }

  private forget(): void {
    this.generation += 1;
    this.held = null;
  }
}
