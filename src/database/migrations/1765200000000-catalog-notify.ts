import { MigrationInterface, QueryRunner } from 'typeorm';
import { columnsFor } from './column-types';

/** The channel on which PostgreSQL announces each new catalog version. */
export const CATALOG_CHANNEL = 'catalog_version';

/**
 * On PostgreSQL, every new catalog version is announced on `catalog_version` as its transaction
 * commits, so instances that listen need not read the version on every request. SQLite has one
 * server per file and nothing to announce to.
 */
export class CatalogNotify1765200000000 implements MigrationInterface {
  name = 'CatalogNotify1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    await runner.query(
      `CREATE FUNCTION announce_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${CATALOG_CHANNEL}', NEW.version::text);
         RETURN NEW;
       END $$`,
    );
    await runner.query(
      `CREATE TRIGGER tr_catalog_version_announce AFTER UPDATE OF version ON catalog_version
       FOR EACH ROW EXECUTE FUNCTION announce_catalog_version()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    await runner.query('DROP TRIGGER IF EXISTS tr_catalog_version_announce ON catalog_version');
    await runner.query('DROP FUNCTION IF EXISTS announce_catalog_version()');
  }
}
