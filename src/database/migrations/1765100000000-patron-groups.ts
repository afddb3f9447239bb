import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnsFor } from './column-types';

/**
 * Patron groups: what staff or the library's ILS call a patron (`adult`, `teen`, a patron type).
 * Empty means the group follows the patron's age.
 */
export class PatronGroups1765100000000 implements MigrationInterface {
  name = 'PatronGroups1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    if (c.onPostgres)
      await runner.addColumn('users', new TableColumn(c.text('patron_group', 40, true)));
    // SQLite's own ADD COLUMN keeps the users table as it is instead of TypeORM's rebuild.
    else await runner.query('ALTER TABLE users ADD COLUMN "patron_group" varchar(40)');
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    if (c.onPostgres) await runner.dropColumn('users', 'patron_group');
    else await runner.query('ALTER TABLE users DROP COLUMN "patron_group"');
  }
}
