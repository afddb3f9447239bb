import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { houseStyle } from '../house-style';
import { storageException, storageFault } from '../../database/storage-errors';
import { sendErrorPage, wantsPage } from '../../web/error-html';
import { TooManyAttemptsException } from '../too-many-attempts.exception';
import { ErrorResponse } from './error.response';

export type ErrorBody = ErrorResponse;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Shapes every error as `{statusCode, error, message, code?}`; anything unknown is a logged 500. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** Without the settings (a bare filter in a unit test) every error is answered as JSON. */
  constructor(@Optional() private readonly config?: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    if (response.headersSent) return;
    if (exception instanceof TooManyAttemptsException)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (this.config && wantsPage(request)) {
      const { timezone: zone, publicUrl } = this.config;
      sendErrorPage(request, response, body.statusCode, body.message, {
        zone,
        style: houseStyle(this.config),
        publicUrl,
        now: new Date(),
      });
      return;
    }
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) return fromHttpException(exception);
    const database = fromDatabaseError(exception);
    if (database) return database;
    // A full, read-only or unreachable store (a read that failed, a file that could not be written).
    const fault = storageFault(exception);
    if (fault) return fromHttpException(storageException(fault));
    const status = (exception as { status?: unknown; type?: unknown })?.status;
    // Body-parser and similar middleware errors carry their HTTP status (malformed JSON, too large).
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message =
        status === 400
          ? 'The request body is not valid JSON.'
          : ((exception as Error).message ?? REASONS[status]);
      return { statusCode: status, error: REASONS[status] ?? 'Error', message };
    }
    return {
      statusCode: 500,
      error: REASONS[500],
      message: 'Something went wrong on our side. Please try again.',
    };
  }
}

function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const raw = exception.getResponse();
  const body: ErrorBody = {
    statusCode,
    error: REASONS[statusCode] ?? HttpStatus[statusCode] ?? 'Error',
    message: exception.message,
  };
  if (typeof raw === 'string') body.message = raw;
  else if (raw && typeof raw === 'object') {
    const { message, code, error, conflicts } = raw as {
      message?: unknown;
      code?: unknown;
      error?: unknown;
      conflicts?: unknown;
    };
    if (Array.isArray(message)) body.message = message.join('; ');
    else if (typeof message === 'string') body.message = message;
    if (typeof code === 'string') body.code = code;
    if (typeof error === 'string' && statusCode >= 500) body.error = error;
    if (Array.isArray(conflicts)) body.conflicts = conflicts;
  }
  return body;
}

/** Constraint violations that reach here are lost races: answer 409, never 500. */
function fromDatabaseError(exception: unknown): ErrorBody | null {
  if (!(exception instanceof QueryFailedError)) return null;
  const driverError = exception.driverError as { code?: string; message?: string } | undefined;
  const code = driverError?.code ?? '';
  const message = driverError?.message ?? exception.message;
  if (code === '23P01' || message.includes('SLOT_TAKEN')) {
    return {
      statusCode: 409,
      error: REASONS[409],
      message: 'That time was just taken. Please pick another.',
      code: 'SLOT_TAKEN',
    };
  }
  if (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  ) {
    return { statusCode: 409, error: REASONS[409], message: 'That already exists.' };
  }
  return null;
}
