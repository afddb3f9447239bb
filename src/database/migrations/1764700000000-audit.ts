import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnsFor } from './column-types';

export class Audit1764700000000 implements MigrationInterface {
  name = 'Audit1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    // No foreign keys on purpose: the record outlives the accounts and rows it mentions.
    await runner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          c.id(),
          c.instant('at'),
          c.uuid('actor_id', true),
          c.text('actor', 240),
          c.text('action', 60),
          c.text('subject_type', 30),
          c.text('subject', 120),
          c.text('details', undefined, true),
        ],
        indices: [
          { name: 'ix_audit_events_at', columnNames: ['at'] },
          { name: 'ix_audit_events_subject', columnNames: ['subject', 'at'] },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('audit_events');
  }
}
