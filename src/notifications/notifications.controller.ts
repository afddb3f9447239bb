import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/decorators/auth.decorators';
import { formatInstant, formatNullableInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { OutboxQueryDto } from './dto/outbox-query.dto';
import type { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';
import { NotificationResponse } from './notification.response';

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** The mail outbox, newest first: what is waiting to go, what failed and what went. */
  @Roles('staff')
  @Get()
  async list(@Query() query: OutboxQueryDto): Promise<NotificationResponse[]> {
    const messages = await this.outbox.list(query.status, query.limit);
    return messages.map((m) => this.toResponse(m));
  }

  /** Try a message again (a failed one gets another 48 hours of tries). */
  @Roles('librarian')
  @Post(':id/retry')
  @HttpCode(200)
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<NotificationResponse> {
    return this.toResponse(await this.outbox.retry(id));
  }

  private toResponse(m: OutboxMessage): NotificationResponse {
    const zone = this.config.timezone;
    return {
      id: m.id,
      kind: m.kind,
      recipient: m.recipient,
      subject: m.subject,
      bookingId: m.bookingId,
      status: m.status,
      attempts: m.attempts,
      createdAt: formatInstant(m.createdAt, zone),
      nextAttemptAt: m.status === 'pending' ? formatInstant(m.nextAttemptAt, zone) : null,
      sentAt: formatNullableInstant(m.sentAt, zone),
      lastError: m.lastError,
    };
  }
}
