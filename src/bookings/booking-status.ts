/** A booking's statuses, as the API and the pages name them. Values other folders may import. */
export const BOOKING_STATUSES = [
  'pending',
  'confirmed',
  'checked_in',
  'completed',
  'cancelled',
  'no_show',
  'displaced',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Why the lab took a booking's time away. */
export const DISPLACEMENT_KINDS = [
  'outage',
  'closure',
  'hours',
  'retired',
  'out_of_service',
] as const;
export type DisplacementKind = (typeof DISPLACEMENT_KINDS)[number];

/**
 * Bookings that hold their time; the others have released it. A pending booking, waiting for
 * staff approval, holds it too (the database's no-overlap guarantee covers the same statuses).
 */
export const LIVE_STATUSES: BookingStatus[] = ['pending', 'confirmed', 'checked_in'];

/**
 * Bookings that count against a patron's limits: the live ones and those that took place. A
 * cancelled, missed or displaced booking gives its hours back.
 */
export const COUNTED_STATUSES: BookingStatus[] = [...LIVE_STATUSES, 'completed'];
