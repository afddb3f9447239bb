import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnsFor } from './column-types';

const LIVE = "('confirmed', 'checked_in')";

export class Bookings1764500000000 implements MigrationInterface {
  name = 'Bookings1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'bookings',
        columns: [
          c.id(),
          c.text('code', 8),
          c.uuid('equipment_id'),
          c.uuid('patron_id'),
          c.uuid('created_by_id'),
          c.instant('start_at'),
          c.instant('end_at'),
          c.instant('blocked_until'),
          c.text('status', 16),
          c.text('notes', undefined, true),
          c.text('idempotency_key', 200, true),
          c.int('sequence', 0),
          c.instant('created_at'),
          c.instant('updated_at'),
          c.instant('checked_in_at', true),
          c.instant('completed_at', true),
          c.instant('cancelled_at', true),
          c.instant('no_show_at', true),
          c.instant('reminder_sent_at', true),
        ],
        uniques: [
          { name: 'uq_bookings_code', columnNames: ['code'] },
          { name: 'uq_bookings_idempotency', columnNames: ['created_by_id', 'idempotency_key'] },
        ],
        checks: [
          {
            name: 'ck_bookings_status',
            expression:
              "status IN ('confirmed', 'checked_in', 'completed', 'cancelled', 'no_show')",
          },
          {
            name: 'ck_bookings_times',
            expression: 'start_at < end_at AND end_at <= blocked_until',
          },
        ],
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
          {
            columnNames: ['created_by_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          { name: 'ix_bookings_equipment_start', columnNames: ['equipment_id', 'start_at'] },
          { name: 'ix_bookings_patron_start', columnNames: ['patron_id', 'start_at'] },
          { name: 'ix_bookings_status_start', columnNames: ['status', 'start_at'] },
        ],
      }),
    );

    if (c.onPostgres) {
      // The database refuses overlapping live bookings, whatever the app does: a half-open range
      // per device, only over live statuses. btree_gist lets the uuid take part in the gist index.
      await runner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
      await runner.query(
        `ALTER TABLE bookings ADD CONSTRAINT ex_bookings_no_overlap_v1 EXCLUDE USING gist ("equipment_id" WITH =, tstzrange("start_at", "blocked_until", '[)') WITH &&) WHERE ("status" IN ${LIVE})`,
      );
    } else {
      // SQLite has no exclusion constraints: triggers refuse the overlapping row instead. Writes
      // are serialised, so the check and the insert cannot interleave with another writer's.
      for (const event of ['INSERT', 'UPDATE OF start_at, blocked_until, status, equipment_id']) {
        const name =
          event === 'INSERT' ? 'tr_bookings_no_overlap_insert' : 'tr_bookings_no_overlap_update';
        await runner.query(
          `CREATE TRIGGER ${name} BEFORE ${event} ON bookings
           WHEN NEW.status IN ${LIVE}
           BEGIN
             SELECT RAISE(ABORT, 'SLOT_TAKEN') WHERE EXISTS (
               SELECT 1 FROM bookings b
               WHERE b.equipment_id = NEW.equipment_id AND b.id <> NEW.id AND b.status IN ${LIVE}
                 AND b.start_at < NEW.blocked_until AND NEW.start_at < b.blocked_until);
           END`,
        );
      }
    }

    await runner.createTable(
      new Table({
        name: 'waitlist_entries',
        columns: [
          c.id(),
          c.uuid('equipment_id'),
          c.uuid('patron_id'),
          c.instant('start_at'),
          c.instant('end_at'),
          c.text('status', 16),
          c.uuid('booking_id', true),
          c.int('place'),
          c.instant('created_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['equipment_id'],
            referencedTableName: 'equipment',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['patron_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          {
            name: 'ix_waitlist_equipment_status',
            columnNames: ['equipment_id', 'status', 'start_at'],
          },
        ],
        uniques: [{ name: 'uq_waitlist_equipment_place', columnNames: ['equipment_id', 'place'] }],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'outages',
        columns: [
          c.id(),
          c.uuid('equipment_id'),
          c.instant('start_at'),
          c.instant('end_at'),
          c.text('reason', 500),
          c.uuid('created_by_id', true),
          c.instant('created_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['equipment_id'],
            referencedTableName: 'equipment',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          { name: 'ix_outages_equipment_start', columnNames: ['equipment_id', 'start_at'] },
        ],
        checks: [{ name: 'ck_outages_times', expression: 'start_at < end_at' }],
      }),
    );

    await runner.addColumn('users', new TableColumn(c.text('calendar_token', 64, true)));
    await runner.createIndex(
      'users',
      new TableIndex({
        name: 'uq_users_calendar_token',
        columnNames: ['calendar_token'],
        isUnique: true,
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('users', 'uq_users_calendar_token');
    await runner.dropColumn('users', 'calendar_token');
    await runner.dropTable('outages');
    await runner.dropTable('waitlist_entries');
    await runner.dropTable('bookings');
  }
}
