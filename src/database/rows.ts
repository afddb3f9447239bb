import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { PgConnection, queryNamed, sendNamed } from './named-query';

/**
 * An entity's columns selected under an alias in hand-written SQL, and the rows read back into
 * entities, each value converted as TypeORM converts it (the driver's types, then the column's
 * transformer). For the hottest reads, where building the query and TypeORM's general-purpose
 * hydration cost more than the statement; relations are left to the caller.
 */
export class RowReader<T extends ObjectLiteral> {
  /** `s."id" AS "s_id", s."token_hash" AS "s_token_hash", …`, for the SELECT list. */
  readonly columns: string;
  private readonly read: [key: string, column: ColumnMetadata][];

  /**
   * `only`: the properties to read, when the reader's callers need a few of an entity's many
   * columns (the driver builds each row as an object, at a cost that grows with its columns).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly alias: string,
    only?: readonly (keyof T & string)[],
  ) {
    const selected = dataSource
      .getMetadata(entity)
      .columns.filter(
        (c) =>
          c.isSelect &&
          !c.isVirtual &&
          !c.isVirtualProperty &&
          (!only || only.includes(c.propertyName as keyof T & string)),
      );
    if (only && selected.length !== only.length)
      throw new Error(`Not every one of ${only.join(', ')} is a column of ${alias}.`);
    this.read = selected.map((c) => [`${alias}_${c.databaseName}`, c]);
    this.columns = selected
      .map((c) => `${alias}."${c.databaseName}" AS "${alias}_${c.databaseName}"`)
      .join(', ');
  }

  /** The entity in a row read with `columns`. */
  entityOf(row: Record<string, unknown>): T {
    const metadata = this.dataSource.getMetadata(this.entity);
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    const driver = this.dataSource.driver;
    for (const [key, column] of this.read) {
      const value = row[key];
      if (value !== undefined)
        column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  }
}

/** One row ready for an INSERT: its table, the columns given and their values as stored. */
interface RowInsert {
  table: string;
  columns: string[];
  values: unknown[];
}

/**
 * Inserts one row of an entity with a hand-written INSERT: the columns given (others take their
 * defaults), each value converted as TypeORM converts it on saving. Nothing is read back, so
 * every generated value must be given. The statement's text depends only on which columns are
 * given, so the driver prepares it once.
 */
export async function insertRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: Partial<T>,
): Promise<void> {
  const { sql, parameters } = insertsOf([rowInsert(manager, entity, values)]);
  await queryNamed(manager, sql, parameters);
}

/** The rows `appendRow` keeps back, by the transaction's query runner. */
const appended = new WeakMap<object, RowInsert[]>();

/**
 * Inserts a row that nothing in its transaction reads back: an audit record, a queued e-mail.
 * In a transaction that appends (`startAppending`) it waits, and the transaction's appended rows
 * are written together in one statement as its work ends; anywhere else it is inserted at once,
 * as `insertRow` does.
 */
export async function appendRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: Partial<T>,
): Promise<void> {
  const waiting = manager.queryRunner && appended.get(manager.queryRunner);
  if (waiting) waiting.push(rowInsert(manager, entity, values));
  else await insertRow(manager, entity, values);
}

/**
 * From now on, rows appended in the runner's transaction wait, and are written together as its
 * work ends (`writeAppendedRowsAnd`): a change that records itself and queues its notice waits
 * for one round trip to the database, not two. PostgreSQL only: SQLite takes no INSERT inside a
 * `WITH`, and its statements cost no round trip. Whatever still waits at `stopAppending` (the
 * work failed) is never written.
 */
export function startAppending(runner: QueryRunner): void {
  appended.set(runner, []);
}

export function stopAppending(runner: QueryRunner): void {
  appended.delete(runner);
}

/**
 * Writes the rows the transaction has appended, in one statement (a data-modifying `WITH` holding
 * an INSERT for each), and stops appending; then sends `next` on the same connection right behind
 * that statement, without waiting for its answer (see `sendNamed`). With `next` the transaction's
 * COMMIT, the rows and the commit take one round trip. Returns what `next` gives once both are
 * answered; a failure of either is thrown, the rows' first: after a failed statement PostgreSQL
 * answers COMMIT by rolling back.
 */
export async function writeAppendedRowsAnd<N>(
  manager: EntityManager,
  connection: PgConnection,
  next: () => Promise<N>,
): Promise<N> {
  const runner = manager.queryRunner;
  const rows = (runner && appended.get(runner)) ?? [];
  if (runner) appended.delete(runner);
  const statements = together(rows);
  const last = statements.pop();
  for (const statement of statements)
    await queryNamed(manager, statement.sql, statement.parameters);
  if (!last) return next();
  const written = sendNamed(manager, connection, last.sql, last.parameters);
  const answered = await Promise.allSettled([written, next()]);
  for (const outcome of answered) if (outcome.status === 'rejected') throw outcome.reason;
  return (answered[1] as PromiseFulfilledResult<N>).value;
}

/**
 * Writes the rows the transaction has appended so far, now, for work that goes on to read or change
 * one of them. Outside a transaction that appends there are none waiting.
 */
export async function writeAppendedRows(manager: EntityManager): Promise<void> {
  const waiting = manager.queryRunner && appended.get(manager.queryRunner);
  if (!waiting?.length) return;
  for (const statement of together(waiting.splice(0)))
    await queryNamed(manager, statement.sql, statement.parameters);
}

/** PostgreSQL takes at most 65,535 parameters in one statement; this leaves room. */
const MOST_PARAMETERS = 20_000;

/** One statement, its SQL and its named parameters. */
interface Statement {
  sql: string;
  parameters: Record<string, unknown>;
}

/** The statements that write `rows`: as few as the limit on parameters allows. */
function together(rows: RowInsert[]): Statement[] {
  const statements: Statement[] = [];
  let from = 0;
  while (from < rows.length) {
    let to = from;
    let parameters = 0;
    while (
      to < rows.length &&
      (to === from || parameters + rows[to].values.length <= MOST_PARAMETERS)
    )
      parameters += rows[to++].values.length;
    statements.push(insertsOf(rows.slice(from, to)));
    from = to;
  }
  return statements;
}

/** One statement for the rows: a plain INSERT for one, a `WITH` of INSERTs for more. */
function insertsOf(rows: RowInsert[]): Statement {
  const parameters: Record<string, unknown> = {};
  const inserts = rows.map((row, r) => {
    row.values.forEach((value, i) => {
      parameters[`r${r}v${i}`] = value;
    });
    return `INSERT INTO "${row.table}" (${row.columns.map((c) => `"${c}"`).join(', ')})
     VALUES (${row.values.map((_, i) => `:r${r}v${i}`).join(', ')})`;
  });
  const last = inserts.pop()!;
  const before = inserts.map((insert, i) => `w${i} AS (${insert})`);
  return { sql: before.length > 0 ? `WITH ${before.join(',\n')}\n${last}` : last, parameters };
}

function rowInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  values: Partial<T>,
): RowInsert {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const given = metadata.columns.filter(
    (c) => !c.isVirtual && !c.isVirtualProperty && c.getEntityValue(values) !== undefined,
  );
  return {
    table: metadata.tableName,
    columns: given.map((c) => c.databaseName),
    values: given.map((c): unknown => driver.preparePersistentValue(c.getEntityValue(values), c)),
  };
}
