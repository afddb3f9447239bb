import type { Database, Statement } from 'better-sqlite3';
import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * One hand-written statement with `:name` and `:...list` parameters, written for the engine in
 * use, its rows returned as the driver gives them. For the hot reads, where building a query
 * and hydrating entities would cost more than the statement itself.
 *
 * On PostgreSQL each statement is prepared once per connection and run by name after that.
 * Planning was most of the database's work on the hot paths: about 0.25–0.9 ms a statement
 * against 0.03–0.3 ms running it. A prepared statement is planned afresh for its first five
 * runs, then PostgreSQL keeps one plan when that plan costs no more than the fresh ones did.
 */
export function queryNamed<Row>(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<Row[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  if (manager.connection.options.type === 'postgres')
    return queryPrepared<Row>(manager, text, values);
  if (manager.queryRunner) return manager.query<Row[]>(text, values);
  try {
    const rows = readSqlite<Row>(manager, text, values);
    return rows ? Promise.resolve(rows) : manager.query<Row[]>(text, values);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * `queryNamed`'s rows at once, where a statement can be answered without waiting: on SQLite,
 * outside any transaction, for a statement that returns rows. Undefined anywhere else (ask
 * `queryNamed`). What is done with the rows in the same turn happens before anything else the
 * process does can change them.
 */
export function queryNamedNow<Row>(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown>,
): Row[] | undefined {
  if (manager.connection.options.type !== 'better-sqlite3' || manager.queryRunner) return undefined;
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  return readSqlite<Row>(manager, text, values);
}

/** Each SQLite connection's statements prepared by `readSqlite`, by text. */
const sqliteStatements = new WeakMap<Database, Map<string, Statement>>();

/**
 * A statement outside any transaction on SQLite, run on the one connection straight away; TypeORM
 * would take a query runner, announce the statement to subscribers before and after, and wait on
 * promises between each step. The statement is logged and its failure thrown as TypeORM reports
 * one. Undefined for a statement that returns no rows: what changes anything is left to TypeORM.
 */
function readSqlite<Row>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Row[] | undefined {
  const dataSource = manager.connection;
  const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  let statements = sqliteStatements.get(db);
  if (!statements) sqliteStatements.set(db, (statements = new Map<string, Statement>()));
  // As TypeORM binds them: better-sqlite3 takes no booleans.
  const bound = values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
  const failed = (error: unknown) => {
    dataSource.logger.logQueryError(error as Error, text, bound);
    return new QueryFailedError(text, bound, error as Error);
  };
  let statement = statements.get(text);
  if (!statement) {
    try {
      statement = db.prepare(text);
    } catch (error) {
      dataSource.logger.logQuery(text, bound);
      throw failed(error);
    }
    if (statements.size >= MOST_PREPARED) statements.clear();
    statements.set(text, statement);
  }
  if (!statement.reader) return undefined;
  dataSource.logger.logQuery(text, bound);
  try {
    return statement.all(...bound) as Row[];
  } catch (error) {
    throw failed(error);
  }
}

/**
 * The code's own constants (statuses, say) written into a statement as literals, not bound as
 * parameters. PostgreSQL plans a prepared statement once for every value of its parameters, so it
 * can only fit a partial index or use a column's statistics to a value it can see: the live
 * statuses bound as parameters, a booking's facts at 500,000 bookings were planned afresh on
 * every run (about 1 ms each), the one plan for all being estimated at a hundred times the cost.
 */
export function constantList(values: readonly string[]): string {
  for (const value of values)
    if (!/^[a-z_]+$/.test(value)) throw new Error(`Not a constant for a statement: ${value}`);
  return values.map((value) => `'${value}'`).join(', ');
}

/**
 * The name each statement text is prepared under, for every connection of this process. The
 * texts are the code's own, with one form per length of a `:...list`, so they are few; past
 * this many, a new text is run unprepared rather than held on every connection.
 */
const preparedNames = new Map<string, string>();
const MOST_PREPARED = 200;
/**
 * A statement with more values than this is a bulk write (audit records by the thousand, an
 * import) or an unusually long list: run once, it gains nothing from being kept on a connection.
 */
const MOST_VALUES_PREPARED = 1000;

/** The driver's connection, as the app uses it. */
export interface PgConnection {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{
    command: string;
    rows: unknown[];
    rowCount: number | null;
  }>;
}

async function queryPrepared<Row>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const own = manager.queryRunner;
  // A released runner: let TypeORM answer as it does to any statement on one.
  if (own?.isReleased) return manager.query<Row[]>(text, values);
  const runner = own ?? manager.connection.createQueryRunner();
  try {
    const connection = (await runner.connect()) as PgConnection;
    return await sendOn<Row>(manager, connection, text, values);
  } finally {
    if (runner !== own) await runner.release();
  }
}

/**
 * `queryNamed` on PostgreSQL, on a connection of the caller's transaction that it already holds.
 * The statement is handed to the driver before this returns, so a statement the caller sends on
 * the connection next is run after it; the driver pipelines (`pipeline` in `dataSourceOptions`),
 * so the two go out together and the second need not wait for the first's answer.
 */
export function sendNamed<Row>(
  manager: EntityManager,
  connection: PgConnection,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<Row[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  return sendOn<Row>(manager, connection, text, values);
}

/** A statement handed to the driver at once: by name when it is one to keep prepared. */
function sendOn<Row>(
  manager: EntityManager,
  connection: PgConnection,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const name = preparedName(text, values);
  const logger = manager.connection.logger;
  const runner = manager.queryRunner;
  logger.logQuery(text, values, runner);
  return connection.query({ name, text, values }).then(
    // What TypeORM's `query` gives for the same statement.
    (raw) =>
      (raw.command === 'UPDATE' || raw.command === 'DELETE'
        ? [raw.rows, raw.rowCount]
        : raw.rows) as Row[],
    (error: Error) => {
      // As TypeORM reports a failed statement, so a lost race still answers 409.
      logger.logQueryError(error, text, values, runner);
      throw new QueryFailedError(text, values, error);
    },
  );
}

/** The name `text` is prepared under, or none for a statement run unprepared. */
function preparedName(text: string, values: unknown[]): string | undefined {
  if (values.length > MOST_VALUES_PREPARED) return undefined;
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < MOST_PREPARED) {
    name = `dml_${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name;
}
