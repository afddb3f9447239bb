import { MigrationInterface, QueryRunner } from 'typeorm';
import { columnsFor } from './column-types';

const HOLDING = ['pending', 'confirmed', 'checked_in'];
const HOLDING_LIST = `(${HOLDING.map((status) => `'${status}'`).join(', ')})`;

const TRIGGERS = [
  { name: 'tr_bookings_no_overlap_insert', event: 'INSERT' },
  {
    name: 'tr_bookings_no_overlap_update',
    event: 'UPDATE OF start_at, blocked_until, status, equipment_id',
  },
];

/** The guard as `Approvals1765130000000` left it: every holding booking that starts earlier. */
function scanning(event: string, name: string): string {
  return `CREATE TRIGGER ${name} BEFORE ${event} ON bookings
     WHEN NEW.status IN ${HOLDING_LIST}
     BEGIN
       SELECT RAISE(ABORT, 'SLOT_TAKEN') WHERE EXISTS (
         SELECT 1 FROM bookings b
         WHERE b.equipment_id = NEW.equipment_id AND b.id <> NEW.id AND b.status IN ${HOLDING_LIST}
           AND b.start_at < NEW.blocked_until AND NEW.start_at < b.blocked_until);
     END`;
}

/**
 * The same guard in a few index seeks. The holding bookings of a device never overlap (this guard
 * sees to it), so sorted by start they are sorted by end too: of those starting before the new
 * row, only the last can reach into it. A clash is then a holding booking starting within the new
 * row's time, or the last one of each status to start before it, ending after its start. The
 * old guard read every holding booking of the device that starts before the new row ends, the
 * device's whole past for a booking in the future, on each booking and each move.
 */
function seeking(event: string, name: string): string {
  const lastBefore = (status: string) =>
    `(SELECT b.blocked_until FROM bookings b
       WHERE b.equipment_id = NEW.equipment_id AND b.status = '${status}' AND b.id <> NEW.id
         AND b.start_at < NEW.start_at
       ORDER BY b.start_at DESC LIMIT 1) > NEW.start_at`;
  return `CREATE TRIGGER ${name} BEFORE ${event} ON bookings
     WHEN NEW.status IN ${HOLDING_LIST}
     BEGIN
       SELECT RAISE(ABORT, 'SLOT_TAKEN') WHERE EXISTS (
         SELECT 1 FROM bookings b
         WHERE b.equipment_id = NEW.equipment_id AND b.status IN ${HOLDING_LIST} AND b.id <> NEW.id
           AND b.start_at >= NEW.start_at AND b.start_at < NEW.blocked_until)
       ${HOLDING.map((status) => `OR ${lastBefore(status)}`).join('\n       ')};
     END`;
}

/**
 * SQLite's no-overlap triggers check a booking with index seeks rather than a scan of its device's
 * earlier bookings. PostgreSQL's exclusion constraint already searches its GiST index.
 */
export class OverlapGuardSeeks1765240000000 implements MigrationInterface {
  name = 'OverlapGuardSeeks1765240000000';

  async up(runner: QueryRunner): Promise<void> {
    await replaceTriggers(runner, seeking);
  }

  async down(runner: QueryRunner): Promise<void> {
    await replaceTriggers(runner, scanning);
  }
}

async function replaceTriggers(
  runner: QueryRunner,
  create: (event: string, name: string) => string,
): Promise<void> {
  if (columnsFor(runner).onPostgres) return;
  for (const { name, event } of TRIGGERS) {
    await runner.query(`DROP TRIGGER IF EXISTS ${name}`);
    await runner.query(create(event, name));
  }
}
