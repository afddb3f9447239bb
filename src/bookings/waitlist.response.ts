import type { WaitlistStatus } from './waitlist-entry.entity';

export class WaitlistEntryResponse {
  id: string;
  equipment: string;
  equipmentName: string;
  start: string;
  end: string;
  status: WaitlistStatus;
  /** 1 = next in line; null once no longer waiting. */
  position: number | null;
  /** The booking made when the time freed up. */
  bookingId: string | null;
}
