import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { within } from '../common/within';
import { StorageFault, storageFault } from '../database/storage-errors';
import { WriteTransactionService } from '../database/write-transaction.service';

export type DatabaseState = 'up' | StorageFault | 'stuck';

/** While writes work, the app's own writes say so; a probe is written only after a quiet spell. */
const PROBE_WHEN_QUIET_MS = 5_000;
/** While they fail, a probe at most this often finds out when space is back. */
const PROBE_WHEN_FAILING_MS = 1_000;
const PROBE_WAIT_MS = 1_000;
const PING_TIMEOUT_MS = 2_000;

/**
 * Whether the database answers and takes writes, cheaply enough to be asked a thousand times a
 * second: a `SELECT 1`, the outcome of the app's last write, and at most one probe write every
 * few seconds (shared by every caller meanwhile).
 *
 * On PostgreSQL the `SELECT 1` runs on a connection of its own, taken at start and kept, so a
 * pool held by long transactions cannot make `/health` wait; callers arriving while one ping is
 * out share it. A connection that fails is let go (destroyed, not pooled) and a new one taken on
 * the next ask.
 */
@Injectable()
export class DatabaseHealthService implements OnApplicationBootstrap, OnModuleDestroy {
  private probing: Promise<void> | undefined;
  private runner: QueryRunner | undefined;
  private pinging: Promise<unknown> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writes: WriteTransactionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.writes.onPostgres) return;
    await this.ping().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await this.pinging?.catch(() => undefined);
    await runner?.release();
  }

  async state(): Promise<DatabaseState> {
    if (this.writes.stuck()) return 'stuck';
    try {
      await within(this.ping(), PING_TIMEOUT_MS);
    } catch (error) {
      return storageFault(error) ?? 'down';
    }
    const last = this.writes.lastOutcome;
    const every = last.fault ? PROBE_WHEN_FAILING_MS : PROBE_WHEN_QUIET_MS;
    if (Date.now() - last.at >= every) {
      // While writes fail, the answer waits (briefly) for the probe, to see space come back. While
      // they work, the probe runs behind the answer: a write queued behind a busy moment must not
      // make a healthy service look slow; what it finds is the next caller's answer.
      const probing = this.probe();
      if (last.fault) await within(probing, PROBE_WAIT_MS).catch(() => {});
    }
    return this.writes.lastOutcome.fault ?? (this.writes.stuck() ? 'stuck' : 'up');
  }

  private ping(): Promise<unknown> {
    if (!this.writes.onPostgres) return this.dataSource.query('SELECT 1');
    this.pinging ??= this.pingOwnConnection().finally(() => (this.pinging = undefined));
    return this.pinging;
  }

  private async pingOwnConnection(): Promise<unknown> {
    const runner = (this.runner ??= this.dataSource.createQueryRunner());
    try {
      return await within(runner.query('SELECT 1'), PING_TIMEOUT_MS);
    } catch (error) {
      if (this.runner === runner) this.runner = undefined;
      dropConnection(runner, error);
      throw error;
    }
  }

  private probe(): Promise<void> {
    this.probing ??= this.writes
      .probe()
      .catch(() => {})
      .finally(() => (this.probing = undefined));
    return this.probing;
  }
}

/** Lets a connection that failed go from the pool for good, so the next one is new. */
function dropConnection(runner: QueryRunner, error: unknown): void {
  const pg = runner as QueryRunner & {
    releasePostgresConnection?: (err: unknown) => Promise<void>;
  };
  const release = pg.releasePostgresConnection
    ? pg.releasePostgresConnection(error instanceof Error ? error : new Error(String(error)))
    : runner.release();
  release.catch(() => undefined);
}
