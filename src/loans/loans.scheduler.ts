import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { OverdueLoansService } from './overdue-loans.service';

/** Every minute, on UTC, like the booking sweeps: each overdue notice is claimed before it is sent. */
@Injectable()
export class LoansScheduler {
  private readonly logger = new Logger(LoansScheduler.name);

  constructor(
    private readonly overdue: OverdueLoansService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'overdue-loans', timeZone: 'UTC' })
  async sweep(): Promise<void> {
    if (!this.config.scheduledJobs) return;
    await this.overdue
      .sendNotices(this.clock.now())
      .catch((error: unknown) =>
        this.logger.error(error instanceof Error ? error.stack : String(error)),
      );
  }
}
