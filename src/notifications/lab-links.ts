import type { AppConfig } from '../config/app-config';
import type { BookingNotice } from './booking-notice';

export const LAB_NAME = 'Digital Media Lab';

/** The host name patrons know the lab by, without a port, so it can stand in an address. */
export function labHost(config: AppConfig): string {
  return new URL(config.publicUrl).hostname;
}

/** The address the lab's e-mail comes from (`MAIL_FROM`), also the calendar events' organizer. */
export function labMailbox(config: AppConfig): string {
  return config.mailFrom.address;
}

export function myBookingsUrl(config: AppConfig): string {
  return `${config.publicUrl}/my/bookings`;
}

export function equipmentUrl(notice: BookingNotice, config: AppConfig): string {
  return `${config.publicUrl}/equipment/${encodeURIComponent(notice.deviceSlug)}`;
}

/** The device's walkthroughs, or its equipment page when no walkthrough is written yet. */
export function walkthroughUrls(notice: BookingNotice, config: AppConfig): string[] {
  const slugs = notice.manualSlugs ?? [];
  if (slugs.length === 0) return [equipmentUrl(notice, config)];
  return slugs.map((slug) => `${config.publicUrl}/manuals/${encodeURIComponent(slug)}`);
}
