import { MigrationInterface, QueryRunner } from 'typeorm';
import { columnsFor } from './column-types';

/** The channel on which PostgreSQL announces that a device's published walkthroughs changed. */
export const MANUAL_LINKS_CHANNEL = 'manual_links_changed';

const TABLES = ['manuals', 'manual_revisions', 'manual_equipment'];

/**
 * On PostgreSQL, any change to the walkthroughs or to which devices they belong to is announced
 * on `manual_links_changed` as its transaction commits, so instances that keep every device's
 * walkthrough links in memory drop them (`ManualLinksCache`).
 */
export class ManualLinksNotify1765230000000 implements MigrationInterface {
  name = 'ManualLinksNotify1765230000000';

  async up(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    await runner.query(
      `CREATE FUNCTION announce_manual_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${MANUAL_LINKS_CHANNEL}', '');
         RETURN NULL;
       END $$`,
    );
    for (const table of TABLES)
      await runner.query(
        `CREATE TRIGGER tr_${table}_announce_links AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION announce_manual_links_changed()`,
      );
  }

  async down(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    for (const table of TABLES)
      await runner.query(`DROP TRIGGER IF EXISTS tr_${table}_announce_links ON ${table}`);
    await runner.query('DROP FUNCTION IF EXISTS announce_manual_links_changed()');
  }
}
