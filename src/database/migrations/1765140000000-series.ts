import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnsFor } from './column-types';

/** Recurring bookings: a series, and each occurrence's booking pointing at it. */
export class Series1765140000000 implements MigrationInterface {
  name = 'Series1765140000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'booking_series',
        columns: [
          c.id(),
          c.uuid('equipment_id'),
          c.uuid('patron_id'),
          c.uuid('created_by_id'),
          c.text('title', 200, true),
          c.text('repeat_every', 8),
          c.int('repeat_count', undefined, true),
          c.text('repeat_until', 10, true),
          c.instant('first_start'),
          c.instant('first_end'),
          c.instant('created_at'),
        ],
        checks: [{ name: 'ck_series_every', expression: "repeat_every IN ('day', 'week')" }],
        foreignKeys: [
          {
            columnNames: ['equipment_id'],
            referencedTableName: 'equipment',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
          {
            columnNames: ['patron_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    const column = c.uuid('series_id', true);
    if (c.onPostgres) await runner.addColumn('bookings', new TableColumn(column));
    // SQLite's own ADD COLUMN keeps the bookings table and its no-overlap triggers as they are.
    else await runner.query(`ALTER TABLE bookings ADD COLUMN "series_id" varchar(36)`);
    await runner.createIndex(
      'bookings',
      new TableIndex({ name: 'ix_bookings_series', columnNames: ['series_id'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.dropIndex('bookings', 'ix_bookings_series');
    if (c.onPostgres) await runner.dropColumn('bookings', 'series_id');
    else await runner.query('ALTER TABLE bookings DROP COLUMN "series_id"');
    await runner.dropTable('booking_series');
  }
}
