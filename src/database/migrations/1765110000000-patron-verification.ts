import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnsFor } from './column-types';

/**
 * When a patron's e-mail was confirmed or staff saw their card. Every account that exists before
 * this migration (demo, seeded, staff-made, self-registered) counts as verified from its creation,
 * so nobody who could book yesterday is refused today.
 */
export class PatronVerification1765110000000 implements MigrationInterface {
  name = 'PatronVerification1765110000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const verified = c.instant('verified_at', true);
    if (c.onPostgres) await runner.addColumn('users', new TableColumn(verified));
    // SQLite's own ADD COLUMN keeps the users table as it is instead of TypeORM's rebuild.
    else await runner.query(`ALTER TABLE users ADD COLUMN "verified_at" ${String(verified.type)}`);
    await runner.query('UPDATE users SET verified_at = created_at');
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    if (c.onPostgres) await runner.dropColumn('users', 'verified_at');
    else await runner.query('ALTER TABLE users DROP COLUMN "verified_at"');
  }
}
