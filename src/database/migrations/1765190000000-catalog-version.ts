import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnsFor } from './column-types';

/**
 * One counter that every change to the catalog, the hours or the closures bumps in its own
 * transaction, so each instance can tell with one cheap read whether what it holds in memory
 * is still true.
 */
export class CatalogVersion1765190000000 implements MigrationInterface {
  name = 'CatalogVersion1765190000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'catalog_version',
        columns: [{ ...c.int('id'), isPrimary: true }, c.int('version', 0)],
      }),
    );
    await runner.query('INSERT INTO catalog_version (id, version) VALUES (1, 1)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('catalog_version');
  }
}
