import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/decorators/auth.decorators';
import { formatInstant, parseInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditEventResponse } from './audit-event.response';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Who did what and when, newest first. */
  @Roles('librarian')
  @Get()
  async list(@Query() query: AuditQueryDto): Promise<AuditEventResponse[]> {
    const events = await this.audit.list({
      from: query.from ? parseInstant(query.from)! : undefined,
      to: query.to ? parseInstant(query.to)! : undefined,
      action: query.action,
      subject: query.subject,
      limit: query.limit,
    });
    return events.map((e) => ({
      at: formatInstant(e.at, this.config.timezone),
      actor: e.actor,
      action: e.action,
      subjectType: e.subjectType,
      subject: e.subject,
      details: e.details,
    }));
  }
}
