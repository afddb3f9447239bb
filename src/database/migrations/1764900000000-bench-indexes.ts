import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * An index the benchmark showed missing once the history grew (500,000 bookings, SQLite).
 *
 * Availability, the clash check and the SQLite overlap trigger ask for one device's live bookings
 * near a time: `equipment_id = ? AND status IN ('confirmed', 'checked_in') AND start_at < ?`. On
 * (equipment_id, start_at) that walks every booking the device ever had before that time; with
 * status in the key it reads only the live ones, which the booking horizon keeps few.
 */
export class BenchIndexes1764900000000 implements MigrationInterface {
  name = 'BenchIndexes1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createIndex(
      'bookings',
      new TableIndex({
        name: 'ix_bookings_equipment_status_start',
        columnNames: ['equipment_id', 'status', 'start_at'],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('bookings', 'ix_bookings_equipment_status_start');
  }
}
