import { OpenIntervalResponse } from '../hours/hours.response';

export class ReasonResponse {
  /** A refusal code from the booking rules, e.g. `TOO_FAR_AHEAD`. */
  code: string;
  /** Why, in plain words for the patron. */
  message: string;
}

export class SlotResponse {
  start: string;
  end: string;
  /** Whether the viewer could book the device's shortest booking from this start. */
  available: boolean;
  /** Present when the time is not taken but the viewer may not book it. */
  reason?: ReasonResponse;
}

export class DayAvailabilityResponse {
  date: string;
  timezone: string;
  open: OpenIntervalResponse[];
  slots: SlotResponse[];
  /** Whether the viewer could book any time that day. */
  bookable: boolean;
  /** Present when one rule keeps the viewer from booking the whole day. */
  reason?: ReasonResponse;
}
