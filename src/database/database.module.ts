import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { openDataSource, dataSourceOptions } from './data-source-options';
import { WriteTransactionService } from './write-transaction.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
      dataSourceFactory: async (options) => openDataSource(options!),
    }),
  ],
  providers: [WriteTransactionService],
  exports: [WriteTransactionService],
})
export class DatabaseModule {}
