import { Column, ColumnOptions, ValueTransformer } from 'typeorm';
import { databaseKindOf } from '../config/app-config';
import { DEFAULT_DATABASE_URL } from '../config/sqlite-file';

/**
 * Instants are stored as `timestamptz` on Postgres and as integer epoch milliseconds on SQLite:
 * both sort and compare as instants. SQLite text timestamps are avoided on purpose: a value written
 * as `…T…Z` next to `YYYY-MM-DD HH:MM:SS.sss` compares wrongly with `<`, and with it the overlap
 * check. Column types are fixed when entities are declared, so the engine is read from
 * DATABASE_URL here; it is the same variable the app is configured by.
 */
export const ON_POSTGRES =
  databaseKindOf(process.env.DATABASE_URL || DEFAULT_DATABASE_URL) === 'postgres';

/** Converts an instant into the value the database stores, for query parameters. */
export function toDbInstant(value: Date): Date | number {
  return ON_POSTGRES ? value : value.getTime();
}

export function fromDbInstant(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string')
    return /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  throw new TypeError(`Not an instant: ${String(value)}`);
}

const instantTransformer: ValueTransformer = {
  to: (value: Date | null | undefined) => (value == null ? value : toDbInstant(value)),
  from: (value: unknown) => (value == null ? null : fromDbInstant(value)),
};

export function InstantColumn(
  options: Omit<ColumnOptions, 'type' | 'transformer'> = {},
): PropertyDecorator {
  return Column({
    ...options,
    type: ON_POSTGRES ? 'timestamptz' : 'integer',
    transformer: instantTransformer,
  });
}

/** The column type for instants in migrations, for the engine the migration runs on. */
export function instantColumnType(driverType: string): string {
  return driverType === 'postgres' ? 'timestamptz' : 'integer';
}
