import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columnsFor } from './column-types';

/**
 * Areas of the library with their own hours and closures. Every existing device and weekly
 * interval belongs to the Digital Media Lab (`dml`); closures, keyed by date alone until now, are
 * keyed by date and area, and the existing ones close the whole library (area `''`).
 */
export class Areas1765160000000 implements MigrationInterface {
  name = 'Areas1765160000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'areas',
        columns: [
          c.id(),
          c.text('slug', 60),
          c.text('name', 200),
          c.text('location', 200, false, ''),
          c.text('description', undefined, false, ''),
          c.int('min_age', undefined, true),
          c.int('max_age', undefined, true),
          c.int('position', 0),
        ],
        uniques: [{ name: 'uq_areas_slug', columnNames: ['slug'] }],
      }),
    );
    await runner.query(
      `INSERT INTO areas (id, slug, name, location, description, position)
       VALUES ('00000000-0000-4000-8000-000000000001', 'dml', 'Digital Media Lab', 'Power Library', '', 0)`,
    );
    for (const table of ['equipment', 'weekly_hours']) {
      if (c.onPostgres)
        await runner.addColumn(table, new TableColumn(c.text('area_slug', 60, false, 'dml')));
      // SQLite's own ADD COLUMN keeps the table (and the equipment's references) as it is.
      else
        await runner.query(
          `ALTER TABLE ${table} ADD COLUMN "area_slug" varchar(60) NOT NULL DEFAULT 'dml'`,
        );
    }
    await runner.createTable(
      new Table({
        name: 'closures_by_area',
        columns: [
          { ...c.text('date', 10), isPrimary: true },
          { ...c.text('area_slug', 60, false, ''), isPrimary: true },
          c.text('reason', 200),
        ],
      }),
    );
    await runner.query(
      `INSERT INTO closures_by_area (date, area_slug, reason) SELECT date, '', reason FROM closures`,
    );
    await runner.dropTable('closures');
    await runner.renameTable('closures_by_area', 'closures');
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'closures_by_date',
        columns: [{ ...c.text('date', 10), isPrimary: true }, c.text('reason', 200)],
      }),
    );
    await runner.query(
      `INSERT INTO closures_by_date (date, reason) SELECT date, reason FROM closures WHERE area_slug = ''`,
    );
    await runner.dropTable('closures');
    await runner.renameTable('closures_by_date', 'closures');
    for (const table of ['weekly_hours', 'equipment']) {
      if (c.onPostgres) await runner.dropColumn(table, 'area_slug');
      else await runner.query(`ALTER TABLE ${table} DROP COLUMN "area_slug"`);
    }
    await runner.dropTable('areas');
  }
}
