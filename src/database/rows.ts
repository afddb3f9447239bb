import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { queryNamed } from './named-query';

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
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const given = metadata.columns.filter(
    (c) => !c.isVirtual && !c.isVirtualProperty && c.getEntityValue(values) !== undefined,
  );
  const parameters: Record<string, unknown> = {};
  given.forEach((c, i) => {
    parameters[`v${i}`] = driver.preparePersistentValue(c.getEntityValue(values), c);
  });
  await queryNamed(
    manager,
    `INSERT INTO "${metadata.tableName}" (${given.map((c) => `"${c.databaseName}"`).join(', ')})
     VALUES (${given.map((_, i) => `:v${i}`).join(', ')})`,
    parameters,
  );
}
