import type { QueryRunner } from 'typeorm';

/** A PostgreSQL channel on which any change to some tables is announced as it commits. */
export interface Announcement {
  channel: string;
  /** The trigger function that announces, one per channel. */
  functionName: string;
  tables: string[];
  /** Each table's trigger is named `tr_<table>_<suffix>`. */
  triggerSuffix: string;
}

/**
 * Statement triggers on each table that announce, with no payload, on the channel: once per
 * statement that changes any row (a truncate included), delivered when its transaction commits
 * and not at all if it is undone.
 */
export async function createAnnouncement(runner: QueryRunner, a: Announcement): Promise<void> {
  await runner.query(
    `CREATE FUNCTION ${a.functionName}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${a.channel}', '');
         RETURN NULL;
       END $$`,
  );
  for (const table of a.tables)
    await runner.query(
      `CREATE TRIGGER tr_${table}_${a.triggerSuffix} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION ${a.functionName}()`,
    );
}

export async function dropAnnouncement(runner: QueryRunner, a: Announcement): Promise<void> {
  for (const table of a.tables)
    await runner.query(`DROP TRIGGER IF EXISTS tr_${table}_${a.triggerSuffix} ON ${table}`);
  await runner.query(`DROP FUNCTION IF EXISTS ${a.functionName}()`);
}
