export class CalendarFeedResponse {
  /** Subscribe to this in a calendar app; anyone with it can read your bookings, so keep it private. */
  url: string;
}
