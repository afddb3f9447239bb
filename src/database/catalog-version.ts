import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { queryNamed } from './named-query';

/**
 * The tables whose rows instances keep in memory: the catalog (devices, categories and their
 * policies, outages) and the opening hours and closures. A write to any of them bumps the
 * version in the writer's own transaction, so the new version and the new rows commit together.
 * Writes in raw SQL are not seen: write these tables through TypeORM's entity operations.
 */
export const CATALOG_TABLES = new Set([
  'equipment',
  'equipment_categories',
  'outages',
  'weekly_hours',
  'closures',
  'areas',
]);

const BUMP = 'UPDATE catalog_version SET version = version + 1 WHERE id = 1';

/** A value `CatalogCache.memo` holds, and whether its load has finished. */
interface Held {
  value: Promise<unknown>;
  settled: boolean;
}

/** More than a lab's catalog and a year of days: past this, something is keyed wrongly. */
const MOST_ENTRIES = 5_000;

/** Where a write transaction keeps the catalog version it read as it began (SQLite). */
interface RunnerData {
  catalogVersion?: number;
  /** Set when the transaction changed the catalog. */
  catalogTouched?: boolean;
}

/** The catalog version a transaction read as it began, if its first statement asked. */
export function versionSeenBy(manager: EntityManager): number | undefined {
  return (manager.queryRunner?.data as RunnerData | undefined)?.catalogVersion;
}

/** Whether the transaction has changed the catalog so far (its version is bumped at the commit). */
export function catalogChangedBy(manager: EntityManager): boolean {
  return (manager.queryRunner?.data as RunnerData | undefined)?.catalogTouched === true;
}

export function rememberVersion(manager: EntityManager, version: unknown): void {
  const runner = manager.queryRunner;
  if (runner && version !== undefined && version !== null)
    (runner.data as RunnerData).catalogVersion = Number(version);
}

export async function readVersion(manager: EntityManager): Promise<number> {
  const rows = await queryNamed<{ version: number | string }>(
    manager,
    'SELECT version FROM catalog_version WHERE id = 1',
    {},
  );
  return Number(rows[0].version);
}

/**
 * What this instance holds of the catalog, hours and closures, each entry loaded once per
 * catalog version. Whoever reads the version from the database (inside a transaction, together
 * with other work) hands it to `observe`; a newer one drops everything held, so a change made by
 * any instance is seen by every other at its next check.
 */
@Injectable()
export class CatalogCache implements EntitySubscriberInterface {
  private version: number | null = null;
  private entries = new Map<string, Held>();
  private listening = false;

  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  /**
   * Whether every new version reaches `observe` as its change commits (PostgreSQL announces them
   * to `CatalogListener`): then what is held is current, give or take the moment an announcement
   * takes to arrive, and a read outside a transaction need not ask for the version.
   */
  /** The newest version this instance has seen, null before the first. */
  get seen(): number | null {
    return this.version;
  }

  get hears(): boolean {
    return this.listening;
  }

  hearing(on: boolean): void {
    this.listening = on;
  }

  /** Takes a version read from the database; returns whether what was held had to go. */
  observe(version: number): boolean {
    if (this.version !== null && version <= this.version) return false;
    this.version = version;
    this.entries = new Map();
    return true;
  }

  /**
   * The value under `key`, loaded by `load` the first time it is asked for under the version
   * held. A load that fails is not kept. A load started before a newer version was observed lands
   * in the map that version replaced, never in the new one.
   *
   * `inTransaction`: `load` reads on a transaction's own connection. Such a caller never waits for
   * a load someone else started and has not finished; it loads for itself. A load outside any
   * transaction may be waiting for a pooled connection while every connection is held by
   * transactions queued behind this one's device lock: waiting for it would hold them all.
   */
  memo<T>(key: string, load: () => Promise<T>, inTransaction = false): Promise<T> {
    const entries = this.entries;
    const held = entries.get(key);
    if (held && (held.settled || !inTransaction)) return held.value as Promise<T>;
    if (held) return load();
    if (entries.size >= MOST_ENTRIES) entries.clear();
    const loading = load();
    const entry: Held = { value: loading, settled: false };
    entries.set(key, entry);
    loading.then(
      () => (entry.settled = true),
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return loading;
  }

  afterInsert(event: InsertEvent<unknown>): Promise<void> {
    return this.bump(event.metadata.tableName, event.manager);
  }

  afterUpdate(event: UpdateEvent<unknown>): Promise<void> {
    return this.bump(event.metadata.tableName, event.manager);
  }

  afterRemove(event: RemoveEvent<unknown>): Promise<void> {
    return this.bump(event.metadata.tableName, event.manager);
  }

  /**
   * The bump waits for the commit: taken last, the version row's lock never sits between two
   * other locks, so two writers cannot deadlock over it (one holding a device and wanting the
   * version, the other the other way round).
   */
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner as QueryRunner & { transactionDepth?: number };
    const data = runner.data as RunnerData;
    if (!data.catalogTouched || (runner.transactionDepth ?? 1) > 1) return;
    await runner.query(BUMP);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    this.settle(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.settle(event.queryRunner);
  }

  private async bump(table: string, manager: EntityManager): Promise<void> {
    if (!CATALOG_TABLES.has(table)) return;
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      (runner.data as RunnerData).catalogTouched = true;
      return;
    }
    await manager.query(BUMP);
    this.entries = new Map();
  }

  /**
   * This instance need not wait for its next check to drop what its own write changed; it drops
   * it once the write is over, so nothing read while it was open (SQLite shows a transaction's
   * rows to the whole process) outlives it.
   */
  private settle(runner: QueryRunner): void {
    const data = runner.data as RunnerData;
    if (!data.catalogTouched) return;
    data.catalogTouched = false;
    this.entries = new Map();
  }
}
