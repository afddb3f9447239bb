import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

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

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    private readonly alias: string,
  ) {
    const selected = dataSource
      .getMetadata(entity)
      .columns.filter((c) => c.isSelect && !c.isVirtual && !c.isVirtualProperty);
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
