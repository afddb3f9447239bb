import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnsFor } from './column-types';

/** A device's photo: an uploaded image and its alt text. Step pictures live in the manual JSON. */
export class Images1764850000000 implements MigrationInterface {
  name = 'Images1764850000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumns('equipment', [
      new TableColumn(c.text('photo_src', 120, true)),
      new TableColumn(c.text('photo_alt', 300, true)),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (columnsFor(runner).onPostgres) {
      await runner.dropColumns('equipment', ['photo_src', 'photo_alt']);
      return;
    }
    // On SQLite the schema builder drops a column by rebuilding the table, which drops and
    // re-creates `equipment` under the bookings that reference it; TypeORM's revert runs down()
    // inside its transaction, where foreign keys cannot be switched off, so that fails once
    // there are bookings. SQLite (3.35+) drops a plain column in place.
    await runner.query('ALTER TABLE equipment DROP COLUMN photo_alt');
    await runner.query('ALTER TABLE equipment DROP COLUMN photo_src');
  }
}
