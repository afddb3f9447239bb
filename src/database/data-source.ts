import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI only (`npm run migration:*`); the app opens its own through Nest. */
export default new DataSource(
  dataSourceOptions(loadAppConfig(process.env), [join(__dirname, '..', '**', '*.entity.js')]),
);
