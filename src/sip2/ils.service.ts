import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Sip2Client } from './sip2-client';
import { Sip2UnavailableError } from './sip2-connection';
import type { PatronRecord } from './sip2-message';

/**
 * The library's ILS as this service sees it: one question, "is this card and PIN a patron, and
 * who are they?", asked over SIP2 when `PATRON_AUTH=sip2`. The connection pool lives as long as
 * the app.
 */
@Injectable()
export class IlsService implements OnModuleDestroy {
  private readonly logger = new Logger(IlsService.name);
  private client: Sip2Client | null = null;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.patronAuth === 'sip2';
  }

  /** The patron's record; throws `Sip2UnavailableError` when the ILS cannot be asked. */
  async patron(card: string, pin: string, at: Date): Promise<PatronRecord> {
    const settings = this.config.sip2;
    if (!settings) throw new Sip2UnavailableError('unreachable', 'SIP2_URL is not set.');
    this.client ??= new Sip2Client(settings);
    try {
      return await this.client.patronInformation(card, pin, at);
    } catch (error) {
      if (error instanceof Sip2UnavailableError)
        this.logger.warn(
          `ILS at ${settings.host}:${settings.port} not usable (${error.reason}): ${error.message}`,
        );
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.client?.close();
  }
}
