import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with a `Retry-After` the error filter copies into the response header. */
export class TooManyAttemptsException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super({ message }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
