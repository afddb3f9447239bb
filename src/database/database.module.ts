import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { CatalogListener } from './catalog-listener';
import { CatalogCache } from './catalog-version';
import { openDataSource, dataSourceOptions } from './data-source-options';
import { SessionCache } from './session-cache';
import { SqliteChanges } from './sqlite-changes';
import { DatabaseStartupError } from './sqlite-file-check';
import { WriteTransactionService } from './write-transaction.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        // A PostgreSQL server may still be starting; a SQLite file that failed will fail again.
        toRetry: (error: unknown) =>
          config.databaseKind === 'postgres' && !(error instanceof DatabaseStartupError),
      }),
      dataSourceFactory: async (options) => openDataSource(options!),
    }),
  ],
  providers: [WriteTransactionService, CatalogCache, CatalogListener, SessionCache, SqliteChanges],
  exports: [WriteTransactionService, CatalogCache, CatalogListener, SessionCache, SqliteChanges],
})
export class DatabaseModule {}
