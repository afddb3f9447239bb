import { MigrationInterface, QueryRunner } from 'typeorm';
import { columnsFor } from './column-types';

/** The channel on which PostgreSQL announces that what availability judges patrons by changed. */
export const PATRON_FACTS_CHANNEL = 'patron_facts_changed';

const TABLES = [
  'bookings',
  'certifications',
  'manual_progress',
  'manuals',
  'manual_revisions',
  'manual_equipment',
];

/**
 * On PostgreSQL, any change to bookings, certifications, walkthroughs or patrons' reading of them
 * is announced on `patron_facts_changed` as its transaction commits, so instances that keep
 * signed-in patrons' own bookings, certifications and walkthroughs to re-read in memory between
 * their looks at availability drop them (`PatronFactsCache`).
 */
export class PatronFactsNotify1765220000000 implements MigrationInterface {
  name = 'PatronFactsNotify1765220000000';

  async up(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    await runner.query(
      `CREATE FUNCTION announce_patron_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${PATRON_FACTS_CHANNEL}', '');
         RETURN NULL;
       END $$`,
    );
    for (const table of TABLES)
      await runner.query(
        `CREATE TRIGGER tr_${table}_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION announce_patron_facts_changed()`,
      );
  }

  async down(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    for (const table of TABLES)
      await runner.query(`DROP TRIGGER IF EXISTS tr_${table}_announce ON ${table}`);
    await runner.query('DROP FUNCTION IF EXISTS announce_patron_facts_changed()');
  }
}
