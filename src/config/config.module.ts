import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig, loadAppConfig } from './app-config';

/**
 * Loads and validates the environment once through @nestjs/config and exposes it as the typed
 * `AppConfig`. A bad value throws at start with a message that names the variable.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      cache: true,
      load: [() => ({ app: loadAppConfig(process.env) })],
    }),
  ],
  providers: [
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => config.getOrThrow<AppConfig>('app'),
    },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {}
