import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { AppConfig, ConfigError, loadAppConfig } from './config/app-config';

async function main(): Promise<void> {
  // Check the settings before Nest starts, so a bad one stops us with one clear line.
  loadAppConfig(process.env);
  // abortOnError: false hands start-up errors (a bad setting) to the handler below, which names them.
  const app = await NestFactory.create(AppModule, { bufferLogs: true, abortOnError: false });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  const configError = error instanceof ConfigError ? error : (error as { cause?: unknown })?.cause;
  if (configError instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${configError.message}\n`);
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
