import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnsFor } from './column-types';

/**
 * Sign-in misses counted by the name tried rather than on the user row, so unknown names lock
 * like real ones. The old per-user columns stay unused, to keep the users table as it is.
 */
export class SignInFailures1765010000000 implements MigrationInterface {
  name = 'SignInFailures1765010000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'sign_in_failures',
        columns: [
          { name: 'lock_key', type: 'varchar', length: '64', isPrimary: true },
          c.int('failures'),
          c.instant('last_failure_at'),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('sign_in_failures');
  }
}
