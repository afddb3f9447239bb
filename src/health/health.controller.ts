import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/decorators/auth.decorators';

export class HealthResponse {
  status: 'ok';
  db: 'up';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** 200 when the service and its database answer; 503 otherwise. */
  @Public()
  @SkipThrottle()
  @Get()
  async check(): Promise<HealthResponse> {
    try {
      await this.health.check([() => this.database.pingCheck('db', { timeout: 2000 })]);
    } catch {
      throw new ServiceUnavailableException({
        message: 'The database is not answering.',
        status: 'error',
        db: 'down',
      });
    }
    return { status: 'ok', db: 'up' };
  }
}
