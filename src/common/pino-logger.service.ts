import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HttpLogger } from 'pino-http';

/** The pino-http middleware, whose logger is the app's one pino logger. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * The logger of the request being handled (it carries the request's id), so that a line
 * logged while serving a request can be matched with that request's own line.
 */
export const requestLogs = new AsyncLocalStorage<Logger>();

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Nest's own logs and every `Logger` call, written by pino in the request log's format. */
@Injectable()
export class PinoLoggerService implements LoggerService {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /** Nest passes the context (the class that logs) last; a stack, if any, before it. */
  private write(level: Level, message: unknown, optionalParams: unknown[]): void {
    const logger = requestLogs.getStore() ?? this.http.logger;
    const fields: Record<string, unknown> = {};
    let params = optionalParams;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      params = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      logger[level](fields, ...(params as []));
    } else if (message !== null && typeof message === 'object') {
      Object.assign(fields, message);
      logger[level](fields, ...(params as []));
    } else if (level === 'error' && isStack(params)) {
      // Nest's exception handlers log (message, stack, context): one error, with its stack.
      const err = new Error(String(message));
      err.stack = params[0];
      logger.error({ ...fields, err });
    } else {
      logger[level](fields, String(message), ...(params as []));
    }
  }
}

function isStack(params: unknown[]): params is [string] {
  return params.length === 1 && typeof params[0] === 'string' && /\n\s*at /.test(params[0]);
}
