import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { SqliteChanges } from './sqlite-changes';

/** More sessions than a lab has patrons signed in at once: past this, start afresh. */
const MOST_HELD = 10_000;

/** The tables a held session is read from. A new row changes nothing held. */
const SESSION_TABLES = new Set(['sessions', 'users']);

/**
 * The signed-in sessions this instance has read lately, each with its account, by the hash of its
 * token, held only while every change to sessions and accounts reaches it. A session held here
 * serves reads alone: a request that changes anything is checked against the database
 * (`AccountsService.authenticate`).
 *
 * On PostgreSQL, `CatalogListener` hears every such change as it commits (see the
 * `sessions_changed` migration): a held session is as current as the database, give or take the
 * moment an announcement takes to arrive. Anything heard, and losing the connection that hears,
 * drops every session held; so does this instance's own change to a session or an account, as it
 * commits, before the request that made it is answered.
 *
 * On SQLite (`SqliteChanges`), a change to a session or an account through the server's own
 * connection drops what is held as it is made, nothing read until its transaction is over is
 * kept, and what is held goes again as it ends, committed or undone; a commit by another
 * connection to the file (the staff command) drops what is held before its next use.
 */
@Injectable()
export class SessionCache<Held = unknown> implements EntitySubscriberInterface {
  private held = new Map<string, Held>();
  private generation = 0;
  private listening = false;
  /** Transactions that have changed a session or an account, dropped from at their commit. */
  private readonly changing = new WeakSet<QueryRunner>();
  /** On SQLite, the `SqliteChanges.epoch` what is held was read in. */
  private seenEpoch = -1;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly sqlite: SqliteChanges,
  ) {
    dataSource.subscribers.push(this);
    if (!sqlite.active) return;
    this.listening = true;
    for (const table of SESSION_TABLES)
      sqlite.follow(`held_${table}`, table, ['UPDATE', 'DELETE'], null, () => this.forget());
  }

  /**
   * Whether what is held is the database as of now (SQLite: changes reach it as they are made), or
   * may lag it by the moment an announcement takes (PostgreSQL).
   */
  get exact(): boolean {
    return this.sqlite.active;
  }

  hearing(on: boolean): void {
    this.listening = on;
    this.forget();
  }

  /** A session or an account has changed somewhere: nothing held can be trusted. */
  forget(): void {
    this.generation += 1;
    this.held = new Map();
  }

  get(tokenHash: string): Held | undefined {
    if (!this.listening || !this.current()) return undefined;
    return this.held.get(tokenHash);
  }

  /** Marks the start of a read from the database, for `keep`. */
  reading(): number {
    this.current();
    return this.generation;
  }

  /** Keeps what a read found, unless a change was heard after it began (it may predate that). */
  keep(tokenHash: string, found: Held, readingSince: number): void {
    if (!this.listening || !this.current() || readingSince !== this.generation) return;
    if (this.held.size >= MOST_HELD) this.held = new Map();
    this.held.set(tokenHash, found);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    this.changed(event.metadata.tableName, event.queryRunner);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    this.changed(event.metadata.tableName, event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!this.changing.has(event.queryRunner)) return;
    this.changing.delete(event.queryRunner);
    this.forget();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.changing.delete(event.queryRunner);
  }

  /**
   * On SQLite: drops what is held if another connection has committed since the last look; false
   * while a transaction that changed a session or an account is open (what is read meanwhile may
   * yet be undone). Always true elsewhere.
   */
  private current(): boolean {
    if (!this.sqlite.active) return true;
    const epoch = this.sqlite.epoch();
    if (epoch !== this.seenEpoch) {
      this.seenEpoch = epoch;
      this.forget();
    }
    return ![...SESSION_TABLES].some((table) => this.sqlite.changing(`held_${table}`));
  }

  private changed(table: string, runner: QueryRunner | undefined): void {
    if (!SESSION_TABLES.has(table)) return;
    if (runner?.isTransactionActive) this.changing.add(runner);
    else this.forget();
  }
}
