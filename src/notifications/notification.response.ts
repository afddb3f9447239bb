import type { OutboxStatus } from './outbox-message.entity';

export class NotificationResponse {
  id: string;
  /** `confirmed`, `reminder`, `no_show`, …, or `mail` for a message the desk sent. */
  kind: string;
  recipient: string | null;
  subject: string;
  bookingId: string | null;
  status: OutboxStatus;
  /** Delivery attempts so far. */
  attempts: number;
  createdAt: string;
  /** When the next try is due, while it is pending. */
  nextAttemptAt: string | null;
  sentAt: string | null;
  /** Why the last try failed. */
  lastError: string | null;
}
