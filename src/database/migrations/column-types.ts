import { QueryRunner, TableColumnOptions } from 'typeorm';
import { instantColumnType } from '../instant';

/** Column helpers so that one migration builds the same schema on SQLite and Postgres. */
export function columnsFor(runner: QueryRunner) {
  const driver = runner.connection.options.type;
  const onPostgres = driver === 'postgres';
  return {
    onPostgres,
    id: (name = 'id'): TableColumnOptions => ({
      name,
      type: onPostgres ? 'uuid' : 'varchar',
      length: onPostgres ? undefined : '36',
      isPrimary: true,
    }),
    uuid: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: onPostgres ? 'uuid' : 'varchar',
      length: onPostgres ? undefined : '36',
      isNullable: nullable,
    }),
    text: (
      name: string,
      length?: number,
      nullable = false,
      defaultValue?: string,
    ): TableColumnOptions => ({
      name,
      type: length ? 'varchar' : 'text',
      length: length ? String(length) : undefined,
      isNullable: nullable,
      default: defaultValue === undefined ? undefined : `'${defaultValue}'`,
    }),
    int: (name: string, defaultValue?: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: nullable,
      default: defaultValue,
    }),
    bool: (name: string, defaultValue = false): TableColumnOptions => ({
      name,
      type: 'boolean',
      default: onPostgres ? String(defaultValue) : defaultValue ? 1 : 0,
    }),
    instant: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: instantColumnType(driver),
      isNullable: nullable,
    }),
  };
}
