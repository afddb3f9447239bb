import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EquipmentKind } from '../equipment/equipment.entity';
import type { Booking, BookingStatus } from './booking.entity';
import { BookingsRepository } from './bookings.repository';
import { BookingEvent, LifecycleRefusal, transition } from './lifecycle';

/** What applying an event did: the status it led to and whether this call wrote it, or why not. */
export type Applied = { next: BookingStatus; claimed: boolean } | { refused: LifecycleRefusal };

/** The fields an event writes besides the status, which the lifecycle alone decides. */
export type StatusChanges = Omit<Partial<Booking>, 'status' | 'id'>;

/**
 * Every status change of an existing booking goes through here: the API, the pages, the sweeps,
 * displacement and the loan desk. The lifecycle table decides the next status; the write is a
 * claim (`UPDATE … WHERE status = :was`), so of two writers acting on what they read, one wins.
 */
@Injectable()
export class BookingLifecycle {
  constructor(private readonly bookings: BookingsRepository) {}

  /**
   * Applies `event` to the booking as it was read, inside the caller's write transaction.
   * `check` runs once the event is allowed and before anything is written (a use case's own
   * condition, e.g. the check-in window).
   */
  async apply(
    manager: EntityManager,
    booking: Pick<Booking, 'id' | 'status'>,
    kind: EquipmentKind,
    event: BookingEvent,
    changes: StatusChanges,
    check?: () => void,
  ): Promise<Applied> {
    const step = transition(booking.status, event, kind);
    if ('refused' in step) return step;
    check?.();
    const claimed = await this.bookings.claim(manager, booking.id, booking.status, {
      ...changes,
      status: step.next,
    });
    return { next: step.next, claimed };
  }

  /**
   * `apply` for a request someone is waiting on: a refusal is the HTTP error the contract gives
   * it, and a booking another writer changed first since it was read is `409 WRONG_STATUS`.
   */
  async change(
    manager: EntityManager,
    booking: Pick<Booking, 'id' | 'status'>,
    kind: EquipmentKind,
    event: BookingEvent,
    changes: StatusChanges,
    check?: () => void,
  ): Promise<BookingStatus> {
    const applied = await this.apply(manager, booking, kind, event, changes, check);
    if ('refused' in applied) throw lifecycleError(applied.refused);
    if (!applied.claimed) {
      throw new ConflictException({
        code: 'WRONG_STATUS',
        message: 'This booking has just been changed by someone else. Please look again.',
      });
    }
    return applied.next;
  }
}

/** The status an event leads to, or the refusal as the HTTP error the contract gives it. */
export function advance(
  status: BookingStatus | 'new',
  event: BookingEvent,
  kind: EquipmentKind,
): BookingStatus {
  const result = transition(status, event, kind);
  if ('next' in result) return result.next;
  throw lifecycleError(result.refused);
}

export function lifecycleError({ code, message }: LifecycleRefusal): Error {
  if (code === 'WRONG_STATUS' || code === 'IN_USE') return new ConflictException({ code, message });
  return new UnprocessableEntityException({ code, message });
}
