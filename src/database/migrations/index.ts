import { Foundation1764400000000 } from './1764400000000-foundation';
import { Bookings1764500000000 } from './1764500000000-bookings';

/** Every migration, oldest first. */
export const migrations = [Foundation1764400000000, Bookings1764500000000];
