import {
  Global,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { LOGGING_PARAMS, loggerParams, type LoggingParams } from './logging';
import { HTTP_LOGGER, PinoLoggerService, requestLogs } from './pino-logger.service';

/** Every logged request runs with its own logger in reach of `PinoLoggerService`. */
function bindRequestLog(req: Request, _res: Response, next: NextFunction): void {
  requestLogs.run(req.log, next);
}

/** One pino logger per app: the request log (pino-http) and Nest's logs share it. */
@Global()
@Module({
  providers: [
    { provide: LOGGING_PARAMS, inject: [AppConfig], useFactory: loggerParams },
    {
      provide: HTTP_LOGGER,
      inject: [LOGGING_PARAMS],
      useFactory: ({ options, destination }: LoggingParams) => pinoHttp(options, destination),
    },
    PinoLoggerService,
  ],
  exports: [PinoLoggerService],
})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly http: HttpLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(this.http, bindRequestLog)
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
