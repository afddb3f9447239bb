import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columnsFor } from './column-types';

export class Foundation1764400000000 implements MigrationInterface {
  name = 'Foundation1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    // One row that every SQLite write transaction updates first, so that it takes the write lock
    // at BEGIN time instead of failing to upgrade a read lock later.
    await runner.createTable(
      new Table({
        name: 'write_lock',
        columns: [{ ...c.int('id'), isPrimary: true }, c.int('ticks', 0)],
      }),
    );
    await runner.query('INSERT INTO write_lock (id, ticks) VALUES (1, 0)');

    await runner.createTable(
      new Table({
        name: 'users',
        columns: [
          c.id(),
          c.text('role', 16),
          c.text('name', 200),
          c.text('email', 254, true),
          c.text('card_number', 20, true),
          c.text('birth_date', 10, true),
          c.text('secret_hash', 255),
          c.int('failed_sign_ins', 0),
          c.instant('locked_until', true),
          c.instant('suspended_until', true),
          c.instant('created_at'),
        ],
        uniques: [{ name: 'uq_users_card_number', columnNames: ['card_number'] }],
        checks: [{ name: 'ck_users_role', expression: "role IN ('patron', 'staff', 'librarian')" }],
      }),
    );
    // Staff sign in by e-mail, so it must be unique among them; patrons may share a family address.
    await runner.createIndex(
      'users',
      new TableIndex({
        name: 'uq_users_staff_email',
        columnNames: ['email'],
        isUnique: true,
        where: "role <> 'patron'",
      }),
    );

    await runner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          c.id(),
          c.text('token_hash', 64),
          c.uuid('user_id'),
          c.instant('created_at'),
          c.instant('expires_at'),
          c.instant('revoked_at', true),
        ],
        uniques: [{ name: 'uq_sessions_token_hash', columnNames: ['token_hash'] }],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'equipment_categories',
        columns: [
          { ...c.text('slug', 60), isPrimary: true },
          c.text('name', 120),
          c.text('policy'),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'equipment',
        columns: [
          c.id(),
          c.text('slug', 80),
          c.text('name', 200),
          c.text('category_slug', 60),
          c.text('kind', 16),
          c.text('status', 20, false, 'available'),
          c.text('location', 200, false, ''),
          c.text('description', undefined, false, ''),
          c.bool('requires_orientation'),
          c.int('min_age', 0),
          c.text('policy_overrides', undefined, true),
          c.text('asset_tag', 40, true),
          c.text('parts', undefined, true),
          c.instant('created_at'),
          c.instant('updated_at'),
          c.instant('retired_at', true),
        ],
        uniques: [
          { name: 'uq_equipment_slug', columnNames: ['slug'] },
          { name: 'uq_equipment_asset_tag', columnNames: ['asset_tag'] },
        ],
        checks: [
          { name: 'ck_equipment_kind', expression: "kind IN ('station', 'loan')" },
          {
            name: 'ck_equipment_status',
            expression: "status IN ('available', 'out_of_service', 'retired')",
          },
        ],
        foreignKeys: [
          {
            columnNames: ['category_slug'],
            referencedTableName: 'equipment_categories',
            referencedColumnNames: ['slug'],
            onDelete: 'RESTRICT',
          },
        ],
        indices: [{ name: 'ix_equipment_category', columnNames: ['category_slug'] }],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'weekly_hours',
        columns: [c.id(), c.int('weekday'), c.text('opens', 5), c.text('closes', 5)],
        checks: [{ name: 'ck_weekly_hours_weekday', expression: 'weekday BETWEEN 1 AND 7' }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'closures',
        columns: [{ ...c.text('date', 10), isPrimary: true }, c.text('reason', 200)],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'certifications',
        columns: [
          c.id(),
          c.uuid('patron_id'),
          c.uuid('equipment_id'),
          c.uuid('granted_by_id', true),
          c.instant('granted_at'),
          c.instant('expires_at', true),
        ],
        uniques: [
          {
            name: 'uq_certifications_patron_equipment',
            columnNames: ['patron_id', 'equipment_id'],
          },
        ],
      }),
    );
    await runner.createForeignKeys('certifications', [
      new TableForeignKey({
        columnNames: ['patron_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
      new TableForeignKey({
        columnNames: ['equipment_id'],
        referencedTableName: 'equipment',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
      new TableForeignKey({
        columnNames: ['granted_by_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'SET NULL',
      }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'certifications',
      'closures',
      'weekly_hours',
      'equipment',
      'equipment_categories',
      'sessions',
      'users',
      'write_lock',
    ]) {
      await runner.dropTable(table);
    }
  }
}
