import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { AppConfig, ConfigError } from './config/app-config';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  const configError = error instanceof ConfigError ? error : (error as { cause?: unknown })?.cause;
  if (configError instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${configError.message}\n`);
  } else {
    process.stderr.write(
      `Could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
