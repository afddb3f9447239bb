import { MigrationInterface, QueryRunner } from 'typeorm';
import { columnsFor } from './column-types';

/** The channel on which PostgreSQL announces that a session or an account has changed. */
export const SESSIONS_CHANNEL = 'sessions_changed';

/**
 * On PostgreSQL, a change to any session or account (a sign-out, a suspension, a new PIN, a
 * closed account) is announced on `sessions_changed` as its transaction commits, so instances that
 * keep signed-in sessions in memory drop them (`SessionCache`). A new session needs no
 * announcement: nobody holds it yet. SQLite has one server per file and nothing to announce to.
 */
export class SessionNotify1765210000000 implements MigrationInterface {
  name = 'SessionNotify1765210000000';

  async up(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    await runner.query(
      `CREATE FUNCTION announce_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${SESSIONS_CHANNEL}', '');
         RETURN NULL;
       END $$`,
    );
    for (const table of ['sessions', 'users'])
      await runner.query(
        `CREATE TRIGGER tr_${table}_announce AFTER UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION announce_sessions_changed()`,
      );
  }

  async down(runner: QueryRunner): Promise<void> {
    if (!columnsFor(runner).onPostgres) return;
    for (const table of ['sessions', 'users'])
      await runner.query(`DROP TRIGGER IF EXISTS tr_${table}_announce ON ${table}`);
    await runner.query('DROP FUNCTION IF EXISTS announce_sessions_changed()');
  }
}
