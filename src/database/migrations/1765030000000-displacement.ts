import { MigrationInterface, QueryRunner, TableColumn, TableColumnOptions } from 'typeorm';
import { columnsFor } from './column-types';

/** When a booking could first be used (for the no-show grace), and why the lab took it away. */
function displacementColumns(c: ReturnType<typeof columnsFor>): TableColumnOptions[] {
  return [
    c.instant('usable_from', true),
    c.instant('displaced_at', true),
    c.text('displaced_kind', 16, true),
    c.text('displaced_reason', 600, true),
  ];
}

const STATUS_CHECK = 'ck_bookings_status';
const OLD_STATUSES = "status IN ('confirmed', 'checked_in', 'completed', 'cancelled', 'no_show')";
const NEW_STATUSES =
  "status IN ('pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'displaced')";

/**
 * Lets the status column hold `pending` and `displaced`. On SQLite a CHECK constraint can only
 * change by rebuilding the table, and dropping the old table drops its indexes and no-overlap
 * triggers, so their SQL is read first and run again on the new table. TypeORM runs migrations
 * on SQLite with foreign keys off, so no row that refers to a booking is touched.
 */
async function setStatusCheck(runner: QueryRunner, from: string, to: string): Promise<void> {
  if (runner.connection.options.type === 'postgres') {
    await runner.query(`ALTER TABLE bookings DROP CONSTRAINT "${STATUS_CHECK}"`);
    await runner.query(`ALTER TABLE bookings ADD CONSTRAINT "${STATUS_CHECK}" CHECK (${to})`);
    return;
  }
  const [table] = (await runner.query(
    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'bookings'",
  )) as { sql: string }[];
  if (!table.sql.includes(from)) throw new Error(`bookings has no check "${from}" to change`);
  const dependents = (await runner.query(
    "SELECT sql FROM sqlite_master WHERE tbl_name = 'bookings' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type",
  )) as { sql: string }[];
  const rebuilt = table.sql
    .replace(from, to)
    .replace(/^CREATE TABLE "?bookings"?/, 'CREATE TABLE "bookings_rebuilt"');
  await runner.query(rebuilt);
  await runner.query('INSERT INTO "bookings_rebuilt" SELECT * FROM "bookings"');
  await runner.query('DROP TABLE "bookings"');
  await runner.query('ALTER TABLE "bookings_rebuilt" RENAME TO "bookings"');
  for (const { sql } of dependents) await runner.query(sql);
}

export class Displacement1765030000000 implements MigrationInterface {
  name = 'Displacement1765030000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await setStatusCheck(runner, OLD_STATUSES, NEW_STATUSES);
    const columns = displacementColumns(c);
    if (c.onPostgres) {
      await runner.addColumns(
        'bookings',
        columns.map((column) => new TableColumn(column)),
      );
      return;
    }
    // SQLite's own ADD COLUMN keeps the table and its no-overlap triggers as they are.
    for (const column of columns) {
      const type = column.length ? `${column.type}(${column.length})` : column.type;
      await runner.query(`ALTER TABLE bookings ADD COLUMN "${column.name}" ${type}`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    for (const column of displacementColumns(c).reverse()) {
      if (c.onPostgres) await runner.dropColumn('bookings', column.name);
      else await runner.query(`ALTER TABLE bookings DROP COLUMN "${column.name}"`);
    }
    // The older schema knows neither status: a displaced booking reads as cancelled there.
    await runner.query(
      "UPDATE bookings SET status = 'cancelled' WHERE status IN ('pending', 'displaced')",
    );
    await setStatusCheck(runner, NEW_STATUSES, OLD_STATUSES);
  }
}
