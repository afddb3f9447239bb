import { MigrationInterface, QueryRunner } from 'typeorm';
import { Announcement, createAnnouncement, dropAnnouncement } from './announcements';
import { columnsFor } from './column-types';

/** The channel on which PostgreSQL announces that what availability judges patrons by changed. */
export const PATRON_FACTS_CHANNEL = 'patron_facts_changed';

const ANNOUNCEMENT: Announcement = {
  channel: PATRON_FACTS_CHANNEL,
  functionName: 'announce_patron_facts_changed',
  tables: [
    'bookings',
    'certifications',
    'manual_progress',
    'manuals',
    'manual_revisions',
    'manual_equipment',
  ],
  triggerSuffix: 'announce',
};

/**
 * On PostgreSQL, any change to bookings, certifications, walkthroughs or patrons' reading of them
 * is announced on `patron_facts_changed` as its transaction commits, so instances that keep
 * signed-in patrons' own bookings, certifications and walkthroughs to re-read in memory between
 * their looks at availability drop them (`PatronFactsCache`).
 */
export class PatronFactsNotify1765220000000 implements MigrationInterface {
  name = 'PatronFactsNotify1765220000000';

  async up(runner: QueryRunner): Promise<void> {
    if (columnsFor(runner).onPostgres) await createAnnouncement(runner, ANNOUNCEMENT);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (columnsFor(runner).onPostgres) await dropAnnouncement(runner, ANNOUNCEMENT);
  }
}
