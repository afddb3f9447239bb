import { Injectable } from '@nestjs/common';
import { CatalogListener } from '../database/catalog-listener';
import { HeldWhileUnchanged } from '../database/held-while-unchanged';
import { MANUAL_LINKS_CHANNEL } from '../database/migrations/1765230000000-manual-links-notify';
import { SqliteChanges } from '../database/sqlite-changes';
import { WriteTransactionService } from '../database/write-transaction.service';
import type { ManualLink } from './equipment.response';

/** The tables a device's walkthrough links are read from. */
const TABLES = ['manuals', 'manual_revisions', 'manual_equipment'];

/**
 * Every device's published walkthroughs, read once and held until a walkthrough, its revisions
 * or the devices it belongs to change (`HeldWhileUnchanged`; on PostgreSQL announced on
 * `manual_links_changed`), so that listing devices ("what's free", the catalog, a device's page)
 * reads no walkthroughs from the database. A lab has tens of walkthroughs: all of them are held,
 * not a device at a time. On SQLite, links read while a transaction that changed those tables is
 * open are not kept.
 */
@Injectable()
export class ManualLinksCache {
  private held: Map<string, ManualLink[]> | null = null;
  private readonly rule: HeldWhileUnchanged;

  constructor(
    private readonly changes: SqliteChanges,
    listener: CatalogListener,
    writes: WriteTransactionService,
  ) {
    this.rule = new HeldWhileUnchanged(changes, listener, writes, MANUAL_LINKS_CHANNEL, () => {
      this.held = null;
    });
    for (const table of TABLES)
      changes.follow(`links_${table}`, table, ['INSERT', 'UPDATE', 'DELETE'], null, () =>
        this.rule.drop(),
      );
  }

  /** Every device's links (devices without any are absent), as held or as `load` reads them. */
  async all(load: () => Promise<Map<string, ManualLink[]>>): Promise<Map<string, ManualLink[]>> {
    if (this.rule.current() && this.held) return this.held;
    const since = this.rule.generation;
    const found = await load();
    if (this.keeping(since)) this.held = found;
    return found;
  }

  private keeping(readingSince: number): boolean {
    if (!this.rule.current() || readingSince !== this.rule.generation) return false;
    return !TABLES.some((table) => this.changes.changing(`links_${table}`));
  }
}
