import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { within } from '../common/within';
import { CatalogCache } from './catalog-version';
import { CATALOG_CHANNEL } from './migrations/1765200000000-catalog-notify';
import { SESSIONS_CHANNEL } from './migrations/1765210000000-session-notify';
import { SessionCache } from './session-cache';

/** How long to wait before listening again after the connection was lost. */
const RETRY_MS = 1_000;
/**
 * How often the listening connection reads the version itself: a connection cut off without a
 * word (a network that drops packets) would otherwise leave an instance on an old catalog.
 */
const CHECK_MS = 5_000;
const CHECK_TIMEOUT_MS = 2_000;

/** How the connection shows in `pg_stat_activity`. */
export const LISTENER_NAME = 'dml catalog listener';

const READ_VERSION = 'SELECT version FROM catalog_version WHERE id = 1';

/** The parts of a `pg` client this uses. */
interface ListeningClient {
  query(sql: string): Promise<{ rows: { version: number | string }[] }>;
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void,
  ): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  removeAllListeners(event: 'notification'): void;
}

/**
 * On PostgreSQL, hears each new catalog version as its change commits (the version row's trigger
 * announces it), so that reads outside a transaction need not ask for the version every time,
 * and each change to sessions and accounts, so that signed-in reads need not look their session
 * up every time (`SessionCache`). One connection of the pool is kept for it. While that
 * connection is down, both caches are told they cannot rely on what they heard and readers ask
 * the database again; once listening anew, the version is read once, so nothing announced
 * meanwhile is missed, and the sessions are held afresh.
 */
@Injectable()
export class CatalogListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Catalog');
  private release: ((error?: Error | boolean) => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private check: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Other holders of what is read: what each hears, and whether anything is being heard. */
  private readonly followers: {
    channels: string[];
    heard: () => void;
    hearing: (on: boolean) => void;
  }[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: CatalogCache,
    private readonly sessions: SessionCache,
  ) {}

  /**
   * Has `heard` called at each announcement on `channels` (and at each new catalog version), and
   * `hearing` told whether announcements are being heard: nothing may be held while they are not.
   * Called before the application starts.
   */
  follow(channels: string[], heard: () => void, hearing: (on: boolean) => void): void {
    this.followers.push({ channels, heard, hearing });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.dataSource.options.type !== 'postgres') return;
    await this.listen().catch((error: unknown) => this.lost(error));
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.check) clearInterval(this.check);
    this.drop(true);
  }

  private async listen(): Promise<void> {
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [
      ListeningClient,
      (error?: Error | boolean) => void,
    ];
    if (this.stopped) return release(true);
    this.release = release;
    client.on('error', (error) => this.lost(error, release));
    client.on('end', () => this.lost(new Error('connection ended'), release));
    client.on('notification', ({ channel, payload }) => {
      if (channel === CATALOG_CHANNEL && payload) this.cache.observe(Number(payload));
      else if (channel === SESSIONS_CHANNEL) this.sessions.forget();
      for (const follower of this.followers)
        if (channel === CATALOG_CHANNEL || follower.channels.includes(channel)) follower.heard();
    });
    const readVersion = async () => {
      const { rows } = await within(client.query(READ_VERSION), CHECK_TIMEOUT_MS);
      this.cache.observe(Number(rows[0].version));
    };
    try {
      await client.query(`SET application_name = '${LISTENER_NAME}'`);
      await client.query(`LISTEN ${CATALOG_CHANNEL}`);
      await client.query(`LISTEN ${SESSIONS_CHANNEL}`);
      for (const channel of new Set(this.followers.flatMap((f) => f.channels)))
        await client.query(`LISTEN ${channel}`);
      await readVersion();
      if (this.release !== release) return;
      this.cache.hearing(true);
      this.sessions.hearing(true);
      for (const follower of this.followers) follower.hearing(true);
      this.check = setInterval(() => {
        readVersion().catch((error: unknown) => this.lost(error, release));
      }, CHECK_MS);
      this.check.unref();
    } catch (error) {
      client.removeAllListeners('notification');
      this.lost(error, release);
    }
  }

  /** The connection failed (or could not be had): read the version per request until back. */
  private lost(error: unknown, release?: (error?: Error | boolean) => void): void {
    if (release && this.release !== release) return;
    this.drop(error instanceof Error ? error : true);
    if (this.stopped) return;
    this.logger.warn(
      `Not hearing catalog and session changes (${error instanceof Error ? error.message : String(error)}); reading the catalog version and sessions per request until listening again.`,
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen().catch((failed: unknown) => this.lost(failed));
    }, RETRY_MS);
    this.retry.unref();
  }

  /** Stops relying on what was heard and lets the connection go for good (not back to the pool). */
  private drop(error: Error | boolean): void {
    this.cache.hearing(false);
    this.sessions.hearing(false);
    for (const follower of this.followers) follower.hearing(false);
    if (this.check) clearInterval(this.check);
    this.check = null;
    const release = this.release;
    this.release = null;
    release?.(error);
  }
}
