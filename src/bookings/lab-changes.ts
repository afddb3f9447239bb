import type { EntityManager } from 'typeorm';
import type { User } from '../accounts/user.entity';
import type { BookingWithParties } from './booking-notifier';
import type { Displacement, LabChange } from './displacement.service';

export type { Displacement, LabChange } from './displacement.service';
export type { BookingWithParties } from './booking-notifier';

/**
 * What hours/ and equipment/ call when the lab changes something that can take booked time
 * away (a closure, new weekly hours, retiring a device, setting it out of service). Bookings
 * provides it (`DisplacementService`) under this token; those folders look it up when they need
 * it rather than importing the bookings module, which imports theirs.
 */
export const LAB_CHANGES = 'LabChanges';

export interface LabChanges {
  apply<T>(
    preview: boolean,
    by: User | null,
    write: (manager: EntityManager) => Promise<T>,
    change: (result: T) => LabChange | null,
  ): Promise<Displacement<T>>;
}

export type DisplacedBookings = BookingWithParties[];
