import { MigrationInterface, QueryRunner } from 'typeorm';
import { Announcement, createAnnouncement, dropAnnouncement } from './announcements';
import { columnsFor } from './column-types';

/** The channel on which PostgreSQL announces that a device's published walkthroughs changed. */
export const MANUAL_LINKS_CHANNEL = 'manual_links_changed';

const ANNOUNCEMENT: Announcement = {
  channel: MANUAL_LINKS_CHANNEL,
  functionName: 'announce_manual_links_changed',
  tables: ['manuals', 'manual_revisions', 'manual_equipment'],
  triggerSuffix: 'announce_links',
};

/**
 * On PostgreSQL, any change to the walkthroughs or to which devices they belong to is announced
 * on `manual_links_changed` as its transaction commits, so instances that keep every device's
 * walkthrough links in memory drop them (`ManualLinksCache`).
 */
export class ManualLinksNotify1765230000000 implements MigrationInterface {
  name = 'ManualLinksNotify1765230000000';

  async up(runner: QueryRunner): Promise<void> {
    if (columnsFor(runner).onPostgres) await createAnnouncement(runner, ANNOUNCEMENT);
  }

  async down(runner: QueryRunner): Promise<void> {
    if (columnsFor(runner).onPostgres) await dropAnnouncement(runner, ANNOUNCEMENT);
  }
}
