import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';
import type { SharedRateLimits } from './shared-rate-limits';

const AUTH_RATE = 'dml:auth-rate';

/** Sign-in and registration: counted per address over 15 minutes, on top of the general limit. */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE, true);

/**
 * Generous per-address limits: a library's public computers and Wi-Fi share one address, so the
 * strict limit is the per-account lock on wrong secrets, not this.
 */
export function throttlerOptions(
  config: AppConfig,
  shared: SharedRateLimits | null,
): ThrottlerModuleOptions {
  return {
    // Unset, @nestjs/throttler counts in this process's memory.
    storage: shared ?? undefined,
    throttlers: [
      { name: 'api', ttl: 60_000, limit: config.apiRatePerMinute },
      {
        name: 'auth',
        ttl: 15 * 60_000,
        limit: config.authRatePer15Minutes,
        skipIf: (context: ExecutionContext) =>
          Reflect.getMetadata(AUTH_RATE, context.getHandler()) !== true,
      },
    ],
    errorMessage: 'Too many requests from this address. Please wait a moment and try again.',
  };
}
