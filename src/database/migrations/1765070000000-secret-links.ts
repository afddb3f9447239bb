import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columnsFor } from './column-types';

/** Single-use links that set a PIN or password, and staff accounts a librarian switched off. */
export class SecretLinks1765070000000 implements MigrationInterface {
  name = 'SecretLinks1765070000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'secret_links',
        columns: [
          c.id(),
          { ...c.text('token_hash', 64), isUnique: true },
          c.uuid('user_id'),
          c.text('purpose', 16),
          c.instant('created_at'),
          c.instant('expires_at'),
          c.instant('used_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ columnNames: ['user_id'] }],
      }),
    );
    const disabled = c.instant('disabled_at', true);
    if (c.onPostgres) await runner.addColumn('users', new TableColumn(disabled));
    // SQLite's own ADD COLUMN keeps the users table as it is instead of TypeORM's rebuild.
    else await runner.query(`ALTER TABLE users ADD COLUMN "disabled_at" ${String(disabled.type)}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    if (c.onPostgres) await runner.dropColumn('users', 'disabled_at');
    else await runner.query('ALTER TABLE users DROP COLUMN "disabled_at"');
    await runner.dropTable('secret_links');
  }
}
