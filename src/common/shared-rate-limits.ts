import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { AppConfig, ConfigError } from '../config/app-config';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often, at most, a Redis outage is logged while requests keep coming. */
const WARN_EVERY_MS = 60_000;

/**
 * Rate-limit counters in Redis, shared by every instance that names the same `REDIS_URL` (the
 * counting itself is `@nest-lab/throttler-storage-redis`'s). Redis must answer at start; when it
 * stops answering later, requests are let through (fail open) with a logged warning instead of
 * failing: the limits guard against floods, and an outage of theirs must not take the lab down.
 */
export class SharedRateLimits implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly counters: ThrottlerStorageRedisService;
  private lastWarning = 0;

  private constructor(
    private readonly redis: Redis,
    Counters: typeof ThrottlerStorageRedisService,
  ) {
    this.counters = new Counters(redis);
    redis.on('error', (error: Error) => this.warn(`Redis: ${error.message}`));
  }

  /** Connects to `REDIS_URL`, or stops the start with a message that names it. */
  static async connect(config: AppConfig): Promise<SharedRateLimits> {
    const url = new URL(config.redisUrl!);
    // Loaded only here: a server without REDIS_URL never needs them, and loading is start-up time.
    const [{ Redis }, { ThrottlerStorageRedisService }] = await Promise.all([
      import('ioredis'),
      import('@nest-lab/throttler-storage-redis'),
    ]);
    let starting = true;
    const redis = new Redis(config.redisUrl!, {
      lazyConnect: true,
      keyPrefix: config.redisKeyPrefix,
      connectTimeout: 5_000,
      // Without a connection a command fails at once, so no request waits on Redis coming back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => (starting ? null : Math.min(attempt * 500, 5_000)),
      // How long closing waits for a socket to end before destroying it (2 s by default, which a
      // socket that is already gone waits out in full and keeps the process alive for).
      disconnectTimeout: 200,
    });
    const firstError = new Promise<Error>((resolve) => redis.once('error', resolve));
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      if (redis.status !== 'end') redis.disconnect();
      const cause = await Promise.race([firstError, Promise.resolve(error as Error)]);
      throw new ConfigError(
        `REDIS_URL: Redis at ${url.host} cannot be reached (${cause.message}). Start it, or unset REDIS_URL to count rate limits in this process only.`,
      );
    }
    starting = false;
    return new SharedRateLimits(redis, ThrottlerStorageRedisService);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    try {
      return await this.counters.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.warn(`Rate limits are not counted while Redis fails: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  onApplicationShutdown(): void {
    if (this.redis.status !== 'end') this.redis.disconnect();
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
