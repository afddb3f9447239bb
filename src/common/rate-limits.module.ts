import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SharedRateLimits } from './shared-rate-limits';

/** The shared rate-limit counters, or null: without `REDIS_URL` each instance counts its own. */
export const SHARED_RATE_LIMITS = 'dml:shared-rate-limits';

@Module({
  providers: [
    {
      provide: SHARED_RATE_LIMITS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? SharedRateLimits.connect(config) : null,
    },
  ],
  exports: [SHARED_RATE_LIMITS],
})
export class RateLimitsModule {}
