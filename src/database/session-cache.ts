import { Injectable } from '@nestjs/common';

/** More sessions than a lab has patrons signed in at once: past this, start afresh. */
const MOST_HELD = 10_000;

/**
 * The signed-in sessions this instance has read lately, each with its account, by the hash of its
 * token; on PostgreSQL only, and only while `CatalogListener` hears every change to sessions and
 * accounts as it commits (see the `sessions_changed` migration): then a held session is as current
 * as the database, give or take the moment an announcement takes to arrive. So a session held
 * here serves reads alone: a request that changes anything is checked against the database
 * (`AccountsService.authenticate`). Anything heard, and losing the connection that hears, drops
 * every session held.
 */
@Injectable()
export class SessionCache<Held = unknown> {
  private held = new Map<string, Held>();
  private generation = 0;
  private listening = false;

  get hears(): boolean {
    return this.listening;
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
}
