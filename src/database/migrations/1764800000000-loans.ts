import { MigrationInterface, QueryRunner, TableColumn, TableColumnOptions } from 'typeorm';
import { columnsFor } from './column-types';

/** What the desk records when a kit goes out and comes back, on the booking it belongs to. */
function loanColumns(c: ReturnType<typeof columnsFor>): TableColumnOptions[] {
  return [
    c.uuid('checked_out_by_id', true),
    c.text('parts_out', undefined, true),
    c.uuid('returned_by_id', true),
    c.text('return_condition', 2000, true),
    c.text('missing_parts', undefined, true),
    c.instant('overdue_notice_sent_at', true),
  ];
}

export class Loans1764800000000 implements MigrationInterface {
  name = 'Loans1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const columns = loanColumns(c);
    if (c.onPostgres) {
      await runner.addColumns(
        'bookings',
        columns.map((column) => new TableColumn(column)),
      );
      return;
    }
    // TypeORM adds a column on SQLite by rebuilding the table, and dropping the old table drops
    // the no-overlap triggers with it. SQLite's own ADD COLUMN keeps the table and its triggers.
    for (const column of columns) {
      const type = column.length ? `${column.type}(${column.length})` : column.type;
      await runner.query(`ALTER TABLE bookings ADD COLUMN "${column.name}" ${type}`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    for (const column of loanColumns(c).reverse()) {
      if (c.onPostgres) await runner.dropColumn('bookings', column.name);
      else await runner.query(`ALTER TABLE bookings DROP COLUMN "${column.name}"`);
    }
  }
}
