import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnsFor } from './column-types';

export class Manuals1764600000000 implements MigrationInterface {
  name = 'Manuals1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'manuals',
        columns: [
          c.id(),
          c.text('slug', 80),
          c.text('draft', undefined, true),
          c.uuid('draft_author_id', true),
          c.instant('draft_updated_at', true),
          c.int('published_revision', undefined, true),
          c.instant('created_at'),
        ],
        uniques: [{ name: 'uq_manuals_slug', columnNames: ['slug'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'manual_revisions',
        columns: [
          c.id(),
          c.uuid('manual_id'),
          c.int('number'),
          c.text('content'),
          c.uuid('author_id', true),
          c.bool('changes_usage'),
          c.text('note', undefined, true),
          c.instant('published_at'),
        ],
        uniques: [{ name: 'uq_manual_revisions_number', columnNames: ['manual_id', 'number'] }],
        foreignKeys: [
          {
            columnNames: ['manual_id'],
            referencedTableName: 'manuals',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['author_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
    // Which devices each published manual is for: read by device pages and certification.
    await runner.createTable(
      new Table({
        name: 'manual_equipment',
        columns: [
          { ...c.uuid('manual_id'), isPrimary: true },
          { ...c.uuid('equipment_id'), isPrimary: true },
        ],
        foreignKeys: [
          {
            columnNames: ['manual_id'],
            referencedTableName: 'manuals',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['equipment_id'],
            referencedTableName: 'equipment',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_manual_equipment_equipment', columnNames: ['equipment_id'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'manual_progress',
        columns: [
          c.id(),
          c.uuid('patron_id'),
          c.uuid('manual_id'),
          c.int('revision'),
          c.int('step'),
          c.instant('updated_at'),
          c.instant('completed_at', true),
        ],
        uniques: [{ name: 'uq_manual_progress_patron', columnNames: ['patron_id', 'manual_id'] }],
        foreignKeys: [
          {
            columnNames: ['patron_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['manual_id'],
            referencedTableName: 'manuals',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    // Full-text search over published manuals, ranked, in each engine's own way.
    if (c.onPostgres) {
      await runner.query(
        `CREATE TABLE manual_search (
           manual_id uuid PRIMARY KEY REFERENCES manuals(id) ON DELETE CASCADE,
           title text NOT NULL,
           body text NOT NULL,
           document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED)`,
      );
      await runner.query(
        'CREATE INDEX ix_manual_search_document ON manual_search USING gin (document)',
      );
    } else {
      await runner.query(
        "CREATE VIRTUAL TABLE manual_search USING fts5(manual_id UNINDEXED, title, body, tokenize = 'porter unicode61')",
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE manual_search');
    for (const table of ['manual_progress', 'manual_equipment', 'manual_revisions', 'manuals'])
      await runner.dropTable(table);
  }
}
