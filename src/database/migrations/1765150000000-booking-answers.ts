import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnsFor } from './column-types';

/** A booking's answers to its device's questions, and when its patron accepted the terms. */
export class BookingAnswers1765150000000 implements MigrationInterface {
  name = 'BookingAnswers1765150000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    if (c.onPostgres) {
      await runner.addColumns('bookings', [
        new TableColumn(c.text('answers', undefined, true)),
        new TableColumn(c.instant('terms_accepted_at', true)),
      ]);
      return;
    }
    // SQLite's own ADD COLUMN keeps the bookings table and its no-overlap triggers as they are.
    await runner.query('ALTER TABLE bookings ADD COLUMN "answers" text');
    const instant = c.instant('terms_accepted_at', true).type;
    await runner.query(`ALTER TABLE bookings ADD COLUMN "terms_accepted_at" ${instant}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    for (const name of ['terms_accepted_at', 'answers']) {
      if (c.onPostgres) await runner.dropColumn('bookings', name);
      else await runner.query(`ALTER TABLE bookings DROP COLUMN "${name}"`);
    }
  }
}
