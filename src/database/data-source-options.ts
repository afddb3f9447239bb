import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import { AppConfig } from '../config/app-config';
import { migrations } from './migrations';
import { checkSqliteFile, sqliteFileScanned } from './sqlite-file-check';

const MIGRATION_LOCK = 731_001;

export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseKind' | 'databaseUrl' | 'sqlitePath'>,
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions & { autoLoadEntities: boolean } {
  const common = {
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    autoLoadEntities: true,
    logging: false,
  };
  if (config.databaseKind === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.databaseUrl,
      extra: {
        // Ten for the app's work, and one that `/health` takes at start and keeps for its ping.
        max: 11,
        // Writes rely on READ COMMITTED: each statement after the device lock sees what the lock's
        // previous holder committed. Set for the session as it connects, whatever the database's
        // default, so a transaction opens with one statement rather than two.
        options: withReadCommitted(config.databaseUrl),
        // A statement is sent without waiting for the answer to the one before it on the same
        // connection, so a transaction's START TRANSACTION and COMMIT ride with its work's
        // statements (`WriteTransactionService`). Answers still come back one per statement, in
        // order; a statement that fails fails alone.
        pipeline: true,
      },
    };
  }
  if (config.sqlitePath !== ':memory:') {
    try {
      mkdirSync(dirname(config.sqlitePath), { recursive: true });
    } catch {
      // The start-up check names the folder (checkSqliteFile); the CLI fails on opening it.
    }
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    },
  };
}

/** The URL's own server options (`?options=…`), which the driver would otherwise drop, and ours. */
function withReadCommitted(databaseUrl: string): string {
  let given: string | null = null;
  try {
    given = new URL(databaseUrl).searchParams.get('options');
  } catch {
    // Not a URL the driver would read either; it names the problem when it connects.
  }
  return [given, '-c default_transaction_isolation=read\\ committed'].filter(Boolean).join(' ');
}

/**
 * Opens the database and brings its schema up to date; a SQLite file is checked first, once its
 * damage scan under way in the background (see `startSqliteScan`) has found it sound. On Postgres
 * the migrations run under an advisory lock so that several instances starting together migrate
 * once, one after another.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3') {
    await sqliteFileScanned(options.database);
    checkSqliteFile(options.database);
  }
  const dataSource = await new DataSource(options).initialize();
  if (options.type === 'better-sqlite3') bindWholeNumbers(dataSource.driver);
  if (options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

/**
 * TypeORM writes a number given as a query parameter into SQLite's SQL as a literal. On SQLite
 * every instant is a number, so nearly every query had a text of its own: the driver's cache of
 * prepared statements never hit, and each query was compiled anew (in one benchmark run, 2,592
 * statements prepared for 2,739 queries). Whole numbers are handed over as BigInt instead, which
 * the driver binds as a parameter and SQLite stores as INTEGER, exactly as it stores the literal;
 * the same query then has the same text and is prepared once. Other numbers stay literals.
 */
export function bindWholeNumbers(driver: Driver): void {
  const escape = driver.escapeQueryWithParameters.bind(driver);
  const bound = (value: unknown): unknown =>
    typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
  driver.escapeQueryWithParameters = (sql: string, parameters: Record<string, unknown>) => {
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parameters ?? {}))
      given[key] = Array.isArray(value) ? value.map(bound) : bound(value);
    return escape(sql, given);
  };
}
