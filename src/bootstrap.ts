import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import {
  applyServerTimeouts,
  FORM_BODY_LIMIT,
  FORM_PARAMETER_LIMIT,
  JSON_BODY_LIMIT,
  jsonOnlyApi,
} from './common/http-limits';
import { ErrorResponse } from './common/filters/error.response';
import { PinoLoggerService } from './common/pino-logger.service';
import { describeErrors } from './common/openapi';
import { AppConfig } from './config/app-config';
import { VIDEO_HOSTS } from './manuals/render';

/** What both the server and the e2e tests put around the app module. */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const config = app.get(AppConfig);
  express.useLogger(app.get(PinoLoggerService));
  if (config.trustProxy !== undefined) express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  applyServerTimeouts(express.getHttpServer());
  // Before the parsers, so a body the API refuses is never read; the parsers set here replace
  // Nest's defaults (100 kB), which refused valid manuals.
  app.use(jsonOnlyApi);
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  express.useBodyParser('urlencoded', {
    limit: FORM_BODY_LIMIT,
    parameterLimit: FORM_PARAMETER_LIMIT,
    extended: true,
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:'],
          // Manuals embed videos from these hosts only; nothing else may be framed.
          'frame-src': VIDEO_HOSTS.map((host) => `https://${host}`),
        },
      },
    }),
  );
  app.use(cookieParser());
  express.useStaticAssets(join(__dirname, 'web', 'assets'), { prefix: '/assets/', maxAge: '1h' });
  app.enableShutdownHooks();
  // Built on the first request for it, not at start: describing every route is a good part of
  // the start-up time, and most instances never serve it.
  const document = () =>
    describeErrors(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Digital Media Lab')
          .setDescription(
            'Bookings, equipment, opening hours and guided walkthroughs for the library’s Digital Media Lab.',
          )
          .setVersion('1')
          .addBearerAuth()
          .build(),
        { extraModels: [ErrorResponse] },
      ),
    );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'Digital Media Lab API',
  });
}
