import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnsFor } from './column-types';

export class Outbox1765000000000 implements MigrationInterface {
  name = 'Outbox1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    // No foreign key to bookings: a notice outlives nothing it reports, but it must never block
    // a booking's history from being kept as it is.
    await runner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          c.id(),
          c.text('kind', 32),
          c.text('recipient', 320, true),
          c.text('subject', 300),
          c.uuid('booking_id', true),
          c.text('payload'),
          c.text('status', 16),
          c.int('attempts', 0),
          c.instant('created_at'),
          c.instant('next_attempt_at'),
          c.instant('give_up_at'),
          c.instant('claimed_until', true),
          c.text('claim_token', 36, true),
          c.instant('sent_at', true),
          c.text('last_error', undefined, true),
        ],
        indices: [
          { name: 'ix_notifications_status_next', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_notifications_created', columnNames: ['created_at'] },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('notifications');
  }
}
