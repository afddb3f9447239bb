import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression, Interval } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { OutboxService } from './outbox.service';

/** Delivers queued mail every two seconds and prunes old copies hourly. */
@Injectable()
export class OutboxScheduler {
  private readonly logger = new Logger(OutboxScheduler.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Interval('outbox-delivery', 2000)
  async deliver(): Promise<void> {
    if (!this.config.scheduledJobs) return;
    await this.outbox.deliverDue(this.clock.now()).catch((error: unknown) => this.log(error));
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'outbox-prune', timeZone: 'UTC' })
  async prune(): Promise<void> {
    if (!this.config.scheduledJobs) return;
    await this.outbox.prune(this.clock.now()).catch((error: unknown) => this.log(error));
  }

  private log(error: unknown): void {
    this.logger.error(error instanceof Error ? error.stack : String(error));
  }
}
