import type { BookingNotice } from './booking-notice';

/** A booking notice for tests: the podcast studio on 1 December 2026, 3–5 PM in New York. */
export function bookingNotice(overrides: Partial<BookingNotice> = {}): BookingNotice {
  return {
    bookingId: '6f1c2a9e-4b7d-4f3a-9c1e-2d8b5a7e0c41',
    code: 'K7M2QX',
    status: 'confirmed',
    start: new Date('2026-12-01T20:00:00Z'),
    end: new Date('2026-12-01T22:00:00Z'),
    deviceName: 'Podcast studio',
    deviceSlug: 'podcast-studio',
    location: 'Digital Media Lab, 2nd floor, room 204',
    patronName: 'Ada Reader',
    patronEmail: 'ada@example.org',
    manualSlugs: ['podcast-studio-basics'],
    sequence: 0,
    ...overrides,
  };
}
