import 'reflect-metadata';
// First, so that its checks (and the SQLite file's scan, in a worker) run while the rest loads.
import { startChecks } from './start-checks';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { keepCompiledCode } from './code-cache';
import { configureApp } from './bootstrap';
import { SharedRateLimits } from './common/shared-rate-limits';
import { AppConfig, ConfigError } from './config/app-config';
import { DatabaseStartupError, sqliteFileScanned } from './database/sqlite-file-check';

async function main(): Promise<void> {
  // The settings and the SQLite file are checked before Nest starts (see start-checks.ts).
  const settings = await startChecks;
  // The file's damage scan goes on while Nest builds the app, which opens the file once it is
  // done. A damaged file stops the start at once with its own line, not as Nest's failure.
  if (settings.databaseKind === 'sqlite') sqliteFileScanned(settings.sqlitePath).catch(stop);
  // And Redis, when the rate limits are to be shared through it.
  if (settings.redisUrl) (await SharedRateLimits.connect(settings)).onApplicationShutdown();
  // abortOnError: false hands start-up errors (a bad setting) to the handler below, which names them.
  const app = await NestFactory.create(AppModule, { bufferLogs: true, abortOnError: false });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  keepCompiledCode(new Logger('Start'));
}

main().catch(stop);

/** Names what stopped the start, in one line where it can, and exits. */
function stop(error: unknown): never {
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
}
