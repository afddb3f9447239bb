import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { BookingSweeps } from './booking-sweeps.service';

/** Every minute, on UTC: wall-clock schedules skip or repeat at DST changes, a minute tick does not. */
@Injectable()
export class BookingsScheduler {
  private readonly logger = new Logger(BookingsScheduler.name);

  constructor(
    private readonly sweeps: BookingSweeps,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'booking-sweeps', timeZone: 'UTC' })
  async sweep(): Promise<void> {
    if (!this.config.scheduledJobs) return;
    await this.sweeps
      .run(this.clock.now())
      .catch((error: unknown) =>
        this.logger.error(error instanceof Error ? error.stack : String(error)),
      );
  }
}
