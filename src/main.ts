import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { SharedRateLimits } from './common/shared-rate-limits';
import { AppConfig, ConfigError, loadAppConfig } from './config/app-config';
import { checkSqliteFile, DatabaseStartupError } from './database/sqlite-file-check';

async function main(): Promise<void> {
  // Check the settings before Nest starts, so a bad one stops us with one clear line.
  const settings = loadAppConfig(process.env);
  // And the SQLite file, before Nest logs anything: a damaged or foreign one stops us the same way.
  if (settings.databaseKind === 'sqlite') checkSqliteFile(settings.sqlitePath);
  // And Redis, when the rate limits are to be shared through it.
  if (settings.redisUrl) (await SharedRateLimits.connect(settings)).onApplicationShutdown();
  // abortOnError: false hands start-up errors (a bad setting) to the handler below, which names them.
  const app = await NestFactory.create(AppModule, { bufferLogs: true, abortOnError: false });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  const configError = error instanceof ConfigError ? error : (error as { cause?: unknown })?.cause;
  const databaseError = [error, (error as { cause?: unknown })?.cause].find(
    (e) => e instanceof DatabaseStartupError,
  );
  if (configError instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${configError.message}\n`);
  } else if (databaseError) {
    process.stderr.write(`Could not start: ${databaseError.message}\n`);
  } else if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    // A system error (the port taken, a folder not allowed) says all it needs in one line.
    process.stderr.write(`Could not start: ${error.message}\n`);
  } else {
    process.stderr.write(
      `Could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
