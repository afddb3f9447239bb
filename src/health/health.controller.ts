import { Controller, Get, Res } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../common/decorators/auth.decorators';
import { DatabaseHealthService, DatabaseState } from './database-health.service';
import { HealthResponse } from './health.response';

const MESSAGES: Record<Exclude<DatabaseState, 'up'>, string> = {
  down: 'The database is not answering.',
  'read-only': 'The database answers but refuses writes: it is read-only.',
  full: 'The database has no room left for writes.',
  stuck: 'Writes to the database are not finishing.',
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealthService) {}

  /** 200 when the database answers and takes writes; 503 with what is wrong otherwise. */
  @Public()
  @SkipThrottle()
  @Get()
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const db = await this.database.state();
    if (db === 'up') return { status: 'ok', db };
    response.status(503);
    return { status: 'error', db, message: MESSAGES[db] };
  }
}
