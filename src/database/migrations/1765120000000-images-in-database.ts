import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnsFor } from './column-types';

/**
 * Uploaded images move from `<DATA_DIR>/images/` into the database, so instances need share
 * nothing but it. The files already there are copied in when the service starts (the migration
 * cannot know every instance's folder); see `ImagesService.importFiles`.
 */
export class ImagesInDatabase1765120000000 implements MigrationInterface {
  name = 'ImagesInDatabase1765120000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'images',
        columns: [
          { ...c.text('name', 72), isPrimary: true },
          c.text('content_type', 20),
          { name: 'bytes', type: c.onPostgres ? 'bytea' : 'blob' },
          c.instant('created_at'),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('images');
  }
}
