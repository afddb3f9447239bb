import { MigrationInterface, QueryRunner, TableColumn, TableColumnOptions } from 'typeorm';
import { columnsFor } from './column-types';

/** When a pending booking lapses if nobody decides, and who decided it, when and why. */
function approvalColumns(c: ReturnType<typeof columnsFor>): TableColumnOptions[] {
  return [
    c.instant('decide_by', true),
    c.instant('decided_at', true),
    c.uuid('decided_by_id', true),
    c.text('decision_reason', 600, true),
  ];
}

const HOLDING_BEFORE = "('confirmed', 'checked_in')";
const HOLDING_AFTER = "('pending', 'confirmed', 'checked_in')";

/**
 * The database's no-overlap guarantee over the given statuses: an exclusion constraint on
 * PostgreSQL (its name carries a version, so the entity's decorator follows it), triggers on
 * SQLite, which can be dropped and made again without rebuilding the table.
 */
async function guardOverlaps(
  runner: QueryRunner,
  holding: string,
  from: string,
  to: string,
): Promise<void> {
  if (runner.connection.options.type === 'postgres') {
    await runner.query(`ALTER TABLE bookings DROP CONSTRAINT IF EXISTS ${from}`);
    await runner.query(
      `ALTER TABLE bookings ADD CONSTRAINT ${to} EXCLUDE USING gist ("equipment_id" WITH =, tstzrange("start_at", "blocked_until", '[)') WITH &&) WHERE ("status" IN ${holding})`,
    );
    return;
  }
  for (const event of ['INSERT', 'UPDATE OF start_at, blocked_until, status, equipment_id']) {
    const name =
      event === 'INSERT' ? 'tr_bookings_no_overlap_insert' : 'tr_bookings_no_overlap_update';
    await runner.query(`DROP TRIGGER IF EXISTS ${name}`);
    await runner.query(
      `CREATE TRIGGER ${name} BEFORE ${event} ON bookings
       WHEN NEW.status IN ${holding}
       BEGIN
         SELECT RAISE(ABORT, 'SLOT_TAKEN') WHERE EXISTS (
           SELECT 1 FROM bookings b
           WHERE b.equipment_id = NEW.equipment_id AND b.id <> NEW.id AND b.status IN ${holding}
             AND b.start_at < NEW.blocked_until AND NEW.start_at < b.blocked_until);
       END`,
    );
  }
}

/**
 * Approval bookings: a `pending` booking holds its time like a confirmed one, so the database's
 * no-overlap guarantee covers it too.
 */
export class Approvals1765130000000 implements MigrationInterface {
  name = 'Approvals1765130000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const columns = approvalColumns(c);
    if (c.onPostgres) {
      await runner.addColumns(
        'bookings',
        columns.map((column) => new TableColumn(column)),
      );
    } else {
      // SQLite's own ADD COLUMN keeps the table and its triggers as they are.
      for (const column of columns) {
        const type = column.length ? `${column.type}(${column.length})` : column.type;
        await runner.query(`ALTER TABLE bookings ADD COLUMN "${column.name}" ${type}`);
      }
    }
    await guardOverlaps(
      runner,
      HOLDING_AFTER,
      'ex_bookings_no_overlap_v1',
      'ex_bookings_no_overlap_v2',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    // The older schema has no approvals: a booking still waiting for one is cancelled there.
    await runner.query("UPDATE bookings SET status = 'cancelled' WHERE status = 'pending'");
    await guardOverlaps(
      runner,
      HOLDING_BEFORE,
      'ex_bookings_no_overlap_v2',
      'ex_bookings_no_overlap_v1',
    );
    for (const column of approvalColumns(c).reverse()) {
      if (c.onPostgres) await runner.dropColumn('bookings', column.name);
      else await runner.query(`ALTER TABLE bookings DROP COLUMN "${column.name}"`);
    }
  }
}
