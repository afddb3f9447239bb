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

/** More sessions than a lab has patrons signed in at once: past this, start afresh. */
const MOST_HELD = 10_000;

/** The tables a held session is read from. A new row changes nothing held. */
const SESSION_TABLES = new Set(['sessions', 'users']);

/**
 * The signed-in sessions this instance has read lately, each with its account, by the hash of its
 * token; on PostgreSQL only, and only while `CatalogListener` hears every change to sessions and
 * accounts as it commits (see the `sessions_changed` migration): then a held session is as current
 * as the database, give or take the moment an announcement takes to arrive. So a session held
 * here serves reads alone: a request that changes anything is checked against the database
 * (`AccountsService.authenticate`). Anything heard, and losing the connection that hears, drops
 * every session held; so does this instance's own change to a session or an account, as it
 * commits, before the request that made it is answered.
 */
@Injectable()
export class SessionCache<Held = unknown> implements EntitySubscriberInterface {
  private held = new Map<string, Held>();
  private generation = 0;
  private listening = false;
  /** Transactions that have changed a session or an account, dropped from at their commit. */
  private readonly changing = new WeakSet<QueryRunner>();

  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
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
    return this.listening ? this.held.get(tokenHash) : undefined;
  }

  /** Marks the start of a read from the database, for `keep`. */
  reading(): number {
    return this.generation;
  }

  /** Keeps what a read found, unless a change was heard after it began (it may predate that). */
  keep(tokenHash: string, found: Held, readingSince: number): void {
    if (!this.listening || readingSince !== this.generation) return;
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

  private changed(table: string, runner: QueryRunner | undefined): void {
    if (!SESSION_TABLES.has(table)) return;
    if (runner?.isTransactionActive) this.changing.add(runner);
    else this.forget();
  }
}
